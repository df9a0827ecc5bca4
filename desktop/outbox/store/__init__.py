"""The outbox's store: the only code that reads or writes the actions table.

:mod:`.actions` (rows: add, read, settle, answers), :mod:`.claims` (senders'
claims and leases), :mod:`.queries` (questions that join other tables:
drift, batches, drafts), :mod:`.history` (the audit log and the review
queue's decisions).
"""
