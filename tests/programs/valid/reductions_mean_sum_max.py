# Written for Autograd Lens, after the PyTorch docs' reduction ops
# mean, sum over a dim, max, and max along a dim
import torch

x = torch.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)

m = x.mean()  # every entry gets 1/4
s = x.sum(dim=0)  # column sums
top = x.max()  # only the 5 gets a gradient
values, indices = torch.max(x, dim=1)  # row maxima: 5 and 3
total = m + s.sum() + top + values.sum()
total.backward()

print(indices)
print(x.grad)  # [[1.25, 3.25], [2.25, 1.25]]
