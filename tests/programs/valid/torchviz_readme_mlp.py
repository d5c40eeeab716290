# From the torchviz README (make_dot of a small MLP's output)
# with F.linear in place of nn.Sequential. Graph only: no backward.
import torch
import torch.nn.functional as F

W0 = torch.randn(16, 8, requires_grad=True)
b0 = torch.zeros(16, requires_grad=True)
W1 = torch.randn(1, 16, requires_grad=True)
b1 = torch.zeros(1, requires_grad=True)

x = torch.randn(1, 8)
h = torch.tanh(F.linear(x, W0, b0))
y = F.linear(h, W1, b1)
out = y.mean()
print(out.grad_fn)
