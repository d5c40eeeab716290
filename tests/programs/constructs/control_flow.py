# if/elif/else, while, break and continue (d2l's f(a) control-flow example, and more)
import torch


def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
total = torch.zeros(())
for i in range(10):
    if i % 2 == 0:
        continue
    elif i > 7:
        break
    total = total + (x * i).sum()
total.backward()
