# Lesson step 3 · y = 5(x + 1)², then o = ½ Σ y (press Backward)
import torch

x = torch.ones(2, requires_grad=True)
x

# at x_i = 1 each y_i is 5 (1 + 1)^2 = 20
y = 5 * (x + 1) ** 2
y

# backward() needs a scalar: o is half the sum of y
o = (1 / 2) * torch.sum(y)
o
