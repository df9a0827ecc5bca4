"""The dialect seam: capabilities derived from ports, kept with the sync state, and the registry."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from desktop.dialects import registry
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.sync import KEY_CAPABILITIES, stored_capabilities
from tests.ports import SelfPorts


class Feedless(SelfPorts):
    """A server with a writer and a directory only (one member per request, no keys)."""

    delivery = Delivery.RECONCILE
    batch_cap = 1
    feed = None

    @property
    def desk(self) -> None:
        return None

    @property
    def editor(self) -> None:
        return None


def test_capabilities_come_from_the_ports_a_session_offers() -> None:
    caps = Capabilities.of(Feedless())
    assert (caps.requests, caps.changes_feed, caps.badge_editing, caps.edit_conflicts) == (False,) * 4
    assert caps.delivery is Delivery.RECONCILE and caps.batch_cap == 1 and not caps.batch_awards
    missing = " / ".join(caps.missing())
    assert "no review queue" in missing and "cannot be created or edited" in missing
    assert "with a full read of the community" in missing

    full = Capabilities.of(SelfPorts())
    assert full.requests and full.badge_editing and full.edit_conflicts and full.batch_awards
    assert full.missing() == [
        "what is deleted on the server leaves the local copy with a full read of the community"
        " (the server has no changes feed)"
    ]


def test_capabilities_are_kept_with_the_sync_state_and_a_damaged_value_is_ignored() -> None:
    caps = Capabilities.of(Feedless())
    assert stored_capabilities({KEY_CAPABILITIES: caps.to_json()}) == caps
    assert stored_capabilities({}) is None
    for damaged in ("", "{", "[]", '{"kind": "x"}', caps.to_json().replace("reconcile", "maybe")):
        assert stored_capabilities({KEY_CAPABILITIES: damaged}) is None


def test_the_registry_names_what_it_knows_when_asked_for_an_unknown_kind() -> None:
    assert registry.dialect(registry.DEFAULT_KIND).kind == "badgedesk-v1"
    with pytest.raises(registry.UnknownServerKind, match=r"kind 'gitlab'.*badgedesk-v1"):
        registry.dialect("gitlab")


@pytest.mark.parametrize("kind", sorted(registry.DIALECTS))
def test_each_kind_opens_a_session_of_that_kind(kind: str) -> None:
    nothing_sent = httpx.MockTransport(lambda request: pytest.fail(f"sent {request.url}"))
    session = registry.dialect(kind).open(
        "https://badges.example.org", "token", username="mod", transport=nothing_sent
    )
    assert session.kind == kind


def test_the_registry_loads_no_session_or_wire_model_until_one_opens() -> None:
    # A fresh interpreter: this one has the sessions loaded by other tests.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys; import desktop.cli, desktop.community, desktop.dialects.registry;"
            " print(json.dumps(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(json.loads(loaded.stdout))
    assert "desktop.dialects.registry" in modules
    sessions = {"desktop.dialects.badgedesk_v1.connector", "desktop.dialects.discourse.session"}
    wire = {"desktop.dialects.badgedesk_v1.wire", "desktop.dialects.discourse.wire", "pydantic"}
    assert modules & (sessions | wire) == set()


def test_an_action_whose_port_the_server_lacks_fails_with_why_and_the_rest_is_sent(tmp_path: Path) -> None:
    from desktop.cache.database import Cache
    from desktop.domain import ActionKind, ActionState, BadgeState, Decision
    from desktop.outbox import Outbox
    from tests.core.test_outbox import FakeServer

    class NoDeskNoEditor(FakeServer):
        desk = None
        editor = None

    cache = Cache(tmp_path / "profile")
    outbox = Outbox(cache)
    decision = outbox.queue_decision(1, 1, Decision.APPROVE, member_id=2, badge_id=1)
    [state] = outbox.queue(ActionKind.BADGE_STATE, [{"badge_id": 1, "state": BadgeState.DISABLED.value}])
    outbox.queue_awards([3, 4], 1)
    server = NoDeskNoEditor()
    report = outbox.send_pending(server)
    assert report.failed == 2 and report.applied == 2
    by_id = {a.id: a for a in outbox.actions()}
    assert by_id[decision.id].state is ActionState.FAILED
    assert "no badge requests" in (by_id[decision.id].last_error or "")
    assert "does not let badges be changed" in (by_id[state.id].last_error or "")
    assert server.calls == [("award", 2)]
    cache.close()


def test_the_writer_is_told_the_members_username_and_the_grant_the_cache_knows(tmp_path: Path) -> None:
    from collections.abc import Sequence
    from datetime import UTC, datetime

    from desktop.cache.database import Cache
    from desktop.dialects.base import AwardItem, ItemResult, RevokeItem
    from desktop.domain import Award
    from desktop.outbox import Outbox
    from tests.core.test_cache import badge, member
    from tests.core.test_outbox import FakeServer

    class Recording(FakeServer):
        def __init__(self) -> None:
            super().__init__()
            self.items: list[AwardItem | RevokeItem] = []

        def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
            self.items.extend(items)
            return super().award_batch(items)

        def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
            self.items.extend(items)
            return super().revoke_batch(items)

    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(3), member(4)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.upsert_awards(connection, [Award(77, 4, 2, datetime(2025, 1, 1, tzinfo=UTC), "Bob", "")])
    outbox = Outbox(cache)
    outbox.queue_awards([3], 1)
    outbox.queue_revokes([4], 2)
    outbox.queue_awards([99], 1)  # not in the cache: no name to give
    server = Recording()
    outbox.send_pending(server)
    award, revoke, unknown = server.items
    assert isinstance(award, AwardItem) and award.username == "user3"
    assert isinstance(revoke, RevokeItem) and (revoke.username, revoke.award_id) == ("user4", 77)
    assert unknown.username == ""
    cache.close()
