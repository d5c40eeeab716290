# From the PyTorch "A Gentle Introduction to torch.autograd" tutorial
# Exclusion from the DAG. Graph only: no backward.
import torch

x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)

a = x + y
print("Does `a` require gradients?:", a.requires_grad)
b = x + z
print("Does `b` require gradients?:", b.requires_grad)
