# From the lesson "PyTorch Fundamentals: 2. Tensors with Gradients"
# Creating Tensor with Gradients. Graph only: no backward.
import torch

a = torch.ones((2, 2), requires_grad=True)
print(a)
print(a.requires_grad)

b = torch.ones((2, 2), requires_grad=True)
print(a + b)
print(torch.add(a, b))

print(a * b)
print(torch.mul(a, b))

c = a * b
