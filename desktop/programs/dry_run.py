"""A program's dry run for one period: what becomes of each candidate its source gave.

The dry run classifies each candidate the source gave, in its order:

- *not found* (the cache knows no such member), *inactive* (suspended or deleted),
  *not meeting the conditions* (the program's rule, compiled by
  :func:`desktop.rule_sql.compile_rule` and run over the candidates), then
- a top-N cut-off over those left, when asked: members of equal score across the
  cut-off are a **tie** the moderator decides (none of them is picked by itself);
  the rest beyond it are *below the cut-off*;
- of those picked, *awarded this period* (the program queued them for this period
  already), *already holds the badge*, or **to award**.

Members a list source named at its last run and no longer does (``gone``) are
*to revoke* where they hold the badge, *revoked this period* where this program
queued their revoke already, else *not holding*: a run revokes them only when the
moderator asks, with a reason ("certification expired"; :mod:`desktop.programs.runs`).

Each award carries its own reason: where the server takes a link as a grant's
reason (``link_reasons``; Discourse), the post or topic that earned it; elsewhere
the sentence saying why, with the link.

Thread safety: pure values; :func:`program_dry_run` reads through the cache; any
thread, never the GUI's.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import Connection

from desktop.batch_plan import BatchPlan, plan_batch
from desktop.cache.database import Cache
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind, ActionState, Member, MemberStatus
from desktop.i18n import _
from desktop.net.budget import RateBudget
from desktop.programs.model import Program, ProgramError
from desktop.programs.periods import Period
from desktop.programs.sources.base import Candidate, SourceResult, Unmatched
from desktop.programs.titles import marking_of
from desktop.rule_sql import compile_rule

_CHUNK = 500


class Standing(enum.StrEnum):
    """What the dry run made of a candidate."""

    TO_AWARD = "to_award"
    #: Equal score across the top-N cut-off: the moderator decides.
    TIE = "tie"
    BELOW_CUT = "below_cut"
    AWARDED_THIS_PERIOD = "awarded_this_period"
    ALREADY_HOLDS = "already_holds"
    RULE_EXCLUDED = "rule_excluded"
    INACTIVE = "inactive"
    NOT_FOUND = "not_found"
    #: Gone from a list source since its last run, and holding the badge.
    TO_REVOKE = "to_revoke"
    REVOKED_THIS_PERIOD = "revoked_this_period"
    NOT_HOLDING = "not_holding"


#: The standings a moderator may pick a member from in the app (``queue_run(picked=…)``): those the
#: dry run picked, the ties, and those ranked below the cut-off (a runner-up, another liked post).
PICKABLE = frozenset({Standing.TO_AWARD, Standing.TIE, Standing.BELOW_CUT})


@dataclass(frozen=True, slots=True)
class PlannedCandidate:
    candidate: Candidate
    standing: Standing
    #: How people read the member ("@alice", "member #12").
    member: str
    #: The reason the award would carry (for a member gone from a list: why it is gone).
    reason: str

    @property
    def member_id(self) -> int:
        return self.candidate.member_id


@dataclass(frozen=True, slots=True)
class TitleMove:
    """The program's badge is held by one member at a time: a run hands it over to its winner."""

    #: The holder the cache knows (None: nobody holds it yet), and how people read them.
    holder_id: int | None
    holder: str
    #: What the previous holder gets (the program's alumni badge, else the marking's; None: nothing).
    alumni_badge_id: int | None


