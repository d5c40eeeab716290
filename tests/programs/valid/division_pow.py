# Written for Autograd Lens: the quotient and power rules (a / b, a ** b, b ** 0.5)
import torch

a = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)

q = a / b  # dq/da = 1/b, dq/db = -a/b**2
p = a**b  # dp/da = b*a**(b-1), dp/db = a**b * log(a)
r = b**0.5  # dr/db = 0.5 / sqrt(b)
out = q + p + r
out.backward()

print(a.grad)  # 0.5 + 6
print(b.grad)  # -0.75 + 9*log(3) + 0.3536
