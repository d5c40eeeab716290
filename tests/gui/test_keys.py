"""The step keys after typing (issue 19, item 9): keys that step while the editor has the
focus, Space steps (as in slides) rather than plays, and the hint says what is true."""

from PySide6.QtCore import Qt

from gui.model.captions import caption_for

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_keys_step_while_typing_in_the_editor(make_window, qtbot):
    w = make_window()
    c, last = w.controller, len(w.controller.record.backward)
    c.set_step(0)
    w.editor.setFocus()
    w.editor.moveCursor(w.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(w.editor, "# typed")  # the teacher has just typed
    text = w.editor.toPlainText()
    assert text.endswith("# typed") and w.editor.hasFocus()
    for key, mods, step in (
        (Qt.Key.Key_Right, ALT, 1),
        (Qt.Key.Key_F10, Qt.KeyboardModifier.NoModifier, 2),
        (Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier, 3),
        (Qt.Key.Key_Left, ALT, 2),
        (Qt.Key.Key_F9, Qt.KeyboardModifier.NoModifier, 1),
        (Qt.Key.Key_PageUp, Qt.KeyboardModifier.NoModifier, 0),
        (Qt.Key.Key_End, ALT, last),
        (Qt.Key.Key_Home, ALT, 0),
    ):
        qtbot.keyClick(w.editor, key, mods)
        assert c.step == step, (key, mods)
    assert w.editor.toPlainText() == text and w.editor.hasFocus()  # nothing typed or lost
    qtbot.keyClick(w.editor, Qt.Key.Key_F8)  # plays, from the editor too
    assert w.player.timer.isActive()
    qtbot.keyClick(w.editor, Qt.Key.Key_F8)
    assert not w.player.timer.isActive()
    qtbot.keyClick(w.editor, Qt.Key.Key_Space)  # Space, ← and Home edit text there
    qtbot.keyClick(w.editor, Qt.Key.Key_Right)
    assert w.editor.toPlainText() == text + " " and c.step == 0


def test_space_steps_like_a_slide_and_shift_space_steps_back(make_window, qtbot):
    w = make_window()
    c = w.controller
    c.set_step(0)
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Space)
    assert c.step == 1 and not w.player.timer.isActive()  # one step, no playing
    qtbot.keyClick(w.view, Qt.Key.Key_Space)
    assert c.step == 2
    qtbot.keyClick(w.view, Qt.Key.Key_Space, SHIFT)
    assert c.step == 1


def test_the_hint_names_keys_that_step(make_window, qtbot):
    w = make_window()
    w.controller.set_step(0)
    hint = caption_for(w.controller.record, 0)
    assert "press → or Play" not in hint
    assert "Space" in hint and "Alt+→" in hint  # what steps, focus or not
    assert w.player.caption.toolTip() == hint
    from gui.panels.player import KEYS

    assert "Space" in KEYS["forward"] and "Alt+Right" in KEYS["forward"]
    assert w.player.play_action.shortcut().toString() == "F8"
    assert "Alt+Right" in w.player.forward_action.toolTip()