@dataclass(frozen=True, slots=True)
class ProgramDryRun:
    """Exactly what a run would queue, before anything is queued."""

    program: Program
    period: Period
    #: Every candidate once (a member the source named twice: its first time), in the source's order.
    rows: tuple[PlannedCandidate, ...]
    top: int | None = None
    unmatched: tuple[Unmatched, ...] = ()
    #: The members gone from a list source since its last run (TO_REVOKE, REVOKED_THIS_PERIOD,
    #: NOT_HOLDING or NOT_FOUND).
    gone: tuple[PlannedCandidate, ...] = ()
    notes: tuple[str, ...] = ()
    upcoming: tuple[Candidate, ...] = ()
    #: Set where the badge is held by one member at a time (a hand-over, not an award).
    title: TitleMove | None = None
    #: The places of a ranking still open this period (``top`` less the members the program
    #: awarded for it already); None: no ranking, every candidate may be awarded.
    places_left: int | None = None

    def having(self, standing: Standing) -> tuple[PlannedCandidate, ...]:
        return tuple(row for row in self.rows if row.standing is standing)

    @property
    def to_award(self) -> tuple[int, ...]:
        return tuple(row.member_id for row in self.having(Standing.TO_AWARD))

    @property
    def ties(self) -> tuple[PlannedCandidate, ...]:
        return self.having(Standing.TIE)

    @property
    def to_revoke(self) -> tuple[int, ...]:
        return tuple(row.member_id for row in self.gone if row.standing is Standing.TO_REVOKE)

    def counts(self) -> dict[str, int]:
        found = {standing.value: 0 for standing in Standing}
        for row in self.rows:
            found[row.standing.value] += 1
        for row in self.gone:
            if row.standing is not Standing.NOT_FOUND:
                found[row.standing.value] += 1
        found["candidates"] = len(self.rows)
        found["unmatched"] = len(self.unmatched)
        found["gone"] = len(self.gone)
        return found


#: The source kinds that rank their candidates: a run awards the first ``top`` places.
RANKED_KINDS = frozenset({"leaderboard", "liked-posts"})


def places(program: Program) -> int | None:
    """How many places a ranking program awards a period: a leaderboard its ``top`` (a tie across
    the last one is left to a moderator); most liked posts one, the most liked post's author,
    its ``top`` being the posts shown to choose from; None for the sources that award everyone
    they name."""
    kind = program.spec.source.kind
    if kind not in RANKED_KINDS:
        return None
    if kind == "liked-posts":
        return 1
    top = program.spec.source.params.get("top")
    return top if isinstance(top, int) and not isinstance(top, bool) and top >= 1 else None


def send_plans(
    plan: ProgramDryRun,
    capabilities: Capabilities,
    budget: RateBudget | None,
    *,
    ties_chosen: int = 0,
    revoke_gone: bool = False,
    awards: int | None = None,
) -> tuple[BatchPlan, ...]:
    """What sending the run takes: requests and time at the server's rate limit (desktop.batch_plan).

    The awards (with the tied members the moderator chose), and the revokes of the
    members gone from the list when asked; ``awards``: how many the moderator picked (None: those
    the dry run picked and the ``ties_chosen``). A program's awards go one by one (each
    carries its own reason), never by a mass award.
    """
    if plan.title is not None:
        # A hand-over: the alumni badge to the previous holder, the badge to the winner, the
        # previous grant revoked (each step read first, see the dry run's note).
        title = plan.title
        grants = (1 if title.alumni_badge_id is not None and title.holder_id is not None else 0) + 1
        plans = [plan_batch(ActionKind.AWARD, grants, capabilities, messages=False, budget=budget)]
        if title.holder_id is not None:
            plans.append(plan_batch(ActionKind.REVOKE, 1, capabilities, messages=False, budget=budget))
        return tuple(plans)
    plans = [
        plan_batch(
            ActionKind.AWARD,
            len(plan.to_award) + ties_chosen if awards is None else awards,
            capabilities,
            messages=bool(plan.program.spec.message),
            budget=budget,
            allow_mass=False,
        )
    ]
    if revoke_gone and plan.to_revoke:
        plans.append(
            plan_batch(ActionKind.REVOKE, len(plan.to_revoke), capabilities, messages=False, budget=budget)
        )
    return tuple(plans)


def award_reason(candidate: Candidate, *, link_reasons: bool) -> str:
    """What the award of ``candidate`` carries as its reason."""
    if candidate.link and link_reasons:
        return candidate.link
    if candidate.link:
        return _("{why}: {link}").format(why=candidate.why, link=candidate.link)
    return candidate.why


