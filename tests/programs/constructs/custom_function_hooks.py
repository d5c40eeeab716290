# a custom torch.autograd.Function with ctx.save_for_backward, @staticmethod, tensor hooks,
# @torch.no_grad() and .data updates
import torch


class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


@torch.no_grad()
def sgd_step(params, lr):
    for p in params:
        p -= lr * p.grad


x = torch.tensor([0.0, 1.0], requires_grad=True)
w = torch.tensor([2.0, 3.0], requires_grad=True)
h = x.register_hook(lambda g: g * 2)
y = MyExp.apply(x * w)
out = y.sum()
out.backward()
h.remove()
sgd_step([w], 0.1)
w.data -= 0.01 * w.grad
