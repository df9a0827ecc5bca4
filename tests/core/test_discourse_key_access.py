"""What a Discourse API key may do, read at the session's first request (FACTS.md § API keys).

Discourse never answers 401: a revoked key is a 403 (a 404 on admin pages),
like a right the user lacks. ``GET /session/scopes.json`` answers any valid
key, so a refusal there is the key's, raised as the core's "token refused";
a read-only or granular key turns features off, naming the missing scope.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.discourse.session import DiscourseSession
from desktop.net.errors import AuthError
from desktop.net.ratecontrol import RateControl
from desktop.outbox import PauseReason
from tests.fakes.discourse_forum import ADMIN_KEY, URL, FakeForum, ForumBadge
from tests.fakes.discourse_records import NOT_FOUND

WRITES = ["badges:assign_badge_to_user", "badges:revoke_badge_from_user", "badges:list_user_badges"]


def open_session(forum: FakeForum, username: str = "alice", api_key: str = ADMIN_KEY) -> DiscourseSession:
    return DiscourseSession(
        URL, api_key, username=username, transport=forum.transport(), rate_control=RateControl()
    )


@pytest.fixture()
def forum() -> FakeForum:
    return FakeForum.seeded(5, [ForumBadge(100, "Conference Speaker")])


def test_a_refused_key_is_token_refused_at_the_first_request_and_nothing_else_is_sent(
    forum: FakeForum,
) -> None:
    forum.keys.clear()  # the key was revoked on the forum
    with open_session(forum) as session, pytest.raises(AuthError) as refused:
        session.directory.community()
    assert refused.value.status == 401 and refused.value.code == "token_refused"
    assert "Discourse refused the API key for alice" in str(refused.value)
    assert forum.log == [("GET", "/session/scopes.json")]


def test_a_refused_key_pauses_the_outbox_until_a_new_key_is_given(forum: FakeForum, tmp_path: Path) -> None:
    forum.keys.clear()
    endpoint = Endpoint(URL, "revoked-key", kind="discourse", username="alice")
    community = Community(URL, endpoint, Cache(tmp_path / "cache"), transport=forum.transport())
    try:
        with pytest.raises(AuthError):
            community.sync()
        assert community.outbox.pause_reason() is PauseReason.TOKEN_REFUSED
    finally:
        community.close()


def test_a_global_key_has_no_limits_and_its_scopes_are_read_once_a_session(forum: FakeForum) -> None:
    with open_session(forum) as session:
        capabilities = Capabilities.of(session)
        session.directory.me()
    assert capabilities.key_limits == () and capabilities.badge_editing
    assert forum.count("GET", "/session/scopes") == 1
    assert forum.log[0] == ("GET", "/session/scopes.json")


def test_a_read_only_key_edits_nothing_and_says_so(forum: FakeForum) -> None:
    forum.add_key("read-only-key", ["global:read"])
    with open_session(forum, api_key="read-only-key") as session:
        capabilities = Capabilities.of(session)
    assert not capabilities.badge_editing
    [note] = capabilities.key_limits
    assert "read-only (global:read)" in note and note in capabilities.missing()


def test_a_granular_key_without_the_badge_scopes_names_them(forum: FakeForum) -> None:
    forum.add_key("granular-key", [*WRITES, "users:list", "badges:update"])
    with open_session(forum, api_key="granular-key") as session:
        capabilities = Capabilities.of(session)
    assert not capabilities.badge_editing
    editing = [n for n in capabilities.key_limits if n.startswith("badges cannot be created")]
    assert editing == [
        "badges cannot be created or edited from here:"
        " the API key lacks the scope badges:create, uploads:create"
    ]
    assert not any("awarded" in n or "revoked" in n for n in capabilities.key_limits)
    assert any("GET /user_badges.json?badge_id=" in n for n in capabilities.key_limits)


def test_a_granular_key_with_every_scope_edits_badges(forum: FakeForum) -> None:
    forum.add_key("granular-key", [*WRITES, "users:list", "badges:create", "badges:update", "uploads:create"])
    with open_session(forum, api_key="granular-key") as session:
        capabilities = Capabilities.of(session)
    assert capabilities.badge_editing
    assert len(capabilities.key_limits) == 1  # only the holders list, which no scope covers


def test_a_moderators_key_edits_no_badges_discourse_keeps_them_for_admins(forum: FakeForum) -> None:
    with open_session(forum, username="bob") as session:
        assert session.editor is None
        capabilities = Capabilities.of(session)
    assert not capabilities.badge_editing
    assert capabilities.key_limits == (
        "badges cannot be created or edited from here: Discourse lets only admins do that,"
        " and bob is not one (use an admin's key)",
    )


def test_a_forum_without_the_scopes_page_is_taken_as_a_global_key(forum: FakeForum) -> None:
    forum.refuse_next("GET", "/session/scopes", 404, NOT_FOUND)
    with open_session(forum) as session:
        assert Capabilities.of(session).key_limits == ()


def test_capabilities_stored_before_key_limits_still_read_and_limits_round_trip() -> None:
    older = (
        '{"award_messages": false, "batch_cap": 1, "badge_editing": true, "changes_feed": false,'
        ' "delivery": "reconcile", "edit_conflicts": false, "kind": "discourse", "messages": false,'
        ' "requests": false}'
    )
    stored = Capabilities.from_json(older)
    assert stored is not None and stored.key_limits == () and stored.delivery is Delivery.RECONCILE
    limited = Capabilities(
        kind="discourse",
        changes_feed=False,
        requests=False,
        badge_editing=False,
        edit_conflicts=False,
        messages=False,
        award_messages=False,
        delivery=Delivery.RECONCILE,
        batch_cap=1,
        key_limits=("badges cannot be revoked from here: the API key lacks the scope x:y",),
    )
    assert Capabilities.from_json(limited.to_json()) == limited
    assert Capabilities.from_json(older.replace("}", ', "key_limits": [3]}')) is None
