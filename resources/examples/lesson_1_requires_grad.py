# Lesson step 1 · Creating a tensor with gradients
import torch

a = torch.ones((2, 2), requires_grad=True)
a
a.requires_grad

# Not a variable: a plain tensor is a constant to autograd
no_gradient = torch.ones(2, 2)
no_gradient.requires_grad
