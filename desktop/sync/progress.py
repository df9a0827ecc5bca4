"""What a running sync reports to its caller, page by page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """``total`` is 0 when unknown (an incremental sync)."""

    phase: str
    done: int
    total: int


ProgressCallback = Callable[[SyncProgress], None]
