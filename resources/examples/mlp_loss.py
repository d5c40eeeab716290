# MLP loss · two layers, tanh, mean squared error
import torch

seed = torch.manual_seed(0)  # the same random weights every run
X = torch.tensor([[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]])
target = torch.tensor([1.0, -1.0, -1.0, 1.0])

W1 = torch.randn(3, 4, requires_grad=True)
b1 = torch.zeros(4, requires_grad=True)
W2 = torch.randn(4, 1, requires_grad=True)

h = torch.tanh(X @ W1 + b1)
pred = (h @ W2).squeeze(1)
loss = ((pred - target) ** 2).mean()
loss
loss.backward()
W2.grad
