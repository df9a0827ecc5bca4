"""Contract: decisions and badge edits, refused when someone changed the thing first.

What the ports leave optional is marked: a server may have no request desk or
no badge editor, edits without versions, or no idempotency keys (the ports
declare keys through the award writer's delivery).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from desktop.domain import Badge, BadgeRequest, BadgeState, Decision, MemberStatus, RequestState
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


def decide(
    dialect: Dialect, request: BadgeRequest, decision: Decision, *, version: int, idempotency_key: str
) -> Any:
    desk = dialect.session.desk
    assert desk is not None
    return desk.decide(
        request.id,
        version=version,
        decision=decision,
        reason="contract",
        message=None,
        idempotency_key=idempotency_key,
    )


@pytest.mark.requires("desk")
def test_a_decision_on_a_request_decided_or_changed_meanwhile_is_refused(dialect: Dialect) -> None:
    """Another moderator returns one request and denies another behind this session's back: each
    decision made on what this session saw is refused, naming them, and nothing is granted."""
    other = dialect.other_moderator()
    other_desk = other.desk
    assert other_desk is not None
    them = other.directory.me()
    assert them != dialect.session.directory.me()
    changed = pending_request(dialect)
    returned = other_desk.decide(
        changed.id,
        version=changed.version,
        decision=Decision.RETURN,
        reason="",
        message=None,
        idempotency_key=key(),
    ).request
    assert returned.state is RequestState.RETURNED
    with pytest.raises(DecisionConflict) as stale:
        decide(dialect, changed, Decision.DENY, version=changed.version, idempotency_key=key())
    current = stale.value.current
    assert (current.id, current.state, current.decided_by) == (changed.id, RequestState.RETURNED, them)

    request = pending_request(dialect, approvable=True)
    other_desk.decide(
        request.id,
        version=request.version,
        decision=Decision.DENY,
        reason="",
        message=None,
        idempotency_key=key(),
    )
    with pytest.raises(DecisionConflict) as late:
        decide(dialect, request, Decision.APPROVE, version=request.version, idempotency_key=key())
    current = late.value.current
    assert (current.id, current.state, current.decided_by) == (request.id, RequestState.DENIED, them)
    assert them in str(late.value)
    assert dialect.holds(request.member_id, request.badge_id) == []


@pytest.mark.requires("desk")
def test_a_decision_on_a_version_the_server_no_longer_has_is_refused(dialect: Dialect) -> None:
    if not dialect.harness.checks_decision_versions:
        pytest.skip(f"the {dialect.kind} desk checks who decided since, not version numbers")
    request = pending_request(dialect)
    with pytest.raises(DecisionConflict) as stale:
        decide(dialect, request, Decision.DENY, version=request.version + 1, idempotency_key=key())
    assert (stale.value.current.id, stale.value.current.state) == (request.id, RequestState.PENDING)
    decided = decide(dialect, request, Decision.DENY, version=request.version, idempotency_key=key())
    assert decided.request.state is RequestState.DENIED and decided.award_id is None
    assert decided.request.decided_by == dialect.session.directory.me()
    # Another decision on the version that was current: someone (we) decided first.
    with pytest.raises(DecisionConflict) as late:
        decide(dialect, request, Decision.APPROVE, version=request.version, idempotency_key=key())
    assert (late.value.current.state, late.value.current.decided_by) == (
        RequestState.DENIED,
        decided.request.decided_by,
    )


@pytest.mark.requires("desk", "idempotent")
def test_a_decision_sent_again_with_its_key_gives_its_result(dialect: Dialect) -> None:
    request = pending_request(dialect)
    first_key = key()
    decided = decide(dialect, request, Decision.DENY, version=request.version, idempotency_key=first_key)
    assert decided.request.version == request.version + 1
    again = decide(dialect, request, Decision.DENY, version=request.version, idempotency_key=first_key)
    assert again == decided


@pytest.mark.requires("desk", "idempotent")
def test_an_approval_whose_answer_was_lost_awards_the_badge_once(dialect: Dialect) -> None:
    request = pending_request(dialect, approvable=True)
    dialect.hooks.lose_next_answer()
    decided = decide(dialect, request, Decision.APPROVE, version=request.version, idempotency_key=key())
    assert dialect.hooks.lost == 1
    assert decided.request.state is RequestState.APPROVED and decided.award_id is not None
    assert dialect.holds(request.member_id, request.badge_id) == [decided.award_id]
    assert dialect.harness.award_rows(request.badge_id)[request.member_id] == 1


def new_badge(dialect: Dialect) -> Badge:
    editor = dialect.session.editor
    assert editor is not None
    suffix = uuid.uuid4().hex[:12]
    # A slug that is the title's own (Discourse makes the slug from the name, unique on a forum).
    fields = {
        "slug": f"contract-{suffix}",
        "title": f"Contract {suffix}",
        "description": "Made by the contract suite.",
        "state": "draft",
    }
    created = editor.save_badge(None, fields, (SVG, "image/svg+xml"), version=None, idempotency_key=key())
    assert (created.slug, created.title) == (fields["slug"], fields["title"])
    if dialect.harness.reads_back_badge_images:
        assert created.image == SVG
    return created


@pytest.mark.requires("editor")
def test_a_new_badge_is_saved_and_edited_and_its_slug_is_its_own(dialect: Dialect) -> None:
    editor = dialect.session.editor
    assert editor is not None
    created = new_badge(dialect)
    # The description, not the title: Discourse makes a badge's slug from its name.
    edited = editor.save_badge(
        created.id,
        {"description": "Edited by the contract suite."},
        None,
        version=created.version,
        idempotency_key=key(),
    )
    assert (edited.id, edited.slug, edited.title, edited.description) == (
        created.id,
        created.slug,
        created.title,
        "Edited by the contract suite.",
    )
    listed = {b.id: b for b in read_all(dialect.session.directory.badges, 100)}
    assert listed[created.id].description == edited.description
    # Another badge by the same slug (and title: Discourse's names are unique) is refused.
    with pytest.raises(BadgeConflict) as taken:
        editor.save_badge(
            None,
            {"slug": edited.slug, "title": edited.title, "description": "Same slug."},
            None,
            version=None,
            idempotency_key=key(),
        )
    assert taken.value.current is None


@pytest.mark.requires("editor", "versions")
def test_a_badge_edit_on_a_version_changed_meanwhile_is_refused_with_the_badge_as_it_is(
    dialect: Dialect,
) -> None:
    editor = dialect.session.editor
    assert editor is not None
    created = new_badge(dialect)
    assert (created.state, created.version) == (BadgeState.DRAFT, 1)
    edited = editor.save_badge(
        created.id, {"title": "Contract, edited"}, None, version=created.version, idempotency_key=key()
    )
    assert edited.version == created.version + 1
    with pytest.raises(BadgeConflict) as stale:
        editor.save_badge(
            created.id, {"title": "Lost edit"}, None, version=created.version, idempotency_key=key()
        )
    assert stale.value.current is not None and stale.value.current.version == edited.version
    assert stale.value.current.title == "Contract, edited"
    published = editor.set_badge_state(
        created.id, BadgeState.PUBLISHED, version=edited.version, idempotency_key=key()
    )
    assert (published.state, published.version) == (BadgeState.PUBLISHED, edited.version + 1)
    with pytest.raises(BadgeConflict):
        editor.set_badge_state(created.id, BadgeState.DISABLED, version=edited.version, idempotency_key=key())
    same = editor.set_badge_state(
        created.id, BadgeState.PUBLISHED, version=published.version, idempotency_key=key()
    )
    assert same == published  # nothing to change: no new version
    with pytest.raises(ApiError) as back:
        editor.set_badge_state(created.id, BadgeState.DRAFT, version=published.version, idempotency_key=key())
    assert back.value.status == 422
    # A badge just published can be awarded at once.
    [(member_id, _badge)] = dialect.free_pairs(1)
    [result] = dialect.session.writer.award_batch([dialect.award(member_id, created.id, notify=False)])
    assert result.award is not None and result.award.badge_id == created.id


@pytest.mark.requires("editor", "idempotent")
def test_a_badge_edit_sent_again_with_its_key_gives_its_result_and_edits_once(dialect: Dialect) -> None:
    editor = dialect.session.editor
    assert editor is not None
    created = new_badge(dialect)
    edit_key = key()
    edited = editor.save_badge(
        created.id, {"title": "Contract, edited"}, None, version=created.version, idempotency_key=edit_key
    )
    again = editor.save_badge(
        created.id, {"title": "Contract, edited"}, None, version=created.version, idempotency_key=edit_key
    )
    assert again == edited
    listed = {b.id: b for b in read_all(dialect.session.directory.badges, 100)}
    assert listed[created.id] == edited
