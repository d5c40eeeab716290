# Written for Autograd Lens, after the PyTorch "Broadcasting semantics" notes
# unsqueeze, expand and squeeze: gradients are summed back over broadcast dimensions
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
r = torch.tensor([[1.0, 10.0, 100.0, 1000.0]], requires_grad=True)  # shape (1, 4)

col = x.unsqueeze(1)  # (3, 1)
grid = col.expand(3, 4)  # (3, 4), no copy
table = grid * r  # r broadcasts over the rows
row = table.sum(dim=0, keepdim=True).squeeze(0)  # (4,)
out = row.sum()
out.backward()

print(grid.shape, row.shape)
print(x.grad)  # 1111 for every entry
print(r.grad)  # 6 for every entry
