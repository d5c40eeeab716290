# Written for Autograd Lens, after the PyTorch docs' pointwise ops
# exp, log, sqrt, abs, sin, cos and their derivatives
import torch

x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)

y = torch.exp(x) + torch.log(x) + torch.sqrt(x) + torch.abs(x - 1.5) + torch.sin(x) + torch.cos(x)
y.sum().backward()
print(x.grad)

expected = torch.exp(x) + 1 / x + 0.5 / torch.sqrt(x)
expected = expected + torch.sign(x - 1.5) + torch.cos(x) - torch.sin(x)
print(expected.detach())
