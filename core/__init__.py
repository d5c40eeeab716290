"""Autograd Lens core: the language, the recorder, the record and its layout. No Qt here."""

import warnings

# torch warns at import when NumPy is absent; the app does not use NumPy.
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
