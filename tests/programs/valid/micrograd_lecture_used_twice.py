# From Andrej Karpathy's micrograd lecture, in PyTorch
# The bug when one value is used more than once: the gradients must add up
import torch

a = torch.tensor(3.0, requires_grad=True)
b = a + a
b.backward()
print(a.grad)  # 2, not 1: the two uses add up

x = torch.tensor(-2.0, requires_grad=True)
y = torch.tensor(3.0, requires_grad=True)
d = x * y
e = x + y
f = d * e
f.backward()
print(x.grad, y.grad)  # -3 and -8
