# Written for Autograd Lens, after the CS231n notes
# A sigmoid neuron f = sigmoid(w . x + b) with a squared error
import torch

w = torch.tensor([0.2, -0.4, 0.1], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
b = torch.tensor(0.5, requires_grad=True)
target = torch.tensor(1.0)

f = torch.sigmoid(w @ x + b)
loss = (f - target) ** 2
loss.backward()

print(f.item())
print(w.grad)  # 2 * (f - 1) * f * (1 - f) * x
print(b.grad)
