"""What becomes of an award or a revoke when the server changed after it was queued.

:data:`DRIFT` says it once for every case, as a category (applied, no-op or
held for the user) and the words the user reads. The outbox uses it twice:
before sending, against the cache a sync just refreshed, and when it reads
the server's answer, which names the change it found. So a case ends the same
way whether or not a sync ran before the send. README.md shows the same table
(:func:`markdown_table`; a test compares them).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

from desktop.domain import ActionKind, AwardOutcome, BadgeState, Drift, MemberStatus
from desktop.i18n import _


class Category(enum.StrEnum):
    #: Sent and applied as usual.
    APPLIED = "applied"
    #: Confirmed by the server, and nothing changed: there was nothing to do.
    NOOP = "no-op"
    #: Not applied; waits for the user: apply anyway (where the server accepts it) or skip.
    HELD = "held"


@dataclass(frozen=True, slots=True)
class DriftRule:
    category: Category
    #: What the user reads about it (outbox, audit log, results CSV), translated when read:
    #: the rules are made at import, before the language is chosen.
    words: Callable[[], str]
    #: A held action the server accepts with the moderator's override ("apply anyway").
    forceable: bool = False

    @property
    def text(self) -> str:
        """What the user reads about it, in the user's language."""
        return self.words()


_A, _R = ActionKind.AWARD, ActionKind.REVOKE
_HELD, _NOOP, _APPLIED = Category.HELD, Category.NOOP, Category.APPLIED

#: (action, what changed on the server) → what happens. A case not listed is no drift at all.
DRIFT: Final[Mapping[tuple[ActionKind, Drift], DriftRule]] = MappingProxyType(
    {
        (_A, Drift.MEMBER_GONE): DriftRule(_HELD, lambda: _("the member was deleted")),
        (_A, Drift.MEMBER_SUSPENDED): DriftRule(_HELD, lambda: _("the member is suspended"), forceable=True),
        (_A, Drift.BADGE_GONE): DriftRule(_HELD, lambda: _("the badge no longer exists")),
        (_A, Drift.BADGE_DISABLED): DriftRule(_HELD, lambda: _("the badge was disabled"), forceable=True),
        (_A, Drift.BADGE_RETIRED): DriftRule(_HELD, lambda: _("the badge is discontinued or a draft")),
        (_A, Drift.ALREADY_HELD): DriftRule(_NOOP, lambda: _("the member already holds the badge")),
        (_R, Drift.MEMBER_GONE): DriftRule(_NOOP, lambda: _("the member was deleted: nothing to revoke")),
        (_R, Drift.MEMBER_SUSPENDED): DriftRule(
            _APPLIED, lambda: _("revoked as usual: a suspension does not stop it")
        ),
        (_R, Drift.BADGE_GONE): DriftRule(_NOOP, lambda: _("the badge no longer exists: nothing to revoke")),
        (_R, Drift.BADGE_DISABLED): DriftRule(
            _APPLIED, lambda: _("revoked as usual: a disabled badge can still be taken away")
        ),
        (_R, Drift.BADGE_RETIRED): DriftRule(
            _APPLIED, lambda: _("revoked as usual, for good: a discontinued badge cannot be awarded again")
        ),
        (_R, Drift.NOT_HELD): DriftRule(_NOOP, lambda: _("the member does not hold the badge")),
    }
)

#: The order in which a state is examined; the server checks in the same order, so a
#: member both suspended and awarded a disabled badge is "suspended" on both sides.
_PRECEDENCE = (
    Drift.MEMBER_GONE,
    Drift.BADGE_GONE,
    Drift.MEMBER_SUSPENDED,
    Drift.BADGE_DISABLED,
    Drift.BADGE_RETIRED,
    Drift.ALREADY_HELD,
    Drift.NOT_HELD,
)

#: Kinds of action that can be held: only these are compared with the cache before sending.
HELD_KINDS: Final = frozenset(kind for (kind, _drift), rule in DRIFT.items() if rule.category is _HELD)
#: Outcomes stored for an action that was confirmed but changed nothing.
NOOP_OUTCOMES: Final = frozenset(
    drift.value for (_kind, drift), rule in DRIFT.items() if rule.category is _NOOP
)


class HoldReason(enum.StrEnum):
    """Why an action waits for the user instead of being sent or finished."""

    # A change on the server (the values are those of Drift); words and override from DRIFT.
    MEMBER_GONE = Drift.MEMBER_GONE.value
    MEMBER_SUSPENDED = Drift.MEMBER_SUSPENDED.value
    BADGE_GONE = Drift.BADGE_GONE.value
    BADGE_DISABLED = Drift.BADGE_DISABLED.value
    BADGE_RETIRED = Drift.BADGE_RETIRED.value
    # Held before DRIFT made a badge already held a no-op; "apply anyway" confirms the no-op.
    ALREADY_HELD = "already_held"
    # Refusals from a server that does not name the change it found.
    NOT_FOUND = "not_found"
    BADGE_NOT_AWARDABLE = "badge_not_awardable"
    # Decisions and badge edits.
    DECIDED_ELSEWHERE = "decided_elsewhere"
    BADGE_CHANGED = "badge_changed"
    # A one-holder badge's hand-over: the server shows a holder the cache did not know.
    TITLE_HELD_ELSEWHERE = "title_held_elsewhere"

    @property
    def forceable(self) -> bool:
        """Whether "apply anyway" can succeed (a moderator may override these)."""
        rule = _held_rule(self)
        return rule.forceable if rule is not None else self in _FORCEABLE

    @property
    def text(self) -> str:
        rule = _held_rule(self)
        return rule.text if rule is not None else _hold_text(self)


