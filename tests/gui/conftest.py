"""Records for the GUI tests, made by the real worker process and laid out by Graphviz."""

from pathlib import Path

import pytest

from core.worker import Worker

ROOT = Path(__file__).resolve().parents[2]
LESSON = (ROOT / "resources" / "examples" / "lesson.py").read_text(encoding="utf-8")
CHAIN = (
    "x = torch.ones(2, requires_grad=True)\n"
    "y = x\n"
    "for i in range(1000):\n"
    "    y = y * 1.001\n"
    "z = y.sum()\n"
    "z.backward()\n"
)
TWICE = (
    "a = torch.ones(4, requires_grad=True)\nb = a * 2\nc = b[:2]\nd = (c * c).sum()\nd.backward()\n"
)
VIEW = "a = torch.ones(4, requires_grad=True)\nb = a * 2\nc = b[:2]\n"


@pytest.fixture(scope="session")
def worker():
    with Worker(timeout=60) as w:
        yield w


@pytest.fixture(scope="session")
def lesson(worker):
    """The lesson's record, as the window gets it."""
    return worker.evaluate(LESSON, show_values=True)


@pytest.fixture(scope="session")
def chain(worker):
    """A 1,000-multiplication chain: ~1,000 nodes and ~1,000 backward steps."""
    return worker.evaluate(CHAIN, show_values=True)


@pytest.fixture(scope="session")
def twice(worker):
    """Saved tensors and a tensor used twice (c * c), with backward."""
    return worker.evaluate(TWICE, show_values=True, show_saved=True)


@pytest.fixture(scope="session")
def view(worker):
    """Every kind of box: leaf, output (a view), its base, a saved tensor, ops."""
    return worker.evaluate(VIEW, show_values=True, show_saved=True)
