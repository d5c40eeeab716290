# From the PyTorch recipe "Zeroing out gradients in PyTorch"
# Gradients accumulate over backward calls in a loop until they are zeroed
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
xs = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
ys = torch.tensor([1.0, 2.0, 3.0])

for i in range(3):
    loss = (xs[i] @ w - ys[i]) ** 2
    loss.backward()  # no zeroing: w.grad keeps the sum over all three samples
    print(i, w.grad)

w.grad.zero_()
for i in range(3):
    loss = (xs[i] @ w - ys[i]) ** 2
    loss.backward()
    print(i, w.grad)  # only this sample's gradient
    w.grad.zero_()
