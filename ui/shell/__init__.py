"""The window around the panes: start-up and shut-down, the main window and its menus, the status bar."""
