# From the Stanford CS231n notes "Backpropagation, Intuitions", in PyTorch
# A 2-D neuron with a sigmoid activation
import torch

w = torch.tensor([2.0, -3.0], requires_grad=True)  # weights
x = torch.tensor([-1.0, -2.0], requires_grad=True)  # data
b = torch.tensor(-3.0, requires_grad=True)  # bias

dot = w[0] * x[0] + w[1] * x[1] + b
f = 1.0 / (1 + torch.exp(-dot))  # sigmoid function
f.backward()

print(f.item())
print(w.grad)  # [-0.2, -0.39]
print(x.grad)  # [0.39, -0.59]
print(b.grad)  # 0.2
print(torch.sigmoid(w @ x + b))
