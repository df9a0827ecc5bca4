"""The dialect seam: capabilities derived from ports, kept with the sync state, and the registry."""

from __future__ import annotations

import pytest

from desktop.dialects import registry
from desktop.dialects.base import Capabilities, Delivery
from desktop.sync import KEY_CAPABILITIES, stored_capabilities
from tests.ports import SelfPorts


class Feedless(SelfPorts):
    """A server with a writer and a directory only (one member per request, no keys)."""

    delivery = Delivery.RECONCILE
    batch_cap = 1
    feed = None

    @property
    def desk(self) -> None:  # type: ignore[override]
        return None

    @property
    def editor(self) -> None:  # type: ignore[override]
        return None


def test_capabilities_come_from_the_ports_a_session_offers() -> None:
    caps = Capabilities.of(Feedless())  # type: ignore[arg-type]
    assert (caps.requests, caps.changes_feed, caps.badge_editing, caps.edit_conflicts) == (False,) * 4
    assert caps.delivery is Delivery.RECONCILE and caps.batch_cap == 1 and not caps.batch_awards
    missing = " / ".join(caps.missing())
    assert "no review queue" in missing and "cannot be created or edited" in missing
    assert "reads the whole community again" in missing

    full = Capabilities.of(SelfPorts())  # type: ignore[arg-type]
    assert full.requests and full.badge_editing and full.edit_conflicts and full.batch_awards
    assert full.missing() == ["each sync reads the whole community again (the server has no changes feed)"]


def test_capabilities_are_kept_with_the_sync_state_and_a_damaged_value_is_ignored() -> None:
    caps = Capabilities.of(Feedless())  # type: ignore[arg-type]
    assert stored_capabilities({KEY_CAPABILITIES: caps.to_json()}) == caps
    assert stored_capabilities({}) is None
    for damaged in ("", "{", "[]", '{"kind": "x"}', caps.to_json().replace("reconcile", "maybe")):
        assert stored_capabilities({KEY_CAPABILITIES: damaged}) is None


def test_the_registry_names_what_it_knows_when_asked_for_an_unknown_kind() -> None:
    assert registry.dialect(registry.DEFAULT_KIND).kind == "badgedesk-v1"
    with pytest.raises(registry.UnknownServerKind, match=r"kind 'gitlab'.*badgedesk-v1"):
        registry.dialect("gitlab")
