# From the PyTorch autograd docs on retain_graph
# Calling backward twice: gradients accumulate in .grad
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x**3

y.backward(retain_graph=True)
print(x.grad)  # 3 * x**2 = 12

y.backward()
print(x.grad)  # 12 + 12 = 24: the second call adds to .grad
