# From the PyTorch docs for torch.nn.functional.cross_entropy
# Softmax cross-entropy with class indices as targets
import torch
import torch.nn.functional as F

logits = torch.randn(3, 5, requires_grad=True)
target = torch.tensor([1, 0, 4])
loss = F.cross_entropy(logits, target)
loss.backward()

print(loss)
print(logits.grad)
# each row of the gradient is softmax(logits) - one_hot(target), divided by 3
print(F.softmax(logits, dim=1).sum(dim=1))
