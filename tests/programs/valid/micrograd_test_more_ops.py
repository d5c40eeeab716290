# From micrograd's test/test_engine.py (test_more_ops, the PyTorch side)
import torch

a = torch.tensor([-4.0]).double()
b = torch.tensor([2.0]).double()
a.requires_grad = True
b.requires_grad = True
c = a + b
d = a * b + b**3
c = c + c + 1
c = c + 1 + c + (-a)
d = d + d * 2 + (b + a).relu()
d = d + 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g = g + 10.0 / f
g.backward()
apt, bpt, gpt = a, b, g

print(gpt.data.item())
print(apt.grad.item())
print(bpt.grad.item())
