# From "Dive into Deep Learning", 3.4 Linear Regression Implementation from Scratch
# One minibatch SGD step
import torch

true_w = torch.tensor([2, -3.4])
true_b = 4.2
X = torch.randn(10, 2)
y = X @ true_w + true_b

w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.03

y_hat = X @ w + b  # linreg(X, w, b)
loss = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2  # squared_loss(y_hat, y)
loss.sum().backward()
print(w.grad, b.grad)

with torch.no_grad():  # sgd([w, b], lr, batch_size)
    w -= lr * w.grad / 10
    b -= lr * b.grad / 10
    w.grad.zero_()
    b.grad.zero_()
print(w, b)
