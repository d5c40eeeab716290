"""The chain-rule table (see `core.engine.rules.base`): importing this package fills RULES."""

from core.engine.rules import elementwise, losses, reductions, tensors
from core.engine.rules.base import RULES, Ctx, Local, Part

__all__ = ["RULES", "Ctx", "Local", "Part", "elementwise", "losses", "reductions", "tensors"]
