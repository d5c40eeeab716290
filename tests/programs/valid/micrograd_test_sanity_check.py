# From micrograd's test/test_engine.py (test_sanity_check, the PyTorch side)
import torch

x = torch.tensor([-4.0]).double()
x.requires_grad = True
z = 2 * x + 2 + x
q = z.relu() + z * x
h = (z * z).relu()
y = h + q + q * x
y.backward()
xpt, ypt = x, y

print(ypt.data.item())  # -20.0
print(xpt.grad.item())  # 46.0
