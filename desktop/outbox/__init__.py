"""The outbox: changes the user made, kept in SQLite until the server confirms them.

- :mod:`~desktop.outbox.store`: the only code that touches the actions table;
- :mod:`~desktop.outbox.kinds`: each kind of action, how it is sent and how its answer ends it;
- :mod:`~desktop.outbox.sender`: claims, chunks, retries, reconciling after a lost answer;
- :mod:`~desktop.outbox.holds`, :mod:`~desktop.outbox.batches`, :mod:`~desktop.outbox.undo`;
- :class:`Outbox`: the face the rest of the app uses.
"""

from desktop.drift import NOOP_OUTCOMES, HoldReason
from desktop.outbox.outbox import Outbox
from desktop.outbox.types import (
    APPLIED_OUTCOMES,
    NO_RETRY,
    Batch,
    BatchRowRecord,
    BatchSummary,
    DecisionSpec,
    DecisionUndo,
    OutboxError,
    PauseReason,
    RetryPolicy,
    SendProgress,
    SendReport,
)

__all__ = [
    "APPLIED_OUTCOMES",
    "NOOP_OUTCOMES",
    "NO_RETRY",
    "Batch",
    "BatchRowRecord",
    "BatchSummary",
    "DecisionSpec",
    "DecisionUndo",
    "HoldReason",
    "Outbox",
    "OutboxError",
    "PauseReason",
    "RetryPolicy",
    "SendProgress",
    "SendReport",
]
