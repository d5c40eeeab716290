import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# offscreen, on a 1920×1080 screen (Qt's own is 800×800): the window opens at its 1280×800,
# as on a desktop monitor (it fits itself to a smaller screen: tests/gui/test_screen_fit.py)
os.environ.setdefault(
    "QT_QPA_PLATFORM", f"offscreen:configfile={ROOT / 'tests' / 'screens' / 'desktop.json'}"
)
if "AUTOGRAD_LENS_DATA_DIR" not in os.environ:  # windows the tests start autosave here
    _data = tempfile.mkdtemp(prefix="autograd-lens-test-data-")
    os.environ["AUTOGRAD_LENS_DATA_DIR"] = _data
    atexit.register(shutil.rmtree, _data, ignore_errors=True)
if "AUTOGRAD_LENS_SETTINGS_DIR" not in os.environ:  # never the user's own settings
    _settings = tempfile.mkdtemp(prefix="autograd-lens-test-settings-")
    os.environ["AUTOGRAD_LENS_SETTINGS_DIR"] = _settings
    atexit.register(shutil.rmtree, _settings, ignore_errors=True)
