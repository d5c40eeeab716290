# Lesson step 4 · o.backward() and x.grad
import torch

x = torch.ones(2, requires_grad=True)
y = 5 * (x + 1) ** 2
o = (1 / 2) * torch.sum(y)

# do/dx_i = (1/2) * 10 (x_i + 1) = 10 at x_i = 1
o.backward()
x.grad
x.requires_grad
y.requires_grad
o.requires_grad
