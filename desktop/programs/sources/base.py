"""What every program source answers: candidates with the reason each was picked.

A source is read for one period (its first and last day, both included, in the
user's time zone) and answers a :class:`SourceResult`: the members it picks, each
with a sentence saying why ("142 likes received this week", "passed the exam on
2026-11-30") and, where the server takes a link as reason, the post or topic that
earned it; the rows it could not match to a member; for a list source, the members
it named last time and no longer does; notes the dry run shows ("ranking as of
6 Dec 14:00"); and, for tenure, who qualifies soon.

Candidates are in the source's order (best first for a ranking); members of equal
``score`` at a cut-off are a tie the moderator decides, never the source.

Thread safety: immutable values; any thread.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member a source picked, and why."""

    member_id: int
    #: Why this member: one sentence for people, in the user's language.
    why: str
    #: What the source ranks by (likes, posts, years), where it ranks; equal scores tie.
    score: float | None = None
    #: The post or topic that earned it (a web address), where there is one.
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A row of the source that names no member the cache knows (shown, never dropped)."""

    #: The row as the source had it (an email, a username, "line 12: …").
    row: str
    #: Why it matched no one, for people.
    why: str


@dataclass(frozen=True, slots=True)
class SourceResult:
    candidates: tuple[Candidate, ...]
    unmatched: tuple[Unmatched, ...] = ()
    #: Members a list source named on its last run and no longer does (candidates to revoke).
    gone: tuple[Candidate, ...] = ()
    #: Sentences the dry run shows beside the candidates ("ranking as of …").
    notes: tuple[str, ...] = ()
    #: Members who will qualify soon (tenure: the next 30 days), not candidates now.
    upcoming: tuple[Candidate, ...] = ()
