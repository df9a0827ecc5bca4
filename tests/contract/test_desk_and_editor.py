"""Contract: decisions and badge edits are refused when someone changed the thing first (versions)."""

from __future__ import annotations

import uuid

import pytest

from desktop.dialects.base import AwardItem
from desktop.domain import BadgeRequest, BadgeState, Decision, MemberStatus, RequestState
from desktop.net.errors import ApiError, BadgeConflict, DecisionConflict
from tests.contract.conftest import Dialect, key, read_all

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="3"/></svg>'


def pending_request(dialect: Dialect, *, approvable: bool = False) -> BadgeRequest:
    """A pending request nobody else in this run decides, alone of its kind (no duplicates)."""
    desk = dialect.session.desk
    assert desk is not None
    pending: list[BadgeRequest] = read_all(lambda c, n: desk.requests("pending", c, n), 100)
    active = {m.id for m in dialect.members(MemberStatus.ACTIVE)}
    awardable = {b.id for b in dialect.badges(BadgeState.PUBLISHED)}
    for request in pending:
        mark = (dialect.kind, -request.id, 0)
        twins = [r for r in pending if (r.member_id, r.badge_id) == (request.member_id, request.badge_id)]
        if mark in dialect.claimed or len(twins) > 1:
            continue
        if approvable and (
            request.member_id not in active
            or request.badge_id not in awardable
            or dialect.holds(request.member_id, request.badge_id)
        ):
            continue
        dialect.claimed.add(mark)
        return request
    raise AssertionError("no pending request left for this test")


@pytest.mark.requires("desk")
def test_a_decision_on_a_request_changed_or_decided_meanwhile_is_refused(dialect: Dialect) -> None:
    desk = dialect.session.desk
    assert desk is not None
    request = pending_request(dialect)
    with pytest.raises(DecisionConflict) as stale:
        desk.decide(
            request.id,
            version=request.version + 1,
            decision=Decision.DENY,
            reason="",
            message=None,
            idempotency_key=key(),
        )
    assert (stale.value.current.id, stale.value.current.state) == (request.id, RequestState.PENDING)
    first_key = key()
    decided = desk.decide(
        request.id,
        version=request.version,
        decision=Decision.DENY,
        reason="no evidence",
        message=None,
        idempotency_key=first_key,
    )
    assert (decided.request.state, decided.request.version) == (RequestState.DENIED, request.version + 1)
    assert decided.request.decided_by == dialect.session.directory.me() and decided.award_id is None
    # Another decision on the version that was current: someone (we) decided first.
    with pytest.raises(DecisionConflict) as late:
        desk.decide(
            request.id,
            version=request.version,
            decision=Decision.APPROVE,
            reason="",
            message=None,
            idempotency_key=key(),
        )
    assert (late.value.current.state, late.value.current.decided_by) == (
        RequestState.DENIED,
        decided.request.decided_by,
    )
    # The first key again: its result, not a conflict.
    again = desk.decide(
        request.id,
        version=request.version,
        decision=Decision.DENY,
        reason="no evidence",
        message=None,
        idempotency_key=first_key,
    )
    assert again.request == decided.request


@pytest.mark.requires("desk")
def test_an_approval_whose_answer_was_lost_awards_the_badge_once(dialect: Dialect) -> None:
    desk = dialect.session.desk
    assert desk is not None
    request = pending_request(dialect, approvable=True)
    dialect.hooks.lose_next_answer()
    decided = desk.decide(
        request.id,
        version=request.version,
        decision=Decision.APPROVE,
        reason="",
        message=None,
        idempotency_key=key(),
    )
    assert dialect.hooks.lost == 1
    assert decided.request.state is RequestState.APPROVED and decided.award_id is not None
    assert dialect.holds(request.member_id, request.badge_id) == [decided.award_id]
    assert dialect.harness.award_rows(request.badge_id)[request.member_id] == 1


@pytest.mark.requires("editor")
def test_a_badge_edit_on_a_version_changed_meanwhile_is_refused_with_the_badge_as_it_is(
    dialect: Dialect,
) -> None:
    editor = dialect.session.editor
    assert editor is not None
    slug = f"contract-{uuid.uuid4().hex[:12]}"
    fields = {
        "slug": slug,
        "title": "Contract",
        "description": "Made by the contract suite.",
        "state": "draft",
    }
    created = editor.save_badge(None, fields, (SVG, "image/svg+xml"), version=None, idempotency_key=key())
    assert (created.slug, created.state, created.image) == (slug, BadgeState.DRAFT, SVG)
    if editor.versions:
        assert created.version == 1
    with pytest.raises(BadgeConflict) as taken:
        editor.save_badge(None, {**fields, "title": "Again"}, None, version=None, idempotency_key=key())
    assert taken.value.current is None
    edit_key = key()
    edited = editor.save_badge(
        created.id, {"title": "Contract, edited"}, None, version=created.version, idempotency_key=edit_key
    )
    assert edited.title == "Contract, edited" and edited.version == created.version + 1
    if editor.versions:
        with pytest.raises(BadgeConflict) as stale:
            editor.save_badge(
                created.id, {"title": "Lost edit"}, None, version=created.version, idempotency_key=key()
            )
        assert stale.value.current is not None and stale.value.current.version == edited.version
        assert stale.value.current.title == "Contract, edited"
    # The edit's key again: its result, not a conflict and not a second edit.
    assert (
        editor.save_badge(
            created.id, {"title": "Contract, edited"}, None, version=created.version, idempotency_key=edit_key
        )
        == edited
    )
    published = editor.set_badge_state(
        created.id, BadgeState.PUBLISHED, version=edited.version, idempotency_key=key()
    )
    assert (published.state, published.version) == (BadgeState.PUBLISHED, edited.version + 1)
    same = editor.set_badge_state(
        created.id, BadgeState.PUBLISHED, version=published.version, idempotency_key=key()
    )
    assert same == published  # nothing to change: no new version
    with pytest.raises(ApiError) as back:
        editor.set_badge_state(created.id, BadgeState.DRAFT, version=published.version, idempotency_key=key())
    assert back.value.status == 422
    # A published badge of its own can be awarded at once.
    [(member_id, _badge)] = dialect.free_pairs(1)
    [result] = dialect.session.writer.award_batch([AwardItem(key(), member_id, created.id, notify=False)])
    assert result.award is not None and result.award.badge_id == created.id