def program_dry_run(
    cache: Cache,
    program: Program,
    period: Period,
    result: SourceResult,
    *,
    now: datetime,
    tz: tzinfo | None = None,
    top: int | None = None,
    link_reasons: bool = False,
) -> ProgramDryRun:
    """What running ``program`` for ``period`` would do with its source's answer ``result``.

    ``now`` and ``tz`` resolve the rule's relative dates ("seen in the last 90 days");
    ``top``: keep the best ``top`` candidates meeting the conditions (None: all).
    """
    if program.problem:
        raise ProgramError(program.problem)
    if top is not None and top < 1:
        raise ValueError("top must be at least 1")
    firsts: dict[int, Candidate] = {}
    for c in result.candidates:
        firsts.setdefault(c.member_id, c)
    candidates = list(firsts.values())
    ids = [c.member_id for c in candidates]
    gone_ids = list(dict.fromkeys(c.member_id for c in result.gone))
    members: dict[int, Member] = {}
    for part in _chunks(ids + gone_ids):
        members.update(cache.members_by_ids(part))
    with cache.read() as connection:
        passing = _meeting(connection, program, ids, now, tz)
        holders = _holders(connection, program.spec.badge_id, ids + gone_ids)
        # Every member the program awarded for the period, listed by the source now or not: a
        # ranking's places are once per period, whoever fills them (a ranking that moved, a pick).
        awarded = claimed(connection, program.id, period.key, None)
        taken = awarded & set(ids)
        revoked = claimed(connection, program.id, period.key, gone_ids, ActionKind.REVOKE)
        title = _title(connection, program)
    if title is not None:
        # A title has one place a period, whatever the source (a list, a tenure).
        top = 1 if top is None else min(top, 1)
    standing: dict[int, Standing] = {}
    eligible: list[Candidate] = []
    for c in candidates:
        member = members.get(c.member_id)
        if member is None:
            standing[c.member_id] = Standing.NOT_FOUND
        elif member.status is not MemberStatus.ACTIVE:
            standing[c.member_id] = Standing.INACTIVE
        elif passing is not None and c.member_id not in passing:
            standing[c.member_id] = Standing.RULE_EXCLUDED
        elif c.member_id in taken:
            standing[c.member_id] = Standing.AWARDED_THIS_PERIOD
        else:
            eligible.append(c)
    places_left = None if top is None else max(0, top - len(awarded))
    if places_left == 0:
        standing.update({c.member_id: Standing.BELOW_CUT for c in eligible})
    else:
        standing.update(_cut(eligible, places_left))
    for c in eligible:
        # Those below the cut-off too: the moderator may pick one of them instead.
        if standing[c.member_id] in PICKABLE and c.member_id in holders:
            standing[c.member_id] = Standing.ALREADY_HOLDS
    rows = tuple(
        PlannedCandidate(
            c, standing[c.member_id], _who(members, c.member_id), award_reason(c, link_reasons=link_reasons)
        )
        for c in candidates
    )
    gone: dict[int, PlannedCandidate] = {}
    for c in result.gone:
        if c.member_id in gone:
            continue
        if c.member_id not in members:
            left = Standing.NOT_FOUND
        elif c.member_id in revoked:
            left = Standing.REVOKED_THIS_PERIOD
        elif c.member_id in holders:
            left = Standing.TO_REVOKE
        else:
            left = Standing.NOT_HOLDING
        gone[c.member_id] = PlannedCandidate(c, left, _who(members, c.member_id), c.why)
    notes = result.notes if title is None else (*result.notes, _title_note(title))
    if top is not None and awarded:
        taken_places = _("This period's places awarded already: {n} of {places}.")
        notes = (*notes, taken_places.format(n=min(len(awarded), top), places=top))
    return ProgramDryRun(
        program,
        period,
        rows,
        top,
        result.unmatched,
        tuple(gone.values()),
        notes,
        result.upcoming,
        title,
        places_left,
    )


