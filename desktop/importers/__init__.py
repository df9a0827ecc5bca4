"""Reading user-provided data into the core (member lists for batches); never imports Qt."""
