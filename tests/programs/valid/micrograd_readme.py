# From the micrograd README (karpathy/micrograd, "Example usage")
# with torch float64 scalars in place of micrograd's Value
import torch

a = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
b = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
print(round(g.item(), 4))  # prints 24.7041, the outcome of this forward pass
g.backward()
print(round(a.grad.item(), 4))  # prints 138.8338, i.e. the numerical value of dg/da
print(round(b.grad.item(), 4))  # prints 645.5773, i.e. the numerical value of dg/db
