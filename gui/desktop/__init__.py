"""Fitting into the desktop: the menu entry and file type, the app icon, dropped files."""
