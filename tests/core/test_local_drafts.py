"""Where the server keeps no drafts and no award messages (Discourse): both stay in the user's work.

A draft saved on such a server is kept in the work file and nothing is sent
until it is published; publishing sends one create, of a published badge.
The badge's award message is kept in the work file by the server's badge id:
a sync (which writes the server's "" into the mirror) leaves it, and the
messages queued for applied awards are rendered from it. The v1 path (a
server that keeps both) is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.cache import kept_messages, schema
from desktop.cache.database import Cache
from desktop.designer.checks import DEFAULT_AWARD_MESSAGE
from desktop.designer.drafts import BadgeDrafts
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind, ActionState, Badge, BadgeState
from desktop.net.errors import ApiError, ServerUnreachable
from desktop.outbox import Outbox, OutboxError, RetryPolicy
from desktop.sync import KEY_CAPABILITIES, SyncService
from tests.core.feedless_server import FeedlessServer
from tests.core.test_award_messages import Forum
from tests.core.test_cache import badge, member
from tests.core.test_drafts import META, FakeBadgeServer, SaveCall, new_draft, saves, send
from tests.core.test_drafts import cache as cache  # the fixtures
from tests.core.test_drafts import drafts as drafts
from tests.core.test_drafts import outbox as outbox
from tests.core.test_edit_without_versions import NoVersions

MESSAGE = "Well done, {member}: you earned {badge}!"


class DraftlessForum(NoVersions):
    """A badge editor without drafts, versions or award messages, as Discourse's."""

    drafts = False
    keeps_award_messages = False

    def __init__(self) -> None:
        super().__init__()
        #: The fields of each save as sent (the calls record them with the forum's "" message).
        self.sent_fields: list[dict[str, str]] = []

    def save_badge(
        self,
        badge_id: int | None,
        fields: Mapping[str, str],
        image: tuple[bytes, str] | None,
        *,
        version: int | None,
        idempotency_key: str,
    ) -> Badge:
        self.sent_fields.append(dict(fields))
        # The forum's badges carry no award message.
        mine = {**fields, "award_message": ""}
        return super().save_badge(badge_id, mine, image, version=version, idempotency_key=idempotency_key)


def forum_capabilities(*, drafts: bool = False, messages: bool = False) -> Capabilities:
    return Capabilities(
        kind="test-forum",
        changes_feed=False,
        requests=False,
        badge_editing=True,
        edit_conflicts=False,
        messages=True,
        award_messages=True,
        delivery=Delivery.RECONCILE,
        batch_cap=1,
        messages_apart=True,
        local_drafts=not drafts,
        local_award_messages=not messages,
    )


def store(cache: Cache, capabilities: Capabilities) -> None:
    with cache.write() as connection:
        Cache.set_sync_state(connection, {KEY_CAPABILITIES: capabilities.to_json()})


@pytest.fixture()
def forum(cache: Cache) -> DraftlessForum:
    store(cache, forum_capabilities())
    return DraftlessForum()


def kept(cache: Cache) -> dict[int, str]:
    with cache.read() as connection:
        return kept_messages.kept(connection)


# --- the capabilities --------------------------------------------------------------------------


def test_capabilities_say_the_server_keeps_no_drafts_and_no_award_messages() -> None:
    capabilities = Capabilities.of(DraftlessForum())
    assert capabilities.local_drafts and capabilities.local_award_messages
    assert "kept on this computer until published" in " ".join(capabilities.missing())
    ours = Capabilities.of(FakeBadgeServer())
    assert not ours.local_drafts and not ours.local_award_messages
    # A value stored before the fields existed reads as a server that keeps both.
    old = ours.to_json().replace(', "local_award_messages": false', "").replace(', "local_drafts": false', "")
    assert "local_drafts" not in old
    assert Capabilities.from_json(old) == ours


# --- drafts ---------------------------------------------------------------------------------------


def test_a_draft_on_a_server_without_drafts_sends_nothing_until_published(
    drafts: BadgeDrafts, outbox: Outbox, forum: DraftlessForum
) -> None:
    saved = drafts.save(new_draft(drafts))
    assert saved.action is None and saved.draft.id is not None
    edited = drafts.save(replace(saved.draft, meta=replace(META, description="Shines.")))
    assert edited.action is None
    assert outbox.actions() == []
    send(outbox, forum)
    assert forum.calls == []
    # It is the user's own work: listed as a badge not on the server, reopened as saved.
    [local] = drafts.local_drafts()
    assert local.meta.description == "Shines." and local.state is BadgeState.DRAFT
    assert drafts.open_draft(local.id or 0).meta.description == "Shines."


