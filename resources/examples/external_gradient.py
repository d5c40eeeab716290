# External gradient · backward(gradient=v) from a vector output
import torch

a = torch.tensor([2.0, 3.0], requires_grad=True)
b = torch.tensor([6.0, 4.0], requires_grad=True)
Q = 3 * a**3 - b**2

# Q is a vector: backward needs dL/dQ, here all ones
external_grad = torch.tensor([1.0, 1.0])
Q.backward(gradient=external_grad)

a.grad  # dQ/da = 9 a^2 = [36, 81]
b.grad  # dQ/db = -2 b = [-12, -8]
