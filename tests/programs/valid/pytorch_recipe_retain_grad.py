# From the PyTorch recipe "Understanding requires_grad, retain_grad, Leaf, and Non-leaf Tensors"
import torch

a = torch.tensor(2.0, requires_grad=True)
b = a * 3
b.retain_grad()
c = b**2
c.retain_grad()
d = c + a
d.backward()

print("a:", a.is_leaf, a.grad)  # 2 * 6 * 3 + 1 = 37
print("b:", b.is_leaf, b.grad)  # 2 * b = 12
print("c:", c.is_leaf, c.grad)  # 1
print("d:", d.is_leaf, d.requires_grad)
