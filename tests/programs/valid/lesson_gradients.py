# From the lesson "PyTorch Fundamentals: 2. Tensors with Gradients"
# Manually and Automatically Calculating Gradients
import torch

x = torch.ones(2, requires_grad=True)
print(x)

y = 5 * (x + 1) ** 2
print(y)

o = (1 / 2) * torch.sum(y)
print(o)

o.backward()
print(x.grad)
print(x.requires_grad)
print(y.requires_grad)
print(o.requires_grad)
