"""Rebindable keyboard shortcuts: the key map panes bind to, a help overlay and a settings dialog."""
