"""Bring the cache in step with the server: see :mod:`desktop.sync.service`."""

from desktop.sync.full import NEXT_MIRROR_NAME
from desktop.sync.progress import ProgressCallback, SyncProgress
from desktop.sync.service import LOCK_NAME, SyncBusy, SyncResult, SyncService
from desktop.sync.state import (
    KEY_ACTOR,
    KEY_CAPABILITIES,
    KEY_CHANGES_CURSOR,
    KEY_COMMUNITY,
    KEY_FULL_ANCHOR,
    KEY_FULL_CURSOR,
    KEY_FULL_DONE,
    KEY_FULL_PHASE,
    KEY_LAST_SYNC,
    KEY_OUTBOX_PAUSED,
    KEY_SNAPSHOT_CURSOR,
    KEY_SNAPSHOT_DONE,
    KEY_SNAPSHOT_PASS,
    KEY_SNAPSHOT_PHASE,
    stored_capabilities,
)
from desktop.sync.targets import WAL_CHECKPOINT_ABOVE, WRITE_SLICE, MirrorReplaced

__all__ = [
    "KEY_ACTOR",
    "KEY_CAPABILITIES",
    "KEY_CHANGES_CURSOR",
    "KEY_COMMUNITY",
    "KEY_FULL_ANCHOR",
    "KEY_FULL_CURSOR",
    "KEY_FULL_DONE",
    "KEY_FULL_PHASE",
    "KEY_LAST_SYNC",
    "KEY_OUTBOX_PAUSED",
    "KEY_SNAPSHOT_CURSOR",
    "KEY_SNAPSHOT_DONE",
    "KEY_SNAPSHOT_PASS",
    "KEY_SNAPSHOT_PHASE",
    "LOCK_NAME",
    "NEXT_MIRROR_NAME",
    "WAL_CHECKPOINT_ABOVE",
    "WRITE_SLICE",
    "MirrorReplaced",
    "ProgressCallback",
    "SyncBusy",
    "SyncProgress",
    "SyncResult",
    "SyncService",
    "stored_capabilities",
]
