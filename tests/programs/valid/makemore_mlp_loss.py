# From Andrej Karpathy's "Building makemore Part 2: MLP", made smaller
# Embedding, tanh hidden layer, cross_entropy loss
import torch
import torch.nn.functional as F

torch.manual_seed(2147483647)
X = torch.tensor([[0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]])
Y = torch.tensor([13, 13, 1, 0])
C = torch.randn((27, 2), requires_grad=True)
W1 = torch.randn((6, 10), requires_grad=True)
b1 = torch.randn(10, requires_grad=True)
W2 = torch.randn((10, 27), requires_grad=True)
b2 = torch.randn(27, requires_grad=True)

emb = C[X]  # (4, 3, 2)
h = torch.tanh(emb.view(-1, 6) @ W1 + b1)  # (4, 10)
logits = h @ W2 + b2  # (4, 27)
loss = F.cross_entropy(logits, Y)
print(loss.item())

loss.backward()
print(W2.grad.shape, C.grad.shape)
