# Where the graph stops · detach() and torch.no_grad() (View → Show Constants)
import torch

x = torch.ones(2, requires_grad=True)
y = x * x
u = y.detach()  # same values as y, but no history: gradients stop here

with torch.no_grad():
    c = x * 3  # computed without recording: a constant to autograd

z = (u * x + c).sum()
z.backward()
x.grad  # only the u * x path counts: u = [1., 1.]
