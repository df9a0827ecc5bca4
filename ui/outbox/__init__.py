"""The Outbox pane: what is queued, sent or waiting for the user, and the batch builder."""
