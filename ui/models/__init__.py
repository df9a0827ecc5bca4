"""Qt item models of the panes (moving into their panes' folders)."""
