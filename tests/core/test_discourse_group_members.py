"""How the Discourse dialect splits group member changes into requests (``username_chunks``), and
which keys may change groups."""

from __future__ import annotations

import pytest

from desktop.dialects.capabilities import Capabilities
from desktop.dialects.discourse.group_members import ADD_MEMBERS_LIMIT, MAX_BODY_CHARS, username_chunks
from tests.core.test_discourse_key_access import WRITES, open_session
from tests.fakes.discourse_forum import ADMIN_KEY, FakeForum, ForumBadge


def test_a_thousand_names_a_request_each_once_in_order() -> None:
    names = [f"user{i}" for i in range(2_500)]
    chunks = list(username_chunks([*names, "USER7", " user8 "]))
    assert [len(c) for c in chunks] == [ADD_MEMBERS_LIMIT, ADD_MEMBERS_LIMIT, 500]
    assert [n for c in chunks for n in c] == names


def test_long_names_keep_a_request_under_the_body_limit() -> None:
    names = [f"{i:04d}" + "x" * 56 for i in range(1_000)]  # 60 characters each, Discourse's most
    chunks = list(username_chunks(names))
    assert all(len(",".join(c)) <= MAX_BODY_CHARS for c in chunks)
    assert len(chunks) == 2 and sum(len(c) for c in chunks) == 1_000


def test_a_name_that_cannot_be_sent_is_refused_before_any_request() -> None:
    for bad in ("", "  ", "a,b"):
        with pytest.raises(ValueError):
            list(username_chunks(["fine", bad]))
    assert list(username_chunks([])) == []


def test_only_an_admins_key_with_the_groups_scope_edits_groups() -> None:
    def editing(username: str = "alice", api_key: str = ADMIN_KEY, scopes: list[str] | None = None) -> bool:
        forum = FakeForum.seeded(5, [ForumBadge(100, "Conference Speaker")])
        if scopes is not None:
            forum.add_key(api_key, scopes)
        with open_session(forum, username=username, api_key=api_key) as session:
            return Capabilities.of(session).group_editing

    assert editing()  # an admin's global key
    assert not editing(username="bob")  # a moderator's: Discourse lets only admins change groups
    assert not editing(api_key="read-only-key", scopes=["global:read"])
    everything = [*WRITES, "users:list", "badges:create", "badges:update", "uploads:create"]
    assert not editing(api_key="granular-key", scopes=everything)
    assert editing(api_key="granular-key", scopes=[*everything, "groups:manage_groups"])
