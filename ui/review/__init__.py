"""The Review queue pane: badge requests decided by keyboard, the deny/return dialog, its templates."""
