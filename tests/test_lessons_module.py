"""A trusted run's missing module gets a Why line: how to install it where the Lens runs."""

from core.record.lessons import explain


def test_missing_module_says_where_to_install() -> None:
    why = explain("ModuleNotFoundError: No module named 'd2l'")
    assert why is not None
    assert ".venv/bin/pip install d2l" in why
    assert "pipx inject autograd-lens d2l" in why


def test_missing_submodule_names_the_package() -> None:
    why = explain("ModuleNotFoundError: No module named 'matplotlib.pyplot'")
    assert why is not None and "pip install matplotlib`" in why


def test_real_import_error_message_matches() -> None:
    try:
        import autograd_lens_no_such_module  # type: ignore[import-not-found]  # noqa: F401
    except ModuleNotFoundError as e:
        why = explain(f"ModuleNotFoundError: {e}")
    assert why is not None and "autograd_lens_no_such_module" in why
