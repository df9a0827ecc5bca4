"""The Badges pane: every badge with its icon, state and holders; it opens the designer."""
