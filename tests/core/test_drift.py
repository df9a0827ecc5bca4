"""The table of what a change on the server does to an award or a revoke, and its two readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain import ActionKind, AwardOutcome, BadgeState, Drift, MemberStatus
from desktop.drift import (
    DRIFT,
    NOOP_OUTCOMES,
    Category,
    HoldReason,
    drift_of,
    hold_before_sending,
    markdown_table,
    noop_text,
    read_answer,
)

README = Path(__file__).resolve().parents[2] / "README.md"

#: A state of the member and the badge (status, state, holds) that shows each change.
STATES = {
    Drift.MEMBER_GONE: (MemberStatus.DELETED.value, BadgeState.PUBLISHED.value, True),
    Drift.MEMBER_SUSPENDED: (MemberStatus.SUSPENDED.value, BadgeState.PUBLISHED.value, True),
    Drift.BADGE_GONE: (MemberStatus.ACTIVE.value, None, False),
    Drift.BADGE_DISABLED: (MemberStatus.ACTIVE.value, BadgeState.DISABLED.value, True),
    Drift.BADGE_RETIRED: (MemberStatus.ACTIVE.value, BadgeState.DISCONTINUED.value, True),
    Drift.ALREADY_HELD: (MemberStatus.ACTIVE.value, BadgeState.PUBLISHED.value, True),
    Drift.NOT_HELD: (MemberStatus.ACTIVE.value, BadgeState.PUBLISHED.value, False),
}
#: What the sandbox answers when it finds each change and applies nothing.
UNAPPLIED = {
    Drift.MEMBER_GONE: AwardOutcome.NOT_FOUND,
    Drift.MEMBER_SUSPENDED: AwardOutcome.MEMBER_SUSPENDED,
    Drift.BADGE_GONE: AwardOutcome.NOT_FOUND,
    Drift.BADGE_DISABLED: AwardOutcome.BADGE_NOT_AWARDABLE,
    Drift.BADGE_RETIRED: AwardOutcome.BADGE_NOT_AWARDABLE,
    Drift.ALREADY_HELD: AwardOutcome.ALREADY_HELD,
    Drift.NOT_HELD: AwardOutcome.NOT_HELD,
}
APPLIED = {ActionKind.AWARD: AwardOutcome.AWARDED, ActionKind.REVOKE: AwardOutcome.REVOKED}


def test_the_readme_shows_the_table_the_code_uses() -> None:
    assert markdown_table() in README.read_text(encoding="utf-8")


@pytest.mark.parametrize(("kind", "drift"), list(DRIFT), ids=lambda v: str(v.value))
def test_the_cache_and_the_answer_are_read_the_same_way(kind: ActionKind, drift: Drift) -> None:
    rule = DRIFT[(kind, drift)]
    member_status, badge_state, holds = STATES[drift]
    hold = hold_before_sending(kind, member_status, badge_state, holds)
    if rule.category is Category.APPLIED:
        assert drift_of(kind, member_status, badge_state, holds) != drift
        assert hold is None
        assert read_answer(kind, APPLIED[kind], None).category is Category.APPLIED
        return
    assert drift_of(kind, member_status, badge_state, holds) == drift
    verdict = read_answer(kind, UNAPPLIED[drift], drift)
    assert verdict.category is rule.category
    if rule.category is Category.HELD:
        assert hold is not None and verdict.hold is hold and hold.value == drift.value
        assert verdict.outcome is None
        assert (hold.text, hold.forceable) == (rule.text, rule.forceable)
    else:
        assert hold is None and verdict.hold is None
        assert verdict.outcome in NOOP_OUTCOMES and noop_text(verdict.outcome) == rule.text


def test_a_state_with_several_changes_is_judged_by_the_first_as_the_server_does() -> None:
    suspended, disabled = MemberStatus.SUSPENDED.value, BadgeState.DISABLED.value
    assert drift_of(ActionKind.AWARD, suspended, disabled, True) is Drift.MEMBER_SUSPENDED
    assert drift_of(ActionKind.AWARD, None, None, False) is Drift.MEMBER_GONE
    # A suspension or a disabled badge does not stop a revoke; a badge not held does.
    assert drift_of(ActionKind.REVOKE, suspended, disabled, True) is None
    assert drift_of(ActionKind.REVOKE, suspended, disabled, False) is Drift.NOT_HELD
    assert drift_of(ActionKind.AWARD, MemberStatus.ACTIVE.value, BadgeState.PUBLISHED.value, False) is None


def test_only_awards_can_be_applied_anyway() -> None:
    # "Apply anyway" sends an award with force; revokes have no override on the wire.
    forceable = {(kind, drift) for (kind, drift), rule in DRIFT.items() if rule.forceable}
    assert forceable == {
        (ActionKind.AWARD, Drift.MEMBER_SUSPENDED),
        (ActionKind.AWARD, Drift.BADGE_DISABLED),
    }
    assert all(DRIFT[case].category is Category.HELD for case in forceable)


def test_an_answer_that_does_not_name_the_change() -> None:
    # A server that does not send `condition`: what its outcome says is enough, or the user decides.
    assert read_answer(ActionKind.AWARD, AwardOutcome.ALREADY_HELD, None).category is Category.NOOP
    assert read_answer(ActionKind.REVOKE, AwardOutcome.NOT_HELD, None).category is Category.NOOP
    suspended = read_answer(ActionKind.AWARD, AwardOutcome.MEMBER_SUSPENDED, None)
    assert (suspended.category, suspended.hold) == (Category.HELD, HoldReason.MEMBER_SUSPENDED)
    unknown = read_answer(ActionKind.AWARD, AwardOutcome.NOT_FOUND, None)
    assert (unknown.category, unknown.hold) == (Category.HELD, HoldReason.NOT_FOUND)
    assert not HoldReason.NOT_FOUND.forceable
    # A refusal the table says should have been applied is not taken for applied.
    odd = read_answer(ActionKind.REVOKE, AwardOutcome.MEMBER_SUSPENDED, Drift.MEMBER_SUSPENDED)
    assert (odd.category, odd.hold) == (Category.HELD, HoldReason.MEMBER_SUSPENDED)


def test_a_no_op_says_who_granted_the_badge_and_when() -> None:
    result = {"granted_by": "Bob Moderator", "granted_at": "2025-03-04T05:06:07+00:00"}
    assert noop_text("already_held", result) == (
        "the member already holds the badge: granted by Bob Moderator on 2025-03-04 05:06 UTC"
    )
    assert noop_text("awarded", result) is None
