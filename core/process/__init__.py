"""The process boundary between the window and the engine.

`client` is the window's side (starts, feeds, times and stops the worker, never loads
torch); `server` is the worker's main loop (loads torch, runs `core.engine`); `protocol` is
what crosses the pipe between them.
"""