def test_publishing_a_local_draft_sends_one_create_of_a_published_badge(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, forum: DraftlessForum
) -> None:
    saved = drafts.save(new_draft(drafts)).draft
    published = drafts.publish(saved)
    assert published.action is not None and published.action.kind is ActionKind.BADGE_SAVE
    # Published twice before the outbox ran: still one create.
    drafts.publish(published.draft)
    assert len(saves(outbox, ActionState.PENDING)) == 1

    send(outbox, forum)
    send(outbox, forum)

    [create] = forum.calls
    assert isinstance(create, SaveCall) and create.badge_id is None
    assert create.fields["state"] == BadgeState.PUBLISHED.value
    assert forum.badges[500].state is BadgeState.PUBLISHED
    assert drafts.local_drafts() == []
    [badge] = cache.badges()
    assert badge.state is BadgeState.PUBLISHED


def test_a_published_badge_is_edited_at_once_and_cannot_go_back_to_draft(
    drafts: BadgeDrafts, outbox: Outbox, forum: DraftlessForum
) -> None:
    drafts.publish(drafts.save(new_draft(drafts)).draft)
    send(outbox, forum)
    # On the server now: an edit is sent with the outbox, as on any server.
    edit = drafts.save(replace(drafts.open_badge(500), meta=replace(META, title="Gold Star II")))
    assert edit.action is not None
    with pytest.raises(OutboxError, match=r"keeps no drafts.*Disable it"):
        drafts.change_state(forum.badges[500], BadgeState.DRAFT)
    with pytest.raises(OutboxError, match="on the server already"):
        drafts.publish(drafts.open_badge(500))


def test_a_draft_on_a_server_with_drafts_is_created_as_a_draft_at_once(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    store(cache, forum_capabilities(drafts=True, messages=True))
    server = FakeBadgeServer()
    assert drafts.save(new_draft(drafts)).action is not None
    send(outbox, server)
    [create] = server.calls
    assert isinstance(create, SaveCall) and create.fields["state"] == BadgeState.DRAFT.value
    assert create.fields["award_message"] == DEFAULT_AWARD_MESSAGE  # the server keeps it
    assert kept(cache) == {}


# --- award messages kept here ---------------------------------------------------------------------


def test_a_published_badge_keeps_its_award_message_here_and_sends_none(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, forum: DraftlessForum
) -> None:
    draft = new_draft(drafts, replace(META, award_message=MESSAGE))
    drafts.publish(drafts.save(draft).draft)
    send(outbox, forum)
    [sent] = forum.sent_fields
    assert "award_message" not in sent
    assert kept(cache) == {500: MESSAGE}
    assert drafts.open_badge(500).meta.award_message == MESSAGE

    # A change of the message alone is the user's work: nothing to send.
    changed = drafts.save(replace(drafts.open_badge(500), meta=replace(META, award_message="Hi {member}")))
    assert changed.action is None
    assert kept(cache) == {500: "Hi {member}"}
    [badge] = cache.badges()
    assert badge.award_message == "Hi {member}"


def test_a_badge_made_elsewhere_gets_the_default_message_once_saved_here(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, forum: DraftlessForum
) -> None:
    drafts.publish(drafts.save(new_draft(drafts)).draft)
    send(outbox, forum)
    # Saved with "use the default": the default is kept, as a server with messages would keep it.
    assert kept(cache) == {500: DEFAULT_AWARD_MESSAGE}
    assert drafts.open_badge(500).meta.award_message == ""  # shown as "the default"


class MessagelessFeedless(FeedlessServer):
    """A snapshot server whose badges carry no award message."""

    keeps_award_messages = False
    drafts = False


def test_a_sync_keeps_a_locally_kept_award_message(cache: Cache) -> None:
    server = MessagelessFeedless()
    SyncService(cache, server, page_size=2).run()
    with cache.write() as connection:
        kept_messages.keep(connection, 2, MESSAGE, 0)
    SyncService(cache, server, page_size=2).run()  # a snapshot pass: badge 2 written again with ""
    server.rows["badges"][2] = replace(server.rows["badges"][2], title="Renamed")
    SyncService(cache, server, page_size=2).run()

    assert kept(cache) == {2: MESSAGE}
    badges = {b.id: b for b in cache.badges()}
    assert badges[2].title == "Renamed" and badges[2].award_message == MESSAGE
    assert badges[1].award_message == ""
    with cache.read() as connection:
        mirrored = connection.execute(
            select(schema.badges.c.award_message).where(schema.badges.c.id == 2)
        ).scalar()
    assert mirrored == ""  # the mirror holds what the server says
    stored = Capabilities.from_json(cache.sync_state()[KEY_CAPABILITIES])
    assert stored is not None and stored.local_award_messages


def test_an_award_queues_one_message_per_applied_award_with_the_kept_template(
    message_cache: Cache,
) -> None:
    cache = message_cache
    with cache.write() as connection:
        connection.exec_driver_sql("UPDATE badges SET award_message = '' WHERE id = 1")
        kept_messages.keep(connection, 1, MESSAGE, 0)
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2], 1)
    outbox.queue_awards([3], 1, notify=False)
    server = Forum()

    outbox.send_pending(server)

    queued = [a for a in outbox.actions() if a.kind is ActionKind.MESSAGE]
    assert len(queued) == 2
    assert [(s.member_id, s.text) for s in server.sent] == [
        (1, "Well done, Member 1: you earned Badge 1!"),
        (2, "Well done, Member 2: you earned Badge 1!"),
    ]


