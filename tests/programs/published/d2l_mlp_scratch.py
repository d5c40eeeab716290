# Source: d2l-ai/d2l-en (Dive into Deep Learning, 0.17), section 4.2 "Implementation of
# Multilayer Perceptrons from Scratch", PyTorch tab (chapter_multilayer-perceptrons/
# mlp-scratch.md; the code was read from d2l-ai/d2l-zh, which shares it).
# Changed: d2l.load_data_fashion_mnist(batch_size) replaced by DataLoaders over seeded random
# 1x28x28 images of 10 classes (a random template per class plus noise; 512 training,
# 128 test), without its num_workers=4; d2l.train_ch3 and its helpers (accuracy,
# evaluate_accuracy, Accumulator, train_epoch_ch3) inlined as section 3.6 defines them, with
# the Animator (a matplotlib plot) left out: animator.add(...) is a print of the same
# numbers; d2l.reshape(X, ...) written X.reshape(...) as in the PyTorch tab;
# d2l.predict_ch3 (it shows images) left out.
import torch
from torch import nn
from torch.utils import data

batch_size = 256
# -- data: stands for `train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size)`
torch.manual_seed(0)
prototypes = torch.randn(10, 1, 28, 28)
train_labels = torch.randint(0, 10, (512,))
test_labels = torch.randint(0, 10, (128,))
train_images = prototypes[train_labels] + 0.5 * torch.randn(512, 1, 28, 28)
test_images = prototypes[test_labels] + 0.5 * torch.randn(128, 1, 28, 28)
train_iter = data.DataLoader(data.TensorDataset(train_images, train_labels), batch_size,
                             shuffle=True)
test_iter = data.DataLoader(data.TensorDataset(test_images, test_labels), batch_size,
                            shuffle=False)

num_inputs, num_outputs, num_hiddens = 784, 10, 256

W1 = nn.Parameter(torch.randn(
    num_inputs, num_hiddens, requires_grad=True) * 0.01)
b1 = nn.Parameter(torch.zeros(num_hiddens, requires_grad=True))
W2 = nn.Parameter(torch.randn(
    num_hiddens, num_outputs, requires_grad=True) * 0.01)
b2 = nn.Parameter(torch.zeros(num_outputs, requires_grad=True))

params = [W1, b1, W2, b2]

def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)

def net(X):
    X = X.reshape((-1, num_inputs))
    H = relu(X@W1 + b1)  # Here '@' stands for matrix multiplication
    return (H@W2 + b2)

loss = nn.CrossEntropyLoss(reduction='none')

# -- d2l.train_ch3 and the helpers it uses, as defined in section 3.6 (d2l/torch.py)
def accuracy(y_hat, y):  #@save
    """Compute the number of correct predictions."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

def evaluate_accuracy(net, data_iter):  #@save
    """Compute the accuracy for a model on a dataset."""
    if isinstance(net, torch.nn.Module):
        net.eval()  # Set the model to evaluation mode
    metric = Accumulator(2)  # No. of correct predictions, no. of predictions

    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]

class Accumulator:  #@save
    """For accumulating sums over `n` variables."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]

def train_epoch_ch3(net, train_iter, loss, updater):  #@save
    """The training loop defined in Chapter 3."""
    # Set the model to training mode
    if isinstance(net, torch.nn.Module):
        net.train()
    # Sum of training loss, sum of training accuracy, no. of examples
    metric = Accumulator(3)
    for X, y in train_iter:
        # Compute gradients and update parameters
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            # Using PyTorch in-built optimizer & loss criterion
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            # Using custom built optimizer & loss criterion
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    # Return training loss and training accuracy
    return metric[0] / metric[2], metric[1] / metric[2]

def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):  #@save
    """Train a model (defined in Chapter 3)."""
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        print(epoch + 1, train_metrics + (test_acc,))  # stands for animator.add(...)
    train_loss, train_acc = train_metrics
    assert train_loss < 0.5, train_loss
    assert train_acc <= 1 and train_acc > 0.7, train_acc
    assert test_acc <= 1 and test_acc > 0.7, test_acc

num_epochs, lr = 10, 0.1
updater = torch.optim.SGD(params, lr=lr)
train_ch3(net, train_iter, test_iter, loss, num_epochs, updater)
