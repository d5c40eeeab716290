# Second derivative · create_graph=True gives the gradient a graph of its own
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x**3

# dy/dx = 3 x^2 = 12, computed with a graph so it can be differentiated again
g, = torch.autograd.grad(y, x, create_graph=True)
g

# the graph shown is g's: backward through it gives d2y/dx2 = 6 x = 12
g.backward()
x.grad
