import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "AUTOGRAD_LENS_DATA_DIR" not in os.environ:  # windows the tests start autosave here
    _data = tempfile.mkdtemp(prefix="autograd-lens-test-data-")
    os.environ["AUTOGRAD_LENS_DATA_DIR"] = _data
    atexit.register(shutil.rmtree, _data, ignore_errors=True)
if "AUTOGRAD_LENS_SETTINGS_DIR" not in os.environ:  # never the user's own settings
    _settings = tempfile.mkdtemp(prefix="autograd-lens-test-settings-")
    os.environ["AUTOGRAD_LENS_SETTINGS_DIR"] = _settings
    atexit.register(shutil.rmtree, _settings, ignore_errors=True)
