# From "Dive into Deep Learning", 5.1 Multilayer Perceptrons
# ReLU, sigmoid and tanh and their derivatives
import torch

x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)

y = torch.relu(x)
y.backward(torch.ones_like(x), retain_graph=True)
print(x.grad[75:85])

# Clear out previous gradients
x.grad.data.zero_()
y = torch.sigmoid(x)
y.backward(torch.ones_like(x), retain_graph=True)
print(x.grad.max())  # 0.25 at x = 0

x.grad.data.zero_()
y = torch.tanh(x)
y.backward(torch.ones_like(x), retain_graph=True)
print(x.grad.max())  # 1 at x = 0
