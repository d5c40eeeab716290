# Written for Autograd Lens, after the PyTorch docs for torch.cat and torch.stack
# The gradient is split back to the parts
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0], requires_grad=True)

c = torch.cat([a, b])  # shape (3,)
s = torch.stack([a, a * 2])  # shape (2, 2)
out = (c**2).sum() + s.sum()
out.backward()

print(c, s)
print(a.grad)  # 2*a + 1 + 2
print(b.grad)  # 2*b
