# From the PyTorch recipe "Zeroing out gradients in PyTorch"
# Setting .grad to None between backward calls instead of zeroing it
import torch

w = torch.tensor([0.5, -0.5], requires_grad=True)
x = torch.tensor([2.0, 4.0])

loss = (w * x).sum() ** 2
loss.backward()
print(w.grad)

w.grad = None  # what optimizer.zero_grad(set_to_none=True) does
print(w.grad)

loss = (w * x).sum() ** 2
loss.backward()
print(w.grad)  # the same as the first time, not doubled
