"""A recognition program as the user saved it, and its runs.

A program names a source of candidates (its kind and parameters, which only the
sources read: stored here opaquely with their version), optional rule conditions
on top, the badge, an optional alumni badge (what a former holder keeps when the
badge moves on), the award message and a cadence. Each run ran for one period
of that cadence and queued at most one batch.

Thread safety: immutable values; any thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.programs.periods import Cadence
from desktop.rules import Rule


class ProgramError(Exception):
    """A change to the programs that cannot be made; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """Where a program's candidates come from: kept as the sources wrote it, read only by them."""

    #: "leaderboard", "liked-posts", "topic", "list", "tenure", … (the sources define them).
    kind: str
    #: JSON-safe parameters, in the form ``version`` names.
    params: dict[str, Any] = field(default_factory=dict)
    version: int = 1


@dataclass(frozen=True, slots=True)
class ProgramSpec:
    """What the user sets for a program (creating or editing it)."""

    name: str
    source: SourceSpec
    badge_id: int
    cadence: Cadence
    message: str = ""
    rule: Rule | None = None
    alumni_badge_id: int | None = None


@dataclass(frozen=True, slots=True)
class Program:
    id: int
    spec: ProgramSpec
    created_at: datetime
    updated_at: datetime
    #: When the user deleted it (its runs stay readable); None while it lives.
    deleted_at: datetime | None = None
    #: Why its stored rule cannot be read ("" when it can): such a program does not run.
    problem: str = ""
    #: One more at each edit.
    version: int = 1

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def cadence(self) -> Cadence:
        return self.spec.cadence


@dataclass(frozen=True, slots=True)
class ProgramRun:
    id: int
    program_id: int
    period_key: str
    ran_at: datetime
    #: The batch it queued; None when it found nothing new to award.
    batch_id: str | None
    #: What the dry run counted (candidates, to_award, already, …) as queued.
    counts: dict[str, int]
    #: What the source asked to keep for its next run (a list source's keys), opaque here.
    kept: Any = None
    actor: str = ""
    #: The batch of revokes of members gone from its list source (None: none).
    revoke_batch_id: str | None = None
