# def/return with defaults, keyword-only arguments, *args and **kwargs
import torch


def affine(x, w, b=0.0, *, scale=1.0):
    return scale * (x * w + b)


def total(*terms, **weights):
    out = terms[0] * weights.get("first", 1.0)
    for t in terms[1:]:
        out = out + t
    return out


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor(0.5, requires_grad=True)
y = affine(x, w, b=1.0, scale=2.0)
z = total(y, y * y, x, first=3.0)
loss = z.sum()
loss.backward()
