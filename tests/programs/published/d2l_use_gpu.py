# Source: d2l-ai/d2l-en (Dive into Deep Learning, 0.17), section 5.6 "GPUs", PyTorch tab
# (chapter_deep-learning-computation/use-gpu.md; the code was read from d2l-ai/d2l-zh, which
# shares it): computing devices, tensors on a device, and "Neural Networks and GPUs".
# Changed: `!nvidia-smi` (a shell command) left out; the "Copying" cells (Z = X.cuda(1),
# Y + Z, Z.cuda(1) is Z) left out: they need two GPUs, and the section says so.
import torch
from torch import nn

torch.device('cpu'), torch.device('cuda'), torch.device('cuda:1')

torch.cuda.device_count()

def try_gpu(i=0):  #@save
    """Return gpu(i) if exists, otherwise return cpu()."""
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f'cuda:{i}')
    return torch.device('cpu')

def try_all_gpus():  #@save
    """Return all available GPUs, or [cpu(),] if no GPU exists."""
    devices = [torch.device(f'cuda:{i}')
             for i in range(torch.cuda.device_count())]
    return devices if devices else [torch.device('cpu')]

try_gpu(), try_gpu(10), try_all_gpus()

x = torch.tensor([1, 2, 3])
x.device

X = torch.ones(2, 3, device=try_gpu())
X

Y = torch.rand(2, 3, device=try_gpu(1))
Y

net = nn.Sequential(nn.Linear(3, 1))
net = net.to(device=try_gpu())

net(X)

net[0].weight.data.device
