"""The torch side: runs a program and records what autograd did. Only the worker loads it.

`evaluate` is the entry point (one evaluation of one program text). The safe language is
`policy` (the AST rewrite and its runtime checks), `interpreter`, `namespace`,
`safe_builtins` and `allowlist`; its bounds are `limits`, `sizes` and `faults`. What torch
does is watched by `recorder` and `capture`, turned into values by `values`, and explained
by `chain_rule` with its `rules/` and checked by hand in `check_by_hand`.
"""
