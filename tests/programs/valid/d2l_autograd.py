# From "Dive into Deep Learning", 2.5 Automatic Differentiation (A Simple Function)
import torch

x = torch.arange(4.0)
x.requires_grad_(True)
print(x.grad)  # the gradient is None by default

y = 2 * torch.dot(x, x)
y.backward()
print(x.grad)
print(x.grad == 4 * x)

x.grad.zero_()  # reset the gradient
y = x.sum()
y.backward()
print(x.grad)
