"""Which PyTorch build is installed, read from its metadata without importing it.

The app runs on the CPU. On Linux, PyPI's torch wheel is the CUDA build (a 500 MiB wheel
and about 19 CUDA packages, several GB in all); PyTorch's CPU index has the same version
as `2.13.0+cpu`. macOS and Windows wheels on PyPI are CPU builds. `make setup`, the bundle
build and the app's start all ask `problem()` and refuse a CUDA (or ROCm) build with one
sentence. `python -m core.process.torch_build` prints that sentence and exits 1.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
GPU_PACKAGES = ("nvidia-", "triton", "pytorch-triton-rocm")


def problem(version: str | None, requires: list[str], system: str) -> str | None:
    """One sentence if this torch is not a CPU build (or is missing), else None."""
    if version is None:
        return f"PyTorch is not installed: pip install torch --index-url {CPU_INDEX}"
    local = version.partition("+")[2]
    gpu_tag = local.startswith(("cu", "rocm"))
    gpu_needs = any(r.lower().startswith(GPU_PACKAGES) for r in requires)
    if gpu_tag or gpu_needs or (system == "Linux" and local != "cpu"):
        return (
            f"torch {version} is a GPU build (several GB); Autograd Lens runs on the CPU: "
            f"pip install 'torch=={version.partition('+')[0]}' --index-url {CPU_INDEX}"
        )
    return None


def installed_problem() -> str | None:
    """`problem()` for the torch this Python would import."""
    try:
        dist = metadata.distribution("torch")
    except metadata.PackageNotFoundError:
        return problem(None, [], platform.system())
    return problem(dist.version, dist.requires or [], platform.system())


if __name__ == "__main__":
    found = installed_problem()
    if found:
        print(f"error: {found}", file=sys.stderr)
    sys.exit(1 if found else 0)
