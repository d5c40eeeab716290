# Source: d2l-ai/d2l-en (Dive into Deep Learning, 0.17), section 2.5 "Automatic
# Differentiation", PyTorch tab (chapter_preliminaries/autograd.md): "Computing the Gradient
# of Python Control Flow".
# Changed: only this subsection is taken, with the section's `import torch`.
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

a.grad == d / a
