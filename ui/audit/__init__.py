"""The Audit log pane: every action of the outbox, filtered, paged and exportable."""
