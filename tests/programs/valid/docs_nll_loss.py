# From the PyTorch docs for torch.nn.functional.nll_loss (log_softmax then nll_loss)
import torch
import torch.nn.functional as F

# input is of size N x C = 3 x 5
scores = torch.randn(3, 5, requires_grad=True)
# each element in target has to have 0 <= value < C
target = torch.tensor([1, 0, 4])
output = F.nll_loss(F.log_softmax(scores, dim=1), target)
output.backward()

print(output)
print(scores.grad)
