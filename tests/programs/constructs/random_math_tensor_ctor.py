# import random, import math, torch.Tensor([...]) as micrograd's tests write it
import math
import random

import torch

random.seed(0)
vals = [random.uniform(-1, 1) for _ in range(3)]
x = torch.Tensor([vals]).double()
x.requires_grad = True
z = 2 * x + 2 + x
q = z.relu() + z * x
h = (z * z).relu()
y = h + q + q * x + math.pi
y = y.sum()
y.backward()
g = torch.Generator().manual_seed(42)
noise = torch.normal(0.0, 1.0, size=(2,), generator=g)
dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
