# Tensors that carry gradients: PyTorch records every operation on them,
# so backward() can apply the chain rule for us.
import torch

a = torch.ones((2, 2), requires_grad=True)
a
a.requires_grad

# A plain tensor is a constant to autograd.
plain = torch.ones(2, 2)
plain.requires_grad

b = torch.ones((2, 2), requires_grad=True)
print(a + b)
print(torch.add(a, b))
print(a * b)
print(torch.mul(a, b))

# y_i = 5 (x_i + 1)^2, so at x_i = 1 each y_i is 20
x = torch.ones(2, requires_grad=True)
x
y = 5 * (x + 1) ** 2
y

# backward() needs a scalar: o is half the sum of y
o = (1 / 2) * torch.sum(y)
o

# do/dx_i = (1/2) * 10 (x_i + 1) = 10 at x_i = 1
o.backward()
x.grad
x.requires_grad
y.requires_grad
o.requires_grad
