# Source: fastai/fastbook, 04_mnist_basics.ipynb ("Deep Learning for Coders with fastai and
# PyTorch", chapter 4 "Under the Hood: Training a Digit Classifier"): the sections
# "Calculating Gradients" and "An End-to-End SGD Example". The text was read from a script
# export of the notebook's code cells.
# Changed: `from fastai.vision.all import *` / `from fastbook import *` replaced by
# `import torch`, and fastai's `tensor(...)` written `torch.tensor(...)`; the plotting cells
# (plot_function, plt.scatter, show_preds and its plt.subplots loop: matplotlib) left out.
import torch

def f(x): return x**2

xt = torch.tensor(3.).requires_grad_()

yt = f(xt)
yt

yt.backward()

xt.grad

xt = torch.tensor([3.,4.,10.]).requires_grad_()
xt

def f(x): return (x**2).sum()

yt = f(xt)
yt

yt.backward()
xt.grad

time = torch.arange(0,20).float(); time

speed = torch.randn(20)*3 + 0.75*(time-9.5)**2 + 1

def f(t, params):
    a,b,c = params
    return a*(t**2) + (b*t) + c

def mse(preds, targets): return ((preds-targets)**2).mean()

params = torch.randn(3).requires_grad_()

#hide
orig_params = params.clone()

preds = f(time, params)

loss = mse(preds, speed)
loss

loss.backward()
params.grad

params.grad * 1e-5

params

lr = 1e-5
params.data -= lr * params.grad.data
params.grad = None

preds = f(time,params)
mse(preds, speed)

def apply_step(params, prn=True):
    preds = f(time, params)
    loss = mse(preds, speed)
    loss.backward()
    params.data -= lr * params.grad.data
    params.grad = None
    if prn: print(loss.item())
    return preds

for i in range(10): apply_step(params)

#hide
params = orig_params.detach().requires_grad_()
