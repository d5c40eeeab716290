# Written for Autograd Lens: a for loop builds a chain of nodes
# The Taylor series of exp(x); its derivative is (almost) the series itself
import torch

x = torch.tensor(1.0, requires_grad=True)
term = torch.tensor(1.0)
total = torch.tensor(1.0)

for i in range(12):
    term = term * x / (i + 1)
    total = total + term

total.backward()
print(total.item())  # e = 2.71828...
print(x.grad.item())  # also close to e
