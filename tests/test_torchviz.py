"""torchviz is the oracle for the graph's structure: same nodes, same edges."""

import re
import sys
from collections import Counter

import pytest
import torch
from torchviz import make_dot
from torchviz.dot import get_fn_name

from core.engine.evaluate import run_program

NODE = re.compile(r"^\t(\d+) \[label=")
EDGE = re.compile(r"^\t(\d+) -> (\d+)")

PROGRAMS = {
    "lesson": "x = torch.ones(2, requires_grad=True)\ny = 5 * (x + 1) ** 2\n"
    "o = (1/2) * torch.sum(y)\n",
    "used_twice": "x = torch.tensor([2.0, 3.0], requires_grad=True)\ny = x * x + x\n",
    "view_output": "x = torch.ones(3, 4, requires_grad=True)\ny = (x * 2).view(12)\n",
    "view_of_view": "x = torch.ones(4, 4, requires_grad=True)\ny = (x * 2)[1:].t()\n",
    "mlp": "w1 = torch.randn(3, 4, requires_grad=True)\nw2 = torch.randn(4, 1, "
    "requires_grad=True)\nx = torch.randn(5, 3)\nh = torch.relu(x @ w1)\n"
    "loss = ((h @ w2) ** 2).mean()\n",
    "cross_entropy": "logits = torch.randn(4, 3, requires_grad=True)\n"
    "target = torch.tensor([0, 2, 1, 0])\nloss = F.cross_entropy(logits, target)\n",
    "after_backward": "a = torch.tensor([2.0, 3.0], requires_grad=True)\n"
    "b = torch.tensor([6.0, 4.0], requires_grad=True)\nQ = 3 * a**3 - b**2\n"
    "Q.backward(gradient=torch.tensor([1.0, 1.0]))\n",
}


def torchviz_graph(output, **options):
    """Node names and the edge multiset of torchviz's make_dot."""
    dot = make_dot(output, **options)
    nodes = {m.group(1) for line in dot.body if (m := NODE.match(line))}
    edges = Counter((m.group(1), m.group(2)) for line in dot.body if (m := EDGE.match(line)))
    return nodes, edges


def our_graph(ev):
    """Our nodes and edges, named as torchviz names them: str(id(torch object))."""
    name = {node_id: str(id(obj)) for node_id, obj in ev.objects.items()}
    nodes = {name[n.id] for n in ev.record.nodes}
    edges = Counter((name[e.source], name[e.target]) for e in ev.record.edges)
    return nodes, edges


@pytest.mark.parametrize("key", sorted(PROGRAMS))
def test_same_nodes_and_edges_as_make_dot(key):
    """Every node and edge of make_dot's graph is ours, and nothing else."""
    ev = run_program(PROGRAMS[key])
    assert our_graph(ev) == torchviz_graph(ev.output)


@pytest.mark.parametrize("key", ["lesson", "mlp", "cross_entropy", "used_twice"])
def test_saved_tensors_like_make_dot(key):
    """With show_saved, we draw one saved node per saved tensor, as make_dot does."""
    ev = run_program(PROGRAMS[key], show_saved=True)
    dot = make_dot(ev.output, show_saved=True)
    theirs = sum("fillcolor=orange" in line for line in dot.body)
    ours = [n for n in ev.record.nodes if n.kind == "saved"]
    # make_dot merges a saved tensor with a tensor it already drew when they are the same
    # Python object (torchviz issue #69); we keep every saved slot as its own node.
    merged = sum(
        1 for n in ours if str(id(ev.objects[n.id])) in our_graph(run_program(PROGRAMS[key]))[0]
    )
    assert len(ours) >= theirs
    assert len(ours) - merged <= theirs
    saved_edges = [e for e in ev.record.edges if e.kind == "saved"]
    assert len(saved_edges) == len(ours)


def test_attrs_like_make_dot():
    """show_attrs gives each grad_fn's attributes with torchviz's names and wording."""
    ev = run_program(PROGRAMS["mlp"] + "s = loss.sum(dim=0, keepdim=True)\n", show_attrs=True)
    checked = 0
    for node in (n for n in ev.record.nodes if n.kind == "op"):
        label = get_fn_name(ev.objects[node.id], True, 10**6).split("\n")[2:]
        theirs = [tuple(part.strip() for part in line.split(": ", 1)) for line in label]
        assert list(node.attrs) == theirs
        checked += bool(theirs)
    assert checked >= 4


def test_deep_chain_where_make_dot_fails():
    """A 10,000-deep chain is captured; make_dot raises RecursionError on it (at Python's
    default recursion limit, whatever an earlier test in this process set it to)."""
    limit = sys.getrecursionlimit()
    ev = run_program(
        "x = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(10000):\n    y = y * 1.0001\n"
    )
    ops = [n for n in ev.record.nodes if n.kind == "op"]
    assert len(ops) == 10_001
    sys.setrecursionlimit(1000)
    try:
        with pytest.raises(RecursionError):
            make_dot(ev.output)
    finally:
        sys.setrecursionlimit(limit)


def test_output_that_is_a_view_gets_its_base():
    """A view output gets a dark-green base node joined by a dotted (view) edge."""
    ev = run_program(PROGRAMS["view_output"])
    base = [n for n in ev.record.nodes if n.role == "base"]
    assert len(base) == 1
    assert [e.kind for e in ev.record.edges if e.source == base[0].id] == ["view"]
    assert isinstance(ev.objects[base[0].id], torch.Tensor)
