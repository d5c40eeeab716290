# class X(nn.Module) with __init__, super().__init__(), forward and a helper method
import torch
import torch.nn as nn


class TwoLayer(nn.Module):
    def __init__(self, d_in, d_hidden):
        super().__init__()
        self.fc1 = nn.Linear(d_in, d_hidden)
        self.fc2 = nn.Linear(d_hidden, 1)
        self.scale = nn.Parameter(torch.tensor(0.5))

    def hidden(self, x):
        return torch.tanh(self.fc1(x))

    def forward(self, x):
        return self.scale * self.fc2(self.hidden(x))


torch.manual_seed(0)
model = TwoLayer(3, 4)
x = torch.randn(5, 3)
target = torch.randn(5, 1)
loss = nn.MSELoss()(model(x), target)
loss.backward()
w1 = model.fc1.weight
