"""Connecting the app to a community server: the connect dialog."""
