"""The History pane: every award and revoke of the community, and correcting a batch from it."""