def _title(connection: Connection, program: Program) -> TitleMove | None:
    """The badge's move where it is held by one member at a time (None: an award as any other)."""
    badge_id = program.spec.badge_id
    marking = marking_of(connection, badge_id)
    if marking is None:
        return None
    holder = connection.exec_driver_sql(
        "SELECT a.member_id, COALESCE(m.username, '') FROM awards a LEFT JOIN members m ON m.id = a.member_id"
        " WHERE a.badge_id = ? ORDER BY a.granted_at DESC LIMIT 1",
        (badge_id,),
    ).fetchone()
    alumni = (
        program.spec.alumni_badge_id if program.spec.alumni_badge_id is not None else marking.alumni_badge_id
    )
    if holder is None:
        return TitleMove(None, "", alumni)
    name = f"@{holder[1]}" if holder[1] else _("member #{id}").format(id=int(holder[0]))
    return TitleMove(int(holder[0]), name, alumni)


def _title_note(title: TitleMove) -> str:
    if title.holder_id is None:
        return _(
            "The badge is held by one member at a time and nobody holds it yet:"
            " the run gives it to one winner."
        )
    if title.alumni_badge_id is None:
        return _(
            "The badge is held by one member at a time: the run hands it over from {holder} to one winner"
            " (each step is read on the server first)."
        ).format(holder=title.holder)
    return _(
        "The badge is held by one member at a time: the run hands it over from {holder}, who keeps the"
        " alumni badge, to one winner (each step is read on the server first)."
    ).format(holder=title.holder)


def _who(members: Mapping[int, Member], member_id: int) -> str:
    member = members.get(member_id)
    return f"@{member.username}" if member is not None else _("member #{id}").format(id=member_id)


def _cut(eligible: Sequence[Candidate], top: int | None) -> dict[int, Standing]:
    """The top ``top`` of ``eligible`` (best first): picked, tied across the cut, or below it."""
    if top is None or len(eligible) <= top:
        return {c.member_id: Standing.TO_AWARD for c in eligible}
    last_in, first_out = eligible[top - 1].score, eligible[top].score
    tied = last_in is not None and last_in == first_out
    found: dict[int, Standing] = {}
    for rank, c in enumerate(eligible):
        if tied and c.score == last_in:
            found[c.member_id] = Standing.TIE
        elif rank < top:
            found[c.member_id] = Standing.TO_AWARD
        else:
            found[c.member_id] = Standing.BELOW_CUT
    return found


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _meeting(
    connection: Connection, program: Program, ids: Sequence[int], now: datetime, tz: tzinfo | None
) -> set[int] | None:
    """The members of ``ids`` meeting the program's rule (None: it has none)."""
    rule = program.spec.rule
    if rule is None:
        return None
    condition, params = compile_rule(rule, now, tz)
    found: set[int] = set()
    for part in _chunks(ids):
        marks = ", ".join("?" * len(part))
        rows = connection.exec_driver_sql(
            f"SELECT m.id FROM members m WHERE m.id IN ({marks}) AND ({condition})", (*part, *params)
        )
        found.update(row[0] for row in rows)
    return found


def _holders(connection: Connection, badge_id: int, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for part in _chunks(ids):
        marks = ", ".join("?" * len(part))
        rows = connection.exec_driver_sql(
            f"SELECT member_id FROM awards WHERE badge_id = ? AND member_id IN ({marks})", (badge_id, *part)
        )
        found.update(row[0] for row in rows)
    return found


#: A claim whose action was discarded before reaching the server is free again.
_CLAIM_HELD = (
    "SELECT pa.member_id FROM program_actions pa LEFT JOIN actions a ON a.id = pa.action_id"
    " WHERE pa.program_id = ? AND pa.period_key = ? AND pa.kind = ?"
    " AND (a.id IS NULL OR a.state != ?)"
)


def claimed(
    connection: Connection,
    program_id: int,
    period_key: str,
    ids: Sequence[int] | None,
    kind: ActionKind = ActionKind.AWARD,
) -> set[int]:
    """The members of ``ids`` (None: any) whose ``kind`` the program queued for the period (and
    not discarded)."""
    rows = connection.exec_driver_sql(
        _CLAIM_HELD, (program_id, period_key, kind.value, ActionState.DISCARDED.value)
    )
    found = {int(row[0]) for row in rows}
    return found if ids is None else found & set(ids)
