"""A review request's score: how strong it looks before anyone reads it, and why.

The parts are kept (evidence, badges held, account age) so the queue can show
why a request ranks high. Pure functions; any thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.i18n import _, ngettext

#: Points of the score; see :func:`score`.
EVIDENCE_POINTS = 30
POINTS_PER_BADGE = 3
MAX_BADGE_POINTS = 30
DAYS_PER_AGE_POINT = 30
MAX_AGE_POINTS = 40


@dataclass(frozen=True, slots=True)
class ScorePart:
    label: str
    points: int
    detail: str


@dataclass(frozen=True, slots=True)
class Score:
    parts: tuple[ScorePart, ...]

    @property
    def total(self) -> int:
        return sum(part.points for part in self.parts)

    def explain(self) -> str:
        """One line per part, e.g. ``+30  evidence link``."""
        return "\n".join(f"{part.points:+d}  {part.label}: {part.detail}" for part in self.parts)


def score(has_evidence: bool, badges_held: int, joined_at: datetime | None, now: datetime) -> Score:
    """How strong a request looks before anyone reads it; higher first.

    An evidence link is worth 30 points; each badge the member already holds
    3 (at most 30: an engaged member); each 30 days of membership 1 (at most
    40, reached after about three years and three months).
    """
    evidence = ScorePart(
        _("evidence link"),
        EVIDENCE_POINTS if has_evidence else 0,
        _("given") if has_evidence else _("none"),
    )
    held = ScorePart(
        _("badges held"),
        min(MAX_BADGE_POINTS, POINTS_PER_BADGE * badges_held),
        ngettext("{n} badge", "{n} badges", badges_held).format(n=badges_held),
    )
    if joined_at is None:
        age = ScorePart(_("account age"), 0, _("unknown member"))
    else:
        days = max(0, (now - joined_at).days)
        age = ScorePart(_("account age"), min(MAX_AGE_POINTS, days // DAYS_PER_AGE_POINT), age_text(days))
    return Score((evidence, held, age))


def age_text(days: int) -> str:
    """A membership's length for people: days, then months, then years."""
    if days < 60:
        return ngettext("{n} day", "{n} days", days).format(n=days)
    if days < 730:
        months = days // 30
        return ngettext("{n} month", "{n} months", months).format(n=months)
    return _("{years:.1f} years").format(years=days / 365.25)
