# Written for Autograd Lens: the same derivative in float32 and float64 (dtype=torch.float64)
import torch

x32 = torch.tensor(1e-4, requires_grad=True)
x64 = torch.tensor(1e-4, dtype=torch.float64, requires_grad=True)

y32 = (torch.exp(x32) - 1) / x32
y64 = (torch.exp(x64) - 1) / x64
y32.backward()
y64.backward()

print(y32.dtype, y32.item(), x32.grad.item())
print(y64.dtype, y64.item(), x64.grad.item())  # close to 0.5
print(x64.grad.dtype)
