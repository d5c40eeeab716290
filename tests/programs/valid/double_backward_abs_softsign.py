# A second derivative through abs and softsign, as in a gradient penalty: PyTorch sends
# "zero tensors" (all zeros, with no storage) along the branches it knows are zero.
import torch
from torch.nn import functional as F

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = torch.abs(x).sum() + F.softsign(x).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
penalty = (g * g).sum()
penalty.backward()
