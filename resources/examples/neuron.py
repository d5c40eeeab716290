# A neuron · o = tanh(x1 w1 + x2 w2 + b)
import torch

x1 = torch.tensor(2.0, requires_grad=True)
x2 = torch.tensor(0.0, requires_grad=True)
w1 = torch.tensor(-3.0, requires_grad=True)
w2 = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(6.8813735870195432, requires_grad=True)

n = x1 * w1 + x2 * w2 + b
o = torch.tanh(n)
o
o.backward()

w1.grad  # x1 (1 - o^2) = 1.0
x1.grad  # w1 (1 - o^2) = -1.5
