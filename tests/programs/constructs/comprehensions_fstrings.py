# list/dict/set/generator comprehensions, f-strings with format specs, starred unpacking
import torch

params = [torch.tensor(float(i), requires_grad=True) for i in range(1, 4)]
first, *rest = params
squares = {i: p * p for i, p in enumerate(params)}
loss = sum(v for v in squares.values()) + sum(r * 3 for r in rest)
loss.backward()
grads = [p.grad for p in params]
kinds = {type(p).__name__ for p in params}
print(f"loss: {loss.item():>7f}  first grad {first.grad.item():.2f}")
print(f"{len(grads)} grads, {sorted(kinds)}, {', '.join(f'{g.item():g}' for g in grads)}")
assert loss.item() > 0, "loss should be positive"