def test_no_message_for_a_badge_with_no_message_kept_or_mirrored(message_cache: Cache) -> None:
    cache = message_cache
    with cache.write() as connection:
        connection.exec_driver_sql("UPDATE badges SET award_message = '' WHERE id = 1")
    outbox = Outbox(cache)
    outbox.queue_awards([1], 1)
    server = Forum()
    outbox.send_pending(server)
    assert server.sent == []


@pytest.fixture()
def message_cache(tmp_path: Path) -> Iterator[Cache]:
    """Twenty members and two badges, as the outbox's tests have them (members of other names)."""
    cache = Cache(tmp_path / "messages")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i, name=f"Member {i}") for i in range(1, 21)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.set_preferences(connection, {"me.name": "Alice Moderator"})
    yield cache
    cache.close()


def test_a_publish_whose_answer_was_lost_makes_one_badge_and_keeps_its_message(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, forum: DraftlessForum
) -> None:
    class Losing(DraftlessForum):
        """Applies the first create, then its answer is lost."""

        lost = False

        def save_badge(self, badge_id: int | None, fields: Mapping[str, str], *args: Any, **kw: Any) -> Badge:
            badge = super().save_badge(badge_id, fields, *args, **kw)
            if not self.lost:
                self.lost = True
                raise ServerUnreachable("the answer was lost")
            return badge

    server = Losing()
    drafts.publish(drafts.save(new_draft(drafts, replace(META, award_message=MESSAGE))).draft)
    outbox.send_pending(server, batch_cap=100, retry=RetryPolicy(attempts=3, first_delay=0.0))

    assert [b.title for b in server.badges.values()] == ["Gold Star"]  # replayed by its key, not made twice
    assert kept(cache) == {500: MESSAGE}
    assert saves(outbox, ActionState.DONE) and drafts.local_drafts() == []


def test_publishing_again_after_a_refusal_replaces_the_refused_create(
    drafts: BadgeDrafts, outbox: Outbox, forum: DraftlessForum
) -> None:
    class Refusing(DraftlessForum):
        """Refuses a badge named "Gold Star" (the name is taken on the forum)."""

        def save_badge(self, badge_id: int | None, fields: Mapping[str, str], *args: Any, **kw: Any) -> Badge:
            if fields["title"] == "Gold Star":
                raise ApiError("Discourse refused the badge: Name has already been taken", status=422)
            return super().save_badge(badge_id, fields, *args, **kw)

    server = Refusing()
    saved = drafts.save(new_draft(drafts)).draft
    drafts.publish(saved)
    send(outbox, server)
    assert [a.state for a in saves(outbox)] == [ActionState.FAILED]
    assert drafts.open_draft(saved.id or 0).save_state is ActionState.FAILED

    renamed = drafts.save(replace(saved, meta=replace(META, title="Golden Star"))).draft
    assert [a.state for a in saves(outbox)] == [ActionState.FAILED]  # saving still sends nothing
    drafts.publish(renamed)
    assert [a.state for a in saves(outbox)] == [ActionState.DISCARDED, ActionState.PENDING]
    send(outbox, server)
    assert [b.title for b in server.badges.values()] == ["Golden Star"]
