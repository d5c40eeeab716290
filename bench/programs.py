"""The programs `make bench` times: the lesson, a chain of about n autograd nodes, a
beginner's MLP looped over a mini-batch, and PyTorch's published polynomial fit (2,000
backward() calls). Both the record's bench (bench/__main__.py) and the window's
(bench/gui.py) run them."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LESSON = (ROOT / "resources" / "examples" / "lesson.py").read_text()


def chain(ops: int) -> str:
    """A program whose graph has about `ops` autograd nodes (sin and mul, alternating)."""
    return (
        "x = torch.linspace(0, 1, 4, requires_grad=True)\ny = x\n"
        f"for i in range({ops // 2}):\n    y = torch.sin(y) * 1.01\n"
        "loss = y.sum()\nloss.backward()\n"
    )


def model(samples: int) -> str:
    """A real model as a beginner writes it: a two-layer MLP looped over a mini-batch, one
    sample at a time, the losses summed (110 samples: 999 autograd nodes). Its weights feed
    every sample, so the graph is bushy: torchviz + `dot -Tpng` take ~16 s on it here."""
    return (
        "W1 = torch.randn(4, 8, requires_grad=True)\nb1 = torch.zeros(8, requires_grad=True)\n"
        "W2 = torch.randn(8, 1, requires_grad=True)\nb2 = torch.zeros(1, requires_grad=True)\n"
        f"xs = torch.randn({samples}, 4)\nys = torch.randn({samples}, 1)\n"
        f"loss = torch.zeros(())\nfor i in range({samples}):\n"
        "    h = torch.relu(xs[i:i + 1] @ W1 + b1)\n    p = h @ W2 + b2\n"
        "    loss = loss + ((p - ys[i:i + 1]) ** 2).sum()\nloss.backward()\n"
    )


MODEL_1K = model(110)

# PyTorch's "Learning PyTorch with Examples", the polynomial fit with tensors and autograd
# (pytorch/tutorials, beginner_source/examples_autograd/polynomial_autograd.py), as
# published: 2,000 steps, a backward() each.
TRAIN_2K = """\
import torch
import math

dtype = torch.float
device = torch.device("cpu")
x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)
a = torch.randn((), device=device, dtype=dtype, requires_grad=True)
b = torch.randn((), device=device, dtype=dtype, requires_grad=True)
c = torch.randn((), device=device, dtype=dtype, requires_grad=True)
d = torch.randn((), device=device, dtype=dtype, requires_grad=True)

learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')
"""
