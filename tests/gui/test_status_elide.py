"""The status line ends a text too long for it with "…", the whole text as its tooltip."""

from gui.window.status import ElidedLabel


def test_a_long_status_is_elided_with_its_whole_text_as_tooltip(qtbot):
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.resize(120, 20)
    label.show()
    text = "The graph up to line 4, where backward() failed · " + "math " * 40
    label.setText(text)
    assert label.shown_text().endswith("…") and len(label.shown_text()) < len(text)
    assert label.toolTip() == text and label.text() == text
    label.resize(4000, 20)
    assert label.shown_text() == text
