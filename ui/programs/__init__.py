"""The programs pane: recognition programs, their runs and winners."""
