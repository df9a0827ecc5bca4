"""The leaderboard source: the members ranked highest by a measure in the period.

Read through the session's :class:`~desktop.dialects.activity.ActivityReader`
(offered only where ``Capabilities.activity_sources`` has ``leaderboard``).
Members of excluded groups (staff), excluded usernames and the program's last
winners (:func:`~desktop.programs.sources.winners.recent_winners`) are left out
before ranking, so the top N are N others; members tied at the last rank all
stay, with their value as ``score``: the moderator decides a tie, never the source.

A server whose rankings are rolling periods of its own (Discourse: "the last
7 days" as of its last refresh) may rank another window than the program's
period: the result says so in its notes, with when the ranking was made.

Thread safety: :class:`LeaderboardSource` is immutable; :meth:`LeaderboardSource.read`
runs on a worker (it talks to the server), never the GUI thread.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.dialects.activity import ActivityReader, Measure, Ranking, top_ranks
from desktop.i18n import _, ngettext
from desktop.programs.sources.base import Candidate, SourceResult

#: Most ranks a leaderboard source may ask for.
MAX_TOP = 500


def _why(measure: Measure, value: int, period: str) -> str:
    if measure is Measure.LIKES_RECEIVED:
        text = ngettext("{n} like received in {period}", "{n} likes received in {period}", value)
    elif measure is Measure.REPLIES:
        text = ngettext("{n} reply written in {period}", "{n} replies written in {period}", value)
    elif measure is Measure.TOPICS:
        text = ngettext("{n} topic started in {period}", "{n} topics started in {period}", value)
    elif measure is Measure.SOLUTIONS:
        text = ngettext("{n} solution accepted in {period}", "{n} solutions accepted in {period}", value)
    else:
        text = ngettext("visited on {n} day in {period}", "visited on {n} days in {period}", value)
    return text.format(n=value, period=period)


def _days(ranking: Ranking) -> str:
    """A ranked window in words ("the 7 days to 2026-12-06"), its end excluded."""
    last = (ranking.ends - timedelta(microseconds=1)).date().isoformat()
    days = max(1, round((ranking.ends - ranking.starts) / timedelta(days=1)))
    return ngettext("the {n} day to {last}", "the {n} days to {last}", days).format(n=days, last=last)


def window_notes(
    asked: tuple[datetime, datetime], ranked: tuple[datetime, datetime], as_of: datetime | None
) -> list[str]:
    """What the dry run says of a ranking's window: when it was made, and that it is not the
    program's period where it is not."""
    notes: list[str] = []
    if as_of is not None:
        notes.append(_("Ranking as of {when}.").format(when=as_of.isoformat(sep=" ", timespec="minutes")))
    if ranked != asked:
        notes.append(
            _(
                "The server ranks its own period, {first} to {last}, not the program's period,"
                " {start} to {end}."
            ).format(
                first=ranked[0].isoformat(timespec="minutes"),
                last=ranked[1].isoformat(timespec="minutes"),
                start=asked[0].isoformat(timespec="minutes"),
                end=asked[1].isoformat(timespec="minutes"),
            )
        )
    return notes


@dataclass(frozen=True, slots=True)
class LeaderboardSource:
    """The ``top`` ranks by ``measure``, without the groups (by id) and usernames excluded.

    ``top`` is how deep the ranking is read, not the program's cut: the dry run
    (``program_dry_run(top=…)``) cuts after its conditions (holders, the rule), so read
    deeper than the places given, or members left out by a condition leave places empty.
    """

    measure: Measure
    top: int
    exclude_groups: tuple[int, ...] = ()
    exclude_usernames: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.top <= MAX_TOP:
            raise ValueError(f"top must be 1 to {MAX_TOP}, not {self.top}")

    def read(
        self,
        reader: ActivityReader,
        starts: datetime,
        ends: datetime,
        *,
        period: str,
        past_winners: Set[int] = frozenset(),
    ) -> SourceResult:
        """The candidates of the window ``[starts, ends)`` (aware), best first; ``period`` names
        it in the reasons ("2026-W49"); ``past_winners`` (member ids) are left out."""
        # Each winner left out moves the others up one rank at most.
        ranking: Ranking = reader.leaderboard(
            self.measure,
            starts,
            ends,
            top=self.top + len(past_winners),
            exclude_groups=self.exclude_groups,
            exclude_usernames=self.exclude_usernames,
        )
        # Nobody earns a place with nothing (a forum's directory lists every member, most with 0).
        counted = [r for r in ranking.rows if r.member_id not in past_winners and r.value > 0]
        rows = top_ranks(counted, self.top)
        # The reasons name the window the server ranked: its own rolling one, where it is not the period.
        ranked = period if (ranking.starts, ranking.ends) == (starts, ends) else _days(ranking)
        candidates = tuple(
            Candidate(r.member_id, _why(self.measure, r.value, ranked), score=float(r.value)) for r in rows
        )
        notes = window_notes((starts, ends), (ranking.starts, ranking.ends), ranking.as_of)
        left_out = sum(1 for r in ranking.rows if r.member_id in past_winners)
        if left_out:
            notes.append(
                ngettext(
                    "{n} recent winner left out of the ranking.",
                    "{n} recent winners left out of the ranking.",
                    left_out,
                ).format(n=left_out)
            )
        return SourceResult(candidates=candidates, notes=tuple(notes))
