# an optimizer and a training loop: zero_grad, backward, step, param_groups
import torch
from torch import nn, optim

torch.manual_seed(1)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
opt = optim.Adam(model.parameters(), lr=0.05)
X = torch.randn(16, 2)
Y = X[:, :1] * 2 - X[:, 1:]
losses = []
for epoch in range(20):
    opt.zero_grad()
    loss = ((model(X) - Y) ** 2).mean()
    loss.backward()
    opt.step()
    losses.append(loss.item())
for group in opt.param_groups:
    group["lr"] = group["lr"] * 0.5
print(f"first {losses[0]:.4f} last {losses[-1]:.4f}")
