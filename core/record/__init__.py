"""The torch-free side: what a run leaves behind and what the window may read.

The record (`graph`: nodes, edges, values, backward steps, runs), how it is labelled
(`labels`), written as DOT (`dot`) and laid out by Graphviz (`layout`), the program errors
and source positions (`language`), the shipped lessons (`lessons`), session files
(`session_file`) and the careful file reading both use (`files`). Nothing here imports torch.
"""
