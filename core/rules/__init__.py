"""The chain-rule table (see `core.rules.base`): importing this package fills RULES."""

from core.rules import elementwise, losses, reductions, tensors
from core.rules.base import RULES, Ctx, Local, Part

__all__ = ["RULES", "Ctx", "Local", "Part", "elementwise", "losses", "reductions", "tensors"]
