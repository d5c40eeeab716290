# Gradient accumulation · two backward() calls add up in .grad
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x**3

y.backward(retain_graph=True)
x.grad  # 3 x^2 = 12

y.backward()
x.grad  # 12 + 12 = 24: backward adds to .grad until you zero it
