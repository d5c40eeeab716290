# From the PyTorch docs for torch.nn.MSELoss, written with torch.nn.functional.mse_loss
import torch
from torch.nn import functional as F

prediction = torch.randn(3, 5, requires_grad=True)
target = torch.randn(3, 5)
loss = F.mse_loss(prediction, target)
loss.backward()

print(loss)
print(prediction.grad)
print(2 * (prediction - target) / 15)  # the same numbers
