"""The Reports pane: awards and revokes per period, as a table and a chart."""
