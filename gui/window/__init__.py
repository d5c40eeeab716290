"""The application: start-up (`app`), the main window, its menus, status bar and
preferences, the controller that asks the worker and holds the app's state, and sessions."""
