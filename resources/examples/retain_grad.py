# retain_grad() · keep the .grad of an intermediate tensor
import torch

a = torch.tensor(2.0, requires_grad=True)
b = a * 3
b.retain_grad()  # without this, b.grad stays None: b is not a leaf
c = b**2
d = c + a
d.backward()

a.grad  # 2 b * 3 + 1 = 37
b.grad  # 2 b = 12
c.is_leaf
