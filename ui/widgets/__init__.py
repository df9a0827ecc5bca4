"""What every pane shares: plain-text labels and boxes, the table pane and its load-failure line, the
flat table model, how actions are labelled, and badge images."""
