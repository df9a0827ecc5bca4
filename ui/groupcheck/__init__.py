"""The group check: a badge against the group that should hold it."""
