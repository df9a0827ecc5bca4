"""The group side of the group check: a change of the group's members queued as one outbox action,
sent through the session's group writer exactly once, the mirror following; a lost answer settled
by reading the group's members."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from desktop.cache.database import Cache
from desktop.dialects.base import Delivery
from desktop.dialects.groups import GroupMember
from desktop.domain import ActionKind, ActionState
from desktop.group_check import GroupCheckError, GroupSide, check_group, queue_group_fix
from desktop.net.errors import ServerUnreachable
from desktop.outbox import Outbox, OutboxError
from desktop.outbox.kinds import describe
from desktop.outbox.types import RetryPolicy
from tests.core.test_group_check import MVP, cache  # noqa: F401 (the fixture)
from tests.ports import SelfPorts

RETRY = RetryPolicy(attempts=3, first_delay=0.0)


class Forum(SelfPorts):
    """A server with groups: who is in them, the calls it took, and failures to give."""

    def __init__(self, members: dict[int, set[int]], usernames: dict[str, int]) -> None:
        self.members = members
        self.usernames = usernames
        self.names = {10: "mvp", 11: "ghosts", 12: "speakers"}
        self.calls: list[tuple[str, int, list[str]]] = []
        self.keys: list[str] = []
        #: Discourse's: no idempotency keys, so a lost answer is settled by reading the group.
        self.delivery = Delivery.RECONCILE
        #: Raised after the change was applied (the answer lost), one per call, while any are left.
        self.lose_answers = 0

    def group_delivery(self) -> Delivery:
        return self.delivery

    def add_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None:
        usernames = [m.username for m in members]
        self.calls.append(("add", group_id, usernames))
        self.keys.append(key)
        self.members[group_id] |= {self.usernames[u] for u in usernames}
        self._maybe_lose()

    def remove_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None:
        usernames = [m.username for m in members]
        self.calls.append(("remove", group_id, usernames))
        self.keys.append(key)
        self.members[group_id] -= {self.usernames[u] for u in usernames}
        self._maybe_lose()

    def group_member_ids(self, group_name: str) -> frozenset[int] | None:
        group_id = next(i for i, n in self.names.items() if n == group_name)
        return frozenset(self.members[group_id])

    def _maybe_lose(self) -> None:
        if self.lose_answers:
            self.lose_answers -= 1
            raise ServerUnreachable("the connection broke after the request was sent")


def _forum() -> Forum:
    return Forum({10: {1, 2, 3}, 11: set(), 12: {4}}, {f"user{i}": i for i in range(1, 9)})


def test_the_holders_outside_are_added_to_the_group_in_one_action(cache: Cache) -> None:  # noqa: F811
    outbox = Outbox(cache)
    check = check_group(cache, MVP, "mvp")
    assert check.holders_outside == (5, 4)  # sorted as the member list (display names)
    action = queue_group_fix(outbox, check, GroupSide.ADD_HOLDERS)
    assert action.kind is ActionKind.GROUP_MEMBERS
    assert action.payload["usernames"] == ["user5", "user4"]
    assert describe(action.kind, action.payload) == "2 members added to the group “mvp”"
    # Queued once: another change of the group waits until this one is sent.
    with pytest.raises(OutboxError):
        queue_group_fix(outbox, check, GroupSide.ADD_HOLDERS)

    forum = _forum()
    report = outbox.send_pending(forum)
    assert forum.calls == [("add", 10, ["user5", "user4"])]
    assert report.applied == 1
    assert [a.state for a in outbox.actions()] == [ActionState.DONE]
    # The mirror follows: the holders are in the group now.
    assert check_group(cache, MVP, "mvp").holders_outside == ()
    outbox.send_pending(forum)
    assert len(forum.calls) == 1


def test_the_members_without_the_badge_are_removed(cache: Cache) -> None:  # noqa: F811
    outbox = Outbox(cache)
    check = check_group(cache, MVP, "mvp")
    assert check.members_without == (1,)
    action = queue_group_fix(outbox, check, GroupSide.REMOVE_MEMBERS)
    assert describe(action.kind, action.payload) == "1 member removed from the group “mvp”"
    forum = _forum()
    outbox.send_pending(forum)
    assert forum.calls == [("remove", 10, ["user1"])]
    assert check_group(cache, MVP, "mvp").members_without == ()


def test_a_lost_answer_is_settled_by_reading_the_group_not_by_sending_again(cache: Cache) -> None:  # noqa: F811
    outbox = Outbox(cache)
    queue_group_fix(outbox, check_group(cache, MVP, "mvp"), GroupSide.ADD_HOLDERS)
    forum = _forum()
    forum.lose_answers = 1
    outbox.send_pending(forum, retry=RETRY)
    # Sent once; the retry read the group, found both added, and sent nothing more.
    assert forum.calls == [("add", 10, ["user5", "user4"])]
    assert [a.state for a in outbox.actions()] == [ActionState.DONE]


def test_with_idempotency_keys_a_lost_answer_is_sent_again_with_the_same_key(
    cache: Cache,  # noqa: F811
) -> None:
    outbox = Outbox(cache)
    [action] = [queue_group_fix(outbox, check_group(cache, MVP, "mvp"), GroupSide.ADD_HOLDERS)]
    forum = _forum()
    forum.delivery = Delivery.IDEMPOTENT
    forum.lose_answers = 1
    outbox.send_pending(forum, retry=RETRY)
    # Not settled by reading (the writer's delivery says the key is enough): the same change, the same key.
    assert forum.calls == [("add", 10, ["user5", "user4"])] * 2
    assert forum.keys == [action.idempotency_key] * 2
    assert [a.state for a in outbox.actions()] == [ActionState.DONE]


def test_after_a_lost_answer_only_what_is_not_in_effect_is_sent(cache: Cache) -> None:  # noqa: F811
    outbox = Outbox(cache)
    queue_group_fix(outbox, check_group(cache, MVP, "mvp"), GroupSide.ADD_HOLDERS)
    forum = _forum()
    forum.lose_answers = 1
    # The first request reached the server for one member only (then the answer was lost).
    real_add = forum.add_group_members

    def partly(group_id: int, members: Sequence[GroupMember], key: str) -> None:
        forum.add_group_members = real_add  # type: ignore[method-assign]
        real_add(group_id, list(members)[:1], key)

    forum.add_group_members = partly  # type: ignore[method-assign]
    outbox.send_pending(forum, retry=RETRY)
    assert forum.calls == [("add", 10, ["user5"]), ("add", 10, ["user4"])]
    assert forum.members[10] == {1, 2, 3, 4, 5}


def test_a_server_without_a_group_writer_fails_the_action_and_an_unlisted_group_is_refused(
    cache: Cache,  # noqa: F811
) -> None:
    outbox = Outbox(cache)
    queue_group_fix(outbox, check_group(cache, MVP, "mvp"), GroupSide.ADD_HOLDERS)
    outbox.send_pending(SelfPorts())
    [action] = outbox.actions()
    assert action.state is ActionState.FAILED
    assert "group members" in (action.last_error or "")
    with pytest.raises(GroupCheckError):
        queue_group_fix(outbox, check_group(cache, MVP, "Helpers"), GroupSide.ADD_HOLDERS)
