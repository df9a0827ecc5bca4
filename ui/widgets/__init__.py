"""Widgets and helpers every pane shares: plain-text labels and boxes, the table pane and its
load-failure line, the flat table model, and rasterising badge images."""
