# From the PyTorch docs for torch.nn.functional.binary_cross_entropy_with_logits
import torch
import torch.nn.functional as F

logits = torch.randn(3, requires_grad=True)
target = torch.tensor([1.0, 0.0, 1.0])
loss = F.binary_cross_entropy_with_logits(logits, target)
loss.backward()

print(loss)
print(logits.grad)
print((torch.sigmoid(logits) - target) / 3)  # the same numbers
