# try/except/else/finally and raise, as teaching code checks its inputs
import torch


def safe_log(t):
    if (t <= 0).any():
        raise ValueError("log of a non-positive number")
    return torch.log(t)


x = torch.tensor([0.5, 2.0], requires_grad=True)
messages = []
try:
    bad = safe_log(x - 1)
except ValueError as e:
    messages.append(str(e))
    bad = None
else:
    messages.append("no error")
finally:
    messages.append("checked")
try:
    y = safe_log(x).sum()
except:
    y = None
y.backward()
print(messages, bad)
