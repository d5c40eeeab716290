# From the PyTorch "Tensor Views" notes
# view, t() and slicing share one base; gradients flow back through them
import torch

x = torch.arange(6.0, requires_grad=True)
y = x * 1  # a non-leaf base to take views of
v = y.view(2, 3)
tt = v.t()  # (3, 2)
col = tt[:, 0]  # first column: y[0], y[1], y[2]
corner = v[1, 2]  # a single element: y[5]
s = (col * 10).sum() + corner
s.backward()

print(v)
print(tt)
print(x.grad)  # [10, 10, 10, 0, 0, 1]
