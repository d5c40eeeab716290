"""The window's bench (bench/gui.py) runs: every measurement once, on tiny inputs, in its
own offscreen window process, and what it saw is what PyTorch computes."""

import math

from bench.gui import bench_gui
from bench.programs import LESSON
from tests.oracle import close, plain_value, run_plain

TINY = ["--edits", "1", "--step-ops", "16", "--steps", "3", "--stall-ops", "60"]
FIGURES = {
    "edit_to_paint_ms",
    "edit_debounce_ms",
    "edit_keystroke_to_paint_ms",
    "edit_worker_ms",
    "edit_gui_ms",
    "edit_same_shape_ms",
    "edit_same_shape_debounce_ms",
    "edit_same_shape_keystroke_to_paint_ms",
    "edit_same_shape_worker_ms",
    "edit_same_shape_gui_ms",
    "step_repaint_ms_1k",
    "step_repaint_ms_1k_fit",
    "step_repaint_ms_1k_actual",
    "gui_rss_mb_1k",
    "worker_rss_mb_1k",
    "ui_max_stall_ms_10k",
    "ui_max_stall_cpu_ms_10k",
    "stall_run_s_10k",
}


def test_every_gui_figure_is_measured_and_the_edit_painted_torchs_values():
    """Each figure is a positive finite number; the edited lesson's graph (a new constant
    in y = c * (x + 1) ** 2) showed o and x.grad as PyTorch computes them; the big-graph
    path (summary, then "Draw the whole graph") was taken, here with a low threshold."""
    results: dict[str, float] = {}
    said = bench_gui(results, [*TINY, "--big-nodes", "30"])
    assert set(results) == FIGURES
    for name, value in results.items():
        assert math.isfinite(value) and value > 0, (name, value)
    edited = said["edit"]["source"]
    assert edited != LESSON and "y = 5 *" not in edited
    plain = run_plain(edited)
    seen = said["edit"]["seen"]
    assert close(seen["o"]["value"], plain_value(plain["o"]))
    assert close(seen["x"]["grad"], plain_value(plain["x"].grad))
    assert seen["o"]["value"] != 20.0  # the lesson's own o: the edit really changed it
    same = said["edit_same_shape"]
    assert "* 1.01" not in same["source"]  # the loop's constant changed, not its shape
    assert close(same["seen"]["loss"]["value"], plain_value(run_plain(same["source"])["loss"]))
    assert said["steps"]["count"] == 3 and said["rss"]["showing"] == "graph"
    assert said["stall"]["path"] == ["summary"] and said["stall"]["nodes"] > 30
