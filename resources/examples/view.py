# A view · view() and t() share storage; gradients flow back through them
import torch

x = torch.arange(6.0, requires_grad=True)
y = x * 1  # a non-leaf base to take views of
v = y.view(2, 3)
t = v.t()  # (3, 2), the same numbers
s = (t[:, 0] * 10).sum() + v[1, 2]
s.backward()

v
x.grad  # [10, 10, 10, 0, 0, 1]