_FORCEABLE = frozenset({HoldReason.ALREADY_HELD, HoldReason.BADGE_NOT_AWARDABLE})


def _hold_text(reason: HoldReason) -> str:
    """The words for a hold that no rule of :data:`DRIFT` covers."""
    texts = {
        HoldReason.ALREADY_HELD: _("the member already holds the badge"),
        HoldReason.NOT_FOUND: _("the server no longer has this member or badge"),
        HoldReason.BADGE_NOT_AWARDABLE: _("the server says the badge cannot be awarded"),
        HoldReason.DECIDED_ELSEWHERE: _("another moderator decided first"),
        HoldReason.BADGE_CHANGED: _("the badge was changed on the server since this edit began"),
        HoldReason.TITLE_HELD_ELSEWHERE: _(
            "the server shows another holder of this badge: nothing was revoked"
        ),
    }
    return texts[reason]


def _held_rule(reason: HoldReason) -> DriftRule | None:
    for (_kind, drift), rule in DRIFT.items():
        if drift.value == reason.value and rule.category is _HELD:
            return rule
    return None


def drift_of(
    kind: ActionKind, member_status: str | None, badge_state: str | None, holds: bool
) -> Drift | None:
    """The change that decides this action's fate, from a state of the member and the badge.

    ``None`` for a member or badge the state does not know. Changes that do
    not matter to this kind of action (a suspension, for a revoke) are passed over.
    """
    found = {
        Drift.MEMBER_GONE: member_status is None or member_status == MemberStatus.DELETED,
        Drift.BADGE_GONE: badge_state is None,
        Drift.MEMBER_SUSPENDED: member_status == MemberStatus.SUSPENDED,
        Drift.BADGE_DISABLED: badge_state == BadgeState.DISABLED,
        Drift.BADGE_RETIRED: badge_state in (BadgeState.DISCONTINUED, BadgeState.DRAFT),
        Drift.ALREADY_HELD: holds,
        Drift.NOT_HELD: not holds,
    }
    for drift in _PRECEDENCE:
        rule = DRIFT.get((kind, drift))
        if found[drift] and rule is not None and rule.category is not _APPLIED:
            return drift
    return None


def hold_before_sending(
    kind: ActionKind, member_status: str | None, badge_state: str | None, holds: bool
) -> HoldReason | None:
    """Why a never-sent action is held, judged from the cache; None: send it.

    A no-op is sent all the same: the server confirms it and says why.
    """
    drift = drift_of(kind, member_status, badge_state, holds)
    if drift is None or DRIFT[(kind, drift)].category is not _HELD:
        return None
    return HoldReason(drift.value)


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one answer of the server ends an action."""

    category: Category
    #: Stored as the action's outcome; none while it is held (nothing was settled).
    outcome: str | None
    hold: HoldReason | None = None


_APPLIED_OUTCOMES = frozenset({AwardOutcome.AWARDED, AwardOutcome.REVOKED})
#: A server that does not name the change: outcomes that say it anyway.
_UNNAMED = {
    AwardOutcome.ALREADY_HELD: Drift.ALREADY_HELD,
    AwardOutcome.NOT_HELD: Drift.NOT_HELD,
    AwardOutcome.MEMBER_SUSPENDED: Drift.MEMBER_SUSPENDED,
}


def read_answer(kind: ActionKind, outcome: AwardOutcome, drift: Drift | None) -> Verdict:
    """The verdict on the server's answer to one award or revoke."""
    if outcome in _APPLIED_OUTCOMES:
        return Verdict(_APPLIED, outcome.value)
    drift = drift or _UNNAMED.get(outcome)
    rule = None if drift is None else DRIFT.get((kind, drift))
    if drift is None or rule is None or rule.category is _APPLIED:
        # Refused without a reason we know (or against the table): the user decides.
        return Verdict(_HELD, None, HoldReason(outcome.value))
    if rule.category is _HELD:
        return Verdict(_HELD, None, HoldReason(drift.value))
    return Verdict(rule.category, drift.value)


def noop_text(outcome: str | None, result: Mapping[str, Any] | None = None) -> str | None:
    """What a confirmed no-op means, with who granted the badge and when if the server said."""
    if outcome not in NOOP_OUTCOMES:
        return None
    text = next(r.text for (_kind, d), r in DRIFT.items() if d.value == outcome and r.category is _NOOP)
    granted_by = (result or {}).get("granted_by")
    granted_at = (result or {}).get("granted_at")
    if granted_by and granted_at:
        when = datetime.fromisoformat(str(granted_at))
        text = _("{outcome}: granted by {who} on {when} UTC").format(
            outcome=text, who=granted_by, when=f"{when:%Y-%m-%d %H:%M}"
        )
    return text


_CHANGE_TEXT = {
    Drift.MEMBER_GONE: "member deleted",
    Drift.MEMBER_SUSPENDED: "member suspended",
    Drift.BADGE_GONE: "badge deleted",
    Drift.BADGE_DISABLED: "badge disabled",
    Drift.BADGE_RETIRED: "badge discontinued",
    Drift.ALREADY_HELD: "member got the badge",
    Drift.NOT_HELD: "member lost the badge",
}


def markdown_table() -> str:
    """:data:`DRIFT` as the README shows it."""
    lines = [
        "| action | meanwhile on the server | outcome | what you read | your decision |",
        "| --- | --- | --- | --- | --- |",
    ]
    for (kind, drift), rule in DRIFT.items():
        choice = "apply anyway or skip" if rule.forceable else ("skip" if rule.category is _HELD else "—")
        lines.append(
            f"| {kind.value} | {_CHANGE_TEXT[drift]} | **{rule.category.value}** | {rule.text} | {choice} |"
        )
    return "\n".join(lines)
