"""BadgeDesk's PySide6 views: a package per pane of the window, the shell around them, and what they share."""
