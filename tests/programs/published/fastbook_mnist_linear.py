# Source: fastai/fastbook, 04_mnist_basics.ipynb ("Deep Learning for Coders with fastai and
# PyTorch", chapter 4): "The MNIST Loss Function", "Sigmoid", "SGD and Mini-Batches",
# "Putting It All Together", "Creating an Optimizer" (up to the BasicOptim training) and the
# definitions of "Adding a Nonlinearity". The text was read from a script export of the
# notebook's code cells.
# Changed: the MNIST_SAMPLE images (untar_data, Image.open, torch.stack) replaced by seeded
# random tensors: stacked_threes and stacked_sevens (64 images of 28x28 each), valid_3_tens
# and valid_7_tens (16 each), and the lists of file paths `threes`, `sevens` (only their
# len() is used) by lists of those images; `from fastai.vision.all import *` replaced by
# `import torch`, `from torch import nn` and `from torch.utils.data import DataLoader`;
# fastai's `tensor(...)` written `torch.tensor(...)` and `first(dl)` `next(iter(dl))`; left
# out: the plot_function cells (matplotlib), the `L(enumerate(string.ascii_lowercase))` cell
# (fastai's L), and everything from fastai's SGD, DataLoaders and Learner on (except the
# nonlinearity's definitions).
import torch
from torch import nn
from torch.utils.data import DataLoader

torch.manual_seed(0)
stacked_threes = torch.rand(64, 28, 28)
stacked_sevens = torch.rand(64, 28, 28)
threes, sevens = list(stacked_threes), list(stacked_sevens)
valid_3_tens = torch.rand(16, 28, 28)
valid_7_tens = torch.rand(16, 28, 28)

train_x = torch.cat([stacked_threes, stacked_sevens]).view(-1, 28*28)

train_y = torch.tensor([1]*len(threes) + [0]*len(sevens)).unsqueeze(1)
train_x.shape,train_y.shape

dset = list(zip(train_x,train_y))
x,y = dset[0]
x.shape,y

valid_x = torch.cat([valid_3_tens, valid_7_tens]).view(-1, 28*28)
valid_y = torch.tensor([1]*len(valid_3_tens) + [0]*len(valid_7_tens)).unsqueeze(1)
valid_dset = list(zip(valid_x,valid_y))

def init_params(size, std=1.0): return (torch.randn(size)*std).requires_grad_()

weights = init_params((28*28,1))

bias = init_params(1)

(train_x[0]*weights.T).sum() + bias

def linear1(xb): return xb@weights + bias
preds = linear1(train_x)
preds

corrects = (preds>0.0).float() == train_y
corrects

corrects.float().mean().item()

with torch.no_grad(): weights[0] *= 1.0001

preds = linear1(train_x)
((preds>0.0).float() == train_y).float().mean().item()

trgts  = torch.tensor([1,0,1])
prds   = torch.tensor([0.9, 0.4, 0.2])

def mnist_loss(predictions, targets):
    return torch.where(targets==1, 1-predictions, predictions).mean()

torch.where(trgts==1, 1-prds, prds)

mnist_loss(prds,trgts)

mnist_loss(torch.tensor([0.9, 0.4, 0.8]),trgts)

def sigmoid(x): return 1/(1+torch.exp(-x))

def mnist_loss(predictions, targets):
    predictions = predictions.sigmoid()
    return torch.where(targets==1, 1-predictions, predictions).mean()

coll = range(15)
dl = DataLoader(coll, batch_size=5, shuffle=True)
list(dl)

weights = init_params((28*28,1))
bias = init_params(1)

dl = DataLoader(dset, batch_size=256)
xb,yb = next(iter(dl))
xb.shape,yb.shape

valid_dl = DataLoader(valid_dset, batch_size=256)

batch = train_x[:4]
batch.shape

preds = linear1(batch)
preds

loss = mnist_loss(preds, train_y[:4])
loss

loss.backward()
weights.grad.shape,weights.grad.mean(),bias.grad

def calc_grad(xb, yb, model):
    preds = model(xb)
    loss = mnist_loss(preds, yb)
    loss.backward()

calc_grad(batch, train_y[:4], linear1)
weights.grad.mean(),bias.grad

calc_grad(batch, train_y[:4], linear1)
weights.grad.mean(),bias.grad

weights.grad.zero_()
bias.grad.zero_();

def train_epoch(model, lr, params):
    for xb,yb in dl:
        calc_grad(xb, yb, model)
        for p in params:
            p.data -= p.grad*lr
            p.grad.zero_()

(preds>0.0).float() == train_y[:4]

def batch_accuracy(xb, yb):
    preds = xb.sigmoid()
    correct = (preds>0.5) == yb
    return correct.float().mean()

batch_accuracy(linear1(batch), train_y[:4])

def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb,yb in valid_dl]
    return round(torch.stack(accs).mean().item(), 4)

validate_epoch(linear1)

lr = 1.
params = weights,bias
train_epoch(linear1, lr, params)
validate_epoch(linear1)

for i in range(20):
    train_epoch(linear1, lr, params)
    print(validate_epoch(linear1), end=' ')

linear_model = nn.Linear(28*28,1)

w,b = linear_model.parameters()
w.shape,b.shape

class BasicOptim:
    def __init__(self,params,lr): self.params,self.lr = list(params),lr

    def step(self, *args, **kwargs):
        for p in self.params: p.data -= p.grad.data * self.lr

    def zero_grad(self, *args, **kwargs):
        for p in self.params: p.grad = None

opt = BasicOptim(linear_model.parameters(), lr)

def train_epoch(model):
    for xb,yb in dl:
        calc_grad(xb, yb, model)
        opt.step()
        opt.zero_grad()

validate_epoch(linear_model)

def train_model(model, epochs):
    for i in range(epochs):
        train_epoch(model)
        print(validate_epoch(model), end=' ')

train_model(linear_model, 20)

def simple_net(xb): 
    res = xb@w1 + b1
    res = res.max(torch.tensor(0.0))
    res = res@w2 + b2
    return res

w1 = init_params((28*28,30))
b1 = init_params(30)
w2 = init_params((30,1))
b2 = init_params(1)

simple_net = nn.Sequential(
    nn.Linear(28*28,30),
    nn.ReLU(),
    nn.Linear(30,1)
)
