# Written for Autograd Lens, after the PyTorch docs for torch.matmul
# The @ operator: matrix-vector and matrix-matrix products
import torch

A = torch.randn(3, 2, requires_grad=True)
v = torch.randn(2, requires_grad=True)
B = torch.randn(2, 4)

y = A @ v  # (3,)  matrix-vector
M = torch.matmul(A, B)  # (3, 4) matrix-matrix
loss = y.pow(2).sum() + M.mean()
loss.backward()

print(A.grad)
print(v.grad)
print(torch.allclose(v.grad, 2 * A.T @ y))
