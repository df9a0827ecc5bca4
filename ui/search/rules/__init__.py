"""The Members pane's rule builder and saved rules."""
