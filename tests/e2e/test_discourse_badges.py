"""Badges designed in BadgeDesk reach the sandbox speaking Discourse, over loopback HTTP.

Discourse has no drafts: a badge saved in the designer stays in the user's
work and nothing reaches the forum until it is published; publishing goes
through the outbox to the Discourse connector's editor: the image is uploaded
as ``badge_image`` and set by ``image_upload_id``, the badge is created
enabled, and its award message stays in the user's work (Discourse's badges
carry none), through syncs; a create whose answer was lost makes no second badge;
an edit made elsewhere (a direct call to Discourse's API, as another admin
tool would make it) is reported as a conflict and not overwritten.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.designer.document import BadgeMeta, Banner, Design, Emblem, Frame, Shape
from desktop.designer.drafts import BadgeDrafts
from desktop.designer.render import render_svg
from desktop.domain import ActionState
from desktop.net.errors import BadgeConflict
from desktop.outbox import RetryPolicy
from desktop.sandbox.process import SandboxProcess
from tests.e2e.discourse_admin import admin_client

RATE = 6000
DESIGN = Design(
    shape=Shape.SHIELD,
    frame=Frame(rings=2, colour="#e6e9ee", width=12),
    banner=Banner(text="Night Owl", colour="#ffffff", background="#23272e"),
    emblem=Emblem(glyph="fa6s.moon", colour="#ffffff"),
)
META = BadgeMeta(
    title="Midnight Answerer",
    description="Answered questions between midnight and five, ten nights running.",
    criteria="Ten answers posted 00:00–05:00 local time, on ten different nights.",
    category="Community",
    tier="silver",
    award_message="Hoot hoot, {member}!",
)
QUICK = RetryPolicy(attempts=3, first_delay=0.0, max_delay=0.0)


class LosingTransport(httpx.BaseTransport):
    """Real HTTP; the answer to the next request armed is lost after the forum applied it."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.armed: list[tuple[str, str]] = []
        self.sent: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.sent.append((request.method, request.url.path))
        for armed in self.armed:
            if (request.method, request.url.path) == armed:
                self.armed.remove(armed)
                response.read()
                raise httpx.ReadError("the answer was lost on the way back (test)", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("forum"), members=40, seed=7, dialect="discourse", rate=RATE
    )
    with process:
        yield process


def _admin(forum: SandboxProcess) -> httpx.Client:
    """Discourse's API as another admin tool calls it (not through BadgeDesk)."""
    return admin_client(forum)


def _forum_badges(forum: SandboxProcess, name: str) -> list[dict[str, Any]]:
    with _admin(forum) as client:
        listing = client.get("/admin/badges.json")
    listing.raise_for_status()
    return [b for b in listing.json()["badges"] if b["name"] == name]


def test_a_designed_badge_is_created_once_edited_and_an_edit_made_elsewhere_is_not_overwritten(
    forum: SandboxProcess, tmp_path: Path
) -> None:
    transport = LosingTransport()
    endpoint = Endpoint(
        forum.url,
        forum.tokens["admin"],
        kind="discourse",
        username=forum.usernames["admin"],
        requests_per_minute=RATE,
    )
    community = Community(forum.url, endpoint, Cache(tmp_path / "profile"), transport=transport)
    try:
        community.sync()
        capabilities = community.capabilities()
        assert capabilities is not None and capabilities.badge_editing and not capabilities.edit_conflicts
        drafts = BadgeDrafts(community.cache, community.outbox)

        # A draft stays on this computer: nothing reaches the forum, however often it is saved.
        assert capabilities.local_drafts and capabilities.local_award_messages
        draft = drafts.save(replace(drafts.new(), meta=META, design=DESIGN)).draft
        draft = drafts.save(draft).draft
        before = len(transport.sent)
        assert community.send_outbox(retry=QUICK).applied == 0
        assert transport.sent[before:] == []
        assert _forum_badges(forum, "Midnight Answerer") == []

        # Published: created (enabled), although the forum's answer to the create was lost: one
        # badge, with its image.
        drafts.publish(draft)
        transport.armed.append(("POST", "/admin/badges.json"))
        report = community.send_outbox(retry=QUICK)
        assert (report.applied, report.failed, report.conflicts) == (1, 0, 0)
        assert transport.sent.count(("POST", "/admin/badges.json")) == 1
        [made] = _forum_badges(forum, "Midnight Answerer")
        assert made["enabled"] is True

        # Its award message is kept here, by the forum's badge id, and a sync leaves it.
        community.sync()
        cached = next(b for b in community.cache.badges() if b.id == made["id"])
        assert cached.award_message == META.award_message
        assert drafts.open_badge(made["id"]).meta.award_message == META.award_message
        assert (made["badge_type_id"], made["description"]) == (2, META.description)
        with _admin(forum) as client:
            image = client.get(made["image_url"])
        assert image.status_code == 200 and image.content == render_svg(DESIGN).encode("utf-8")

        # Edited from BadgeDesk.
        mine = drafts.open_badge(made["id"])
        drafts.save(replace(mine, meta=replace(mine.meta, title="Midnight Answerers")))
        assert community.send_outbox(retry=QUICK).applied == 1
        assert [b["id"] for b in _forum_badges(forum, "Midnight Answerers")] == [made["id"]]
        assert draft.id is not None

        # Edited on the forum meanwhile: BadgeDesk's next edit is a conflict, theirs stands.
        with _admin(forum) as client:
            theirs = client.put(f"/admin/badges/{made['id']}.json", json={"description": "Changed elsewhere"})
        theirs.raise_for_status()
        mine = drafts.open_badge(made["id"])
        drafts.save(replace(mine, meta=replace(mine.meta, title="Midnight Answerers Club")))
        report = community.send_outbox(retry=QUICK)
        assert (report.applied, report.conflicts) == (0, 1)
        [kept] = _forum_badges(forum, "Midnight Answerers")
        assert kept["description"] == "Changed elsewhere"
        [conflict] = community.outbox.actions([ActionState.CONFLICT])
        assert conflict.result is not None and "Someone changed this badge" in conflict.result["conflict"]
        cached = next(b for b in community.cache.badges() if b.id == made["id"])
        assert cached.description == "Changed elsewhere"
    finally:
        community.close()


def test_a_system_badge_that_keeps_its_name_is_reported_as_a_conflict_not_saved(
    forum: SandboxProcess, tmp_path: Path
) -> None:
    with _admin(forum) as client:
        listing = client.get("/admin/badges.json").json()["badges"]
    system = next(b for b in listing if b["system"] and b["enabled"])
    endpoint = Endpoint(
        forum.url,
        forum.tokens["admin"],
        kind="discourse",
        username=forum.usernames["admin"],
        requests_per_minute=RATE,
    )
    community = Community(forum.url, endpoint, Cache(tmp_path / "profile"))
    try:
        with contextlib.closing(community.connector()) as session:
            editor = session.editor
            assert editor is not None
            current = editor.current(system["id"])
            assert current is not None
            fields = {"title": "Renamed by BadgeDesk", "description": "A new description."}
            with pytest.raises(BadgeConflict, match="kept this system badge's name as it was") as kept:
                editor.save_badge(system["id"], fields, None, version=current.version, idempotency_key="k")
        assert kept.value.current is not None and kept.value.current.title == system["name"]
        [after] = [b for b in _forum_badges(forum, system["name"]) if b["id"] == system["id"]]
        assert after["description"] == "A new description."  # Discourse took the rest
    finally:
        community.close()
