"""The Members pane: search as you type, filters, results, member detail, export."""
