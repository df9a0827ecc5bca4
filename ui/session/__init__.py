"""The open community as the views see it: the session that runs the core's work and signals its results."""
