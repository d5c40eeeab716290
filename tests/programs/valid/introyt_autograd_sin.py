# From the PyTorch tutorial "The Fundamentals of Autograd" (Introduction to PyTorch on YouTube)
import torch

a = torch.linspace(0.0, 2.0 * torch.pi, steps=25, requires_grad=True)
b = torch.sin(a)
c = 2 * b
d = c + 1
out = d.sum()

print("d:")
print(d.grad_fn)
print(d.grad_fn.next_functions)
print(d.grad_fn.next_functions[0][0].next_functions)

out.backward()
print(a.grad)  # 2 * cos(a)
