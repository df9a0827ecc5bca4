"""Award messages where the server sends none with the award (Discourse): a private message each.

Queued with the award's answer (once per applied award), sent one at a time
through the messenger, never sent twice blindly after a lost answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.cache.database import Cache
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind, ActionState
from desktop.net.errors import ServerUnreachable
from desktop.outbox import Outbox, RetryPolicy
from desktop.outbox.kinds.messages import maybe_sent
from tests.core.test_outbox import FakeServer
from tests.core.test_outbox import cache as cache  # the fixture: a synced cache of 20 members

RETRY = RetryPolicy(attempts=3, first_delay=0.0)


@dataclass
class Sent:
    member_id: int
    username: str
    subject: str
    text: str


class Forum(FakeServer):
    """Grants without a message; has a messenger that records (and can fail)."""

    sends_award_messages = False

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Sent] = []
        self.attempts = 0
        self.failures: list[ServerUnreachable] = []

    @property
    def messenger(self) -> Any:
        return self

    @property
    def mass_awarder(self) -> Any:
        return None

    def send_message(self, member_id: int, username: str, subject: str, text: str) -> None:
        self.attempts += 1
        if self.failures:
            failure = self.failures.pop(0)
            if failure.request_sent:
                self.sent.append(Sent(member_id, username, subject, text))  # it went out; the answer is lost
            raise failure
        self.sent.append(Sent(member_id, username, subject, text))


def messages(outbox: Outbox) -> list[ActionState]:
    return [a.state for a in outbox.actions() if a.kind is ActionKind.MESSAGE]


def test_each_applied_award_that_notifies_gets_one_message(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2], 1)
    outbox.queue_awards([3], 1, notify=False)
    outbox.queue_awards([4], 1, message="Thanks for the talk, {member}!")
    server = Forum()
    report = outbox.send_pending(server)
    assert [(s.member_id, s.username) for s in server.sent] == [(1, "user1"), (2, "user2"), (4, "user4")]
    # The badge's own message (tests.core.test_cache.badge: "Hi {member}"), or the one given.
    assert server.sent[0].text == "Hi Ann Example" and server.sent[0].subject == "You were awarded “Badge 1”"
    assert server.sent[2].text == "Thanks for the talk, Ann Example!"
    assert messages(outbox) == [ActionState.DONE] * 3
    assert report.applied == 4 + 3
    # A second run sends nothing more: each award had its message once.
    outbox.send_pending(server)
    assert len(server.sent) == 3


def test_a_message_whose_answer_was_lost_is_not_sent_again(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1], 1)
    server = Forum()
    server.failures = [ServerUnreachable("the connection broke")]
    outbox.send_pending(server, retry=RETRY)
    assert server.attempts == 1 and len(server.sent) == 1
    [message] = [a for a in outbox.actions() if a.kind is ActionKind.MESSAGE]
    assert message.state is ActionState.FAILED and message.last_error == maybe_sent()


def test_a_message_the_server_never_received_is_sent_on_the_next_attempt(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1], 1)
    server = Forum()
    server.failures = [ServerUnreachable("cannot connect", request_sent=False)]
    outbox.send_pending(server, retry=RETRY)
    assert server.attempts == 2 and len(server.sent) == 1
    assert messages(outbox) == [ActionState.DONE]


def test_no_message_action_where_the_award_carries_it_or_nothing_can_carry_it(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1], 1)
    outbox.send_pending(FakeServer())  # sends the message with the award itself
    assert messages(outbox) == []

    class Mute(FakeServer):
        sends_award_messages = False

    outbox.queue_awards([2], 1)
    outbox.send_pending(Mute())
    assert messages(outbox) == []
    assert not Capabilities.of(Mute()).award_messages
    assert "no award message" in " ".join(Capabilities.of(Mute()).missing())
