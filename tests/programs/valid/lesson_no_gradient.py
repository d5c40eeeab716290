# From the lesson "PyTorch Fundamentals: 2. Tensors with Gradients"
# A tensor without gradients. Graph only: no backward.
import torch

a = torch.ones((2, 2), requires_grad=True)
print(a.requires_grad)

# Not a variable
no_gradient = torch.ones(2, 2)
print(no_gradient.requires_grad)

c = a + no_gradient
print(c.requires_grad)
print(c.is_leaf)
print(c.grad_fn)
