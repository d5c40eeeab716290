# Source: d2l-ai/d2l-en (Dive into Deep Learning, 0.17), section 4.8 "Numerical Stability
# and Initialization", PyTorch tab (chapter_multilayer-perceptrons/
# numerical-stability-and-init.md): vanishing gradients (sigmoid) and exploding gradients.
# Changed: `%matplotlib inline` and the plot of the sigmoid and its gradient (d2l.plot of
# .numpy() arrays) left out.
import torch

x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.sigmoid(x)
y.backward(torch.ones_like(x))

M = torch.normal(0, 1, size=(4,4))
print('a single matrix \n',M)
for i in range(100):
    M = torch.mm(M,torch.normal(0, 1, size=(4, 4)))

print('after multiplying 100 matrices\n', M)
