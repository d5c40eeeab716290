"""Programs inside the language where PyTorch (or Python) itself raises.

`TORCH_ERRORS` is a list of ``(id, program, phrase, line)``:

- ``id``: a short, unique, pytest-friendly name.
- ``program``: a program that passes the language's checks (nothing in it is refused).
- ``phrase``: a substring of the exception message PyTorch (or Python, for ``not defined``
  and ``division by zero``) raises, exactly as torch 2.13 spells it; compare
  case-insensitively if the app rewords capitalisation.
- ``line``: the 1-based line of the statement that raises, as Python's own traceback
  names it when the program is exec'd under plain Python.

Each one was checked by exec'ing the program under plain Python with ``torch`` and
``F`` (torch.nn.functional) bound, after ``torch.manual_seed(0)``. The app must exit with
status 2 and report the phrase and the line (no traceback); statements before that line
have run, so their prints appear.
"""

from __future__ import annotations

TORCH_ERRORS: list[tuple[str, str, str, int]] = [
    (
        "backward_non_scalar",
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.backward()\n",
        "grad can be implicitly created only for scalar outputs",
        3,
    ),
    (
        "backward_twice",
        "x = torch.ones(2, requires_grad=True)\n"
        "y = (x * x).sum()\n"
        "y.backward()\n"
        "print(x.grad)\n"
        "y.backward()\n",
        "backward through the graph a second time",
        5,
    ),
    (
        "matmul_shape_mismatch",
        "a = torch.ones(2, 3, requires_grad=True)\nb = torch.ones(2, 3)\nc = a @ b\n",
        "cannot be multiplied",
        3,
    ),
    (
        "add_shape_mismatch",
        "a = torch.ones(2, requires_grad=True)\nb = torch.ones(3)\nc = a + b\n",
        "must match the size of tensor b",
        3,
    ),
    (
        "inplace_on_leaf",
        "x = torch.ones(2, requires_grad=True)\nx.add_(1)\n",
        "a leaf Variable that requires grad is being used in an in-place operation",
        2,
    ),
    (
        "inplace_on_leaf_augmented",
        "w = torch.zeros(3, requires_grad=True)\n"
        "loss = (w - 1).pow(2).sum()\n"
        "loss.backward()\n"
        "w -= 0.1 * w.grad\n",
        "a leaf Variable that requires grad is being used in an in-place operation",
        4,
    ),
    (
        "backward_without_grad",
        "x = torch.ones(2)\ny = x.sum()\ny.backward()\n",
        "does not require grad",
        3,
    ),
    ("undefined_name", "x = torch.ones(2, requires_grad=True)\ny = x * z\n", "not defined", 2),
    (
        "saved_tensor_modified",
        "x = torch.ones(2, requires_grad=True)\ny = x.exp()\ny.add_(1)\ny.sum().backward()\n",
        "modified by an inplace operation",
        4,
    ),
    (
        "gradient_shape_mismatch",
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.backward(gradient=torch.ones(3))\n",
        "Mismatch in shape",
        3,
    ),
    (
        "integer_requires_grad",
        "x = torch.tensor([1, 2, 3], requires_grad=True)\n",
        "Only Tensors of floating point and complex dtype can require gradients",
        1,
    ),
    (
        "requires_grad_on_non_leaf",
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.requires_grad = False\n",
        "you can only change requires_grad flags of leaf variables",
        3,
    ),
    (
        "item_of_many",
        "x = torch.ones(2, requires_grad=True)\nv = x.item()\n",
        "cannot be converted to Scalar",
        2,
    ),
    (
        "view_of_transpose",
        "x = torch.ones(2, 3, requires_grad=True)\ny = x.t()\nz = y.view(6)\n",
        "view size is not compatible with input tensor's size and stride",
        3,
    ),
    (
        "index_out_of_range",
        "x = torch.ones(2, requires_grad=True)\ny = x[5]\n",
        "index 5 is out of bounds for dimension 0 with size 2",
        2,
    ),
    (
        "nll_loss_float_target",
        "logits = torch.randn(3, 5, requires_grad=True)\n"
        "target = torch.tensor([1, 0, 4])\n"
        "loss = F.nll_loss(logits, target.float())\n",
        "expected target dtype to be Long",
        3,
    ),
    (
        "error_inside_loop",
        "x = torch.ones(2, requires_grad=True)\n"
        "for i in range(3):\n"
        "    y = (x * i).sum()\n"
        "    y.backward()\n"
        "    print(x.grad)\n"
        "    y.backward()\n",
        "backward through the graph a second time",
        6,
    ),
    (
        "division_by_zero",
        "x = torch.ones(2, requires_grad=True)\nscale = 1 / 0\n",
        "division by zero",
        2,
    ),
]
