"""A badge editor without versions (Discourse): an edit made elsewhere is a conflict, not overwritten.

The server would take any save; the sender compares the badge as the server
has it now with the version the edit began from first.
"""

from __future__ import annotations

from dataclasses import replace

from desktop.cache.database import Cache
from desktop.designer.drafts import BadgeDrafts
from desktop.domain import ActionState, Badge, BadgeState
from desktop.drift import HoldReason
from desktop.outbox import Outbox
from tests.core.test_drafts import META, FakeBadgeServer, SaveCall, StateCall, new_draft, send
from tests.core.test_drafts import cache as cache  # the fixtures
from tests.core.test_drafts import drafts as drafts
from tests.core.test_drafts import outbox as outbox


class NoVersions(FakeBadgeServer):
    """Applies every save as it comes (the last one wins), like a server without versions."""

    versions = False

    @staticmethod
    def _check(current: Badge, version: int | None) -> None:
        pass

    def current(self, badge_id: int) -> Badge | None:
        return self.badges.get(badge_id)


def test_an_edit_of_a_badge_changed_elsewhere_waits_as_a_conflict(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    server = NoVersions()
    drafts.save(new_draft(drafts))
    send(outbox, server)
    server.edit_elsewhere(500, title="Their Star")
    mine = replace(drafts.open_badge(500), meta=replace(META, title="My Star"))
    queued = drafts.save(mine)
    assert queued.action is not None

    report = send(outbox, server)

    assert report.conflicts == 1
    [conflict] = outbox.actions([ActionState.CONFLICT])
    assert conflict.hold_reason == HoldReason.BADGE_CHANGED.value
    assert server.badges[500].title == "Their Star"  # not overwritten
    assert [type(c) for c in server.calls] == [SaveCall]  # only the create went out
    [badge] = cache.badges()
    assert badge.title == "Their Star"  # the cache learnt what the server has


def test_an_edit_of_an_unchanged_badge_is_saved(drafts: BadgeDrafts, outbox: Outbox) -> None:
    server = NoVersions()
    drafts.save(new_draft(drafts))
    send(outbox, server)
    mine = replace(drafts.open_badge(500), meta=replace(META, title="My Star"))
    drafts.save(mine)
    report = send(outbox, server)
    assert report.conflicts == 0
    assert server.badges[500].title == "My Star"


def test_a_state_change_of_a_badge_changed_or_deleted_elsewhere_is_a_conflict(
    drafts: BadgeDrafts, outbox: Outbox
) -> None:
    server = NoVersions()
    drafts.save(new_draft(drafts))
    send(outbox, server)
    badge = server.badges[500]
    server.edit_elsewhere(500, title="Their Star")
    drafts.change_state(badge, BadgeState.DISABLED)
    assert send(outbox, server).conflicts == 1
    assert not any(isinstance(c, StateCall) for c in server.calls)

    del server.badges[500]
    drafts.change_state(badge, BadgeState.PUBLISHED)
    report = send(outbox, server)
    assert report.conflicts == 1
    [*_, last] = outbox.actions([ActionState.CONFLICT])
    assert last.result is not None and "deleted" in last.result["conflict"]


def test_a_badge_changed_on_a_server_without_versions_opens_as_the_server_has_it(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    from desktop.dialects.base import Delivery
    from desktop.dialects.capabilities import Capabilities
    from desktop.sync import KEY_CAPABILITIES

    forum = Capabilities(
        kind="discourse",
        changes_feed=False,
        requests=False,
        badge_editing=True,
        edit_conflicts=False,
        messages=True,
        award_messages=True,
        delivery=Delivery.RECONCILE,
        batch_cap=1,
    )
    with cache.write() as connection:
        Cache.set_sync_state(connection, {KEY_CAPABILITIES: forum.to_json()})
    server = NoVersions()
    drafts.save(new_draft(drafts))
    send(outbox, server)
    # Versions computed from the fields: another edit may give a *smaller* number.
    theirs = replace(server.badges[500], title="Their Star", version=server.badges[500].version - 1)
    with cache.write() as connection:
        Cache.upsert_badges(connection, [theirs])
    assert drafts.open_badge(500).meta.title == "Their Star"
