# Written for Autograd Lens, after the PyTorch docs for Tensor.clone and Tensor.detach
# clone is a copy inside the graph; detach cuts the graph
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)

c = x.clone()  # CloneBackward0: gradients flow through
d = x.detach()  # shares data, no gradient
print(c.requires_grad, c.is_leaf)
print(d.requires_grad, d.is_leaf)

out = (c * d).sum()
out.backward()
print(x.grad)  # d, i.e. [1, 2, 3]: no contribution through d
