# Source: pytorch/pytorch, torch/_tensor.py, the example in the docstring of
# Tensor.register_hook (torch.Tensor.register_hook in the PyTorch documentation).
# Changed: the doctest prompts (>>>) removed and `import torch` added; the expected-output
# lines of the docstring left out.
import torch

v = torch.tensor([0., 0., 0.], requires_grad=True)
h = v.register_hook(lambda grad: grad * 2)  # double the gradient
v.backward(torch.tensor([1., 2., 3.]))
v.grad

h.remove()  # removes the hook
