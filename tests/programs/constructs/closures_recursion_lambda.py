# closures, recursion and lambda
import torch


def make_power(n):
    def power(t):
        return t ** n
    return power


def repeat(f, t, times):
    if times == 0:
        return t
    return repeat(f, f(t), times - 1)


square = make_power(2)
halve = lambda t: t / 2
x = torch.tensor([0.5, 1.5], requires_grad=True)
y = repeat(halve, square(x), 3)
out = y.sum()
out.backward()
