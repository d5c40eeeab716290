# A tensor used twice · the gradients from both uses add up
import torch

x = torch.tensor(-2.0, requires_grad=True)
y = torch.tensor(3.0, requires_grad=True)
d = x * y
e = x + y
f = d * e  # x and y each reach f along two paths
f.backward()

x.grad  # y e + d = 3 - 6 = -3
y.grad  # x e + d = -2 - 6 = -8
