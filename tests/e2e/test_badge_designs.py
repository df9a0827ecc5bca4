"""Badges designed here reach the sandbox as image bytes, once; a second sync changes nothing."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from typing import Any

import httpx

from desktop.cache.database import Cache
from desktop.designer.document import BadgeMeta, Banner, Design, Emblem, Frame, Shape
from desktop.designer.drafts import BadgeDrafts, design_from_svg
from desktop.domain import ActionKind, ActionState, BadgeState
from desktop.outbox import HoldReason, Outbox
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncService
from tests.e2e.conftest import CountingTransport, connector_for

DESIGN = Design(
    shape=Shape.SHIELD,
    frame=Frame(rings=2, colour="#e6e9ee", width=12),
    banner=Banner(text="Night Owl", colour="#ffffff", background="#23272e"),
    emblem=Emblem(glyph="fa6s.moon", colour="#ffffff"),
)
META = BadgeMeta(
    title="Night Owl",
    description="Answered questions between midnight and five, ten nights running.",
    criteria="Ten answers posted 00:00–05:00 local time, on ten different nights.",
    category="Community",
    tier="",
    award_message="Hoot hoot, {member}! The {badge} badge is yours in {community}.",
)


def sync(sandbox: SandboxProcess, cache: Cache) -> int:
    with connector_for(sandbox) as connector:
        return SyncService(cache, connector).run().changes.badges.__len__()


def send(sandbox: SandboxProcess, outbox: Outbox) -> CountingTransport:
    transport = CountingTransport()
    with connector_for(sandbox, transport=transport) as connector:
        outbox.send_pending(connector, batch_cap=50)
    return transport


def server_badge(sandbox: SandboxProcess, badge_id: int) -> dict[str, Any]:
    response = httpx.get(
        f"{sandbox.url}/api/v1/badges/{badge_id}",
        headers={"Authorization": f"Bearer {sandbox.tokens['moderator']}"},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_designed_badge_is_sent_as_image_bytes_once_and_a_second_sync_changes_nothing(
    sandbox: SandboxProcess, cache: Cache
) -> None:
    outbox = Outbox(cache, actor="Alice Moderator")
    drafts = BadgeDrafts(cache, outbox)
    sync(sandbox, cache)
    draft = replace(drafts.new(), meta=META, design=DESIGN)

    saved = drafts.save(draft)
    assert saved.action is not None and saved.action.kind is ActionKind.BADGE_SAVE
    send(sandbox, outbox)

    [action] = outbox.actions([ActionState.DONE])
    assert action.result is not None
    badge_id = action.result["badge_id"]
    on_server = server_badge(sandbox, badge_id)
    assert on_server["title"] == "Night Owl" and on_server["state"] == "draft"
    # Free among the cached badges (the demo catalogue has a Night Owl already).
    assert on_server["slug"] == saved.draft.slug and saved.draft.slug.startswith("night-owl")
    image = on_server["image"]
    assert isinstance(image, dict) and image["media_type"] == "image/svg+xml"
    svg = base64.b64decode(image["data_base64"])
    # The bytes themselves, never a link; and the layers travel inside them.
    links = [
        value
        for element in ElementTree.fromstring(svg).iter()
        for name, value in element.attrib.items()
        if name.endswith("href") and not value.startswith(("#", "data:"))
    ]
    assert svg.startswith(b"<svg") and links == []
    assert design_from_svg(svg) == DESIGN
    version = on_server["version"]

    # Sync twice, save unchanged, send: nothing moves, nothing is sent.
    sync(sandbox, cache)
    sync(sandbox, cache)
    reopened = drafts.open_badge(badge_id)
    assert reopened.design == DESIGN and reopened.meta == META and reopened.save_state is None
    again = drafts.save(reopened)
    assert again.action is None
    transport = send(sandbox, outbox)
    assert sum(transport.paths.values()) == 0
    assert server_badge(sandbox, badge_id)["version"] == version
    assert len(outbox.actions()) == 1

    # An edit is one update on top of the version the create made.
    edited = replace(reopened, design=replace(DESIGN, frame=replace(DESIGN.frame, rings=3)))
    assert drafts.save(edited).action is not None
    send(sandbox, outbox)
    after = server_badge(sandbox, badge_id)
    assert after["version"] == version + 1
    design = design_from_svg(base64.b64decode(after["image"]["data_base64"]))
    assert design is not None and design.frame.rings == 3

    # Publishing goes through the outbox too.
    sync(sandbox, cache)
    badge = next(b for b in cache.badges() if b.id == badge_id)
    drafts.change_state(badge, BadgeState.PUBLISHED)
    send(sandbox, outbox)
    assert server_badge(sandbox, badge_id)["state"] == "published"


def test_an_edit_made_over_someone_elses_change_is_reported_and_kept(
    sandbox: SandboxProcess, cache: Cache
) -> None:
    outbox = Outbox(cache, actor="Alice Moderator")
    drafts = BadgeDrafts(cache, outbox)
    sync(sandbox, cache)
    badge = cache.badges()[0]
    mine = drafts.open_badge(badge.id)
    # Bob renames the badge on the server meanwhile.
    response = httpx.patch(
        f"{sandbox.url}/api/v1/badges/{badge.id}",
        json={"title": "Bob's title"},
        headers={"Authorization": f"Bearer {sandbox.tokens['moderator2']}", "If-Match": str(badge.version)},
    )
    assert response.status_code == 200, response.text

    drafts.save(replace(mine, meta=replace(mine.meta, title="Alice's title")))
    send(sandbox, outbox)
    [conflict] = outbox.actions([ActionState.CONFLICT])
    assert conflict.hold_reason == HoldReason.BADGE_CHANGED
    assert server_badge(sandbox, badge.id)["title"] == "Bob's title"
    # The edit is kept, and says what happened.
    kept = drafts.open_badge(badge.id)
    assert kept.meta.title == "Alice's title" and kept.save_state is ActionState.CONFLICT
    assert kept.save_problem

    # Keeping mine: the next save replaces Bob's version.
    drafts.save(drafts.rebase(kept))
    send(sandbox, outbox)
    assert server_badge(sandbox, badge.id)["title"] == "Alice's title"
    assert not outbox.actions([ActionState.CONFLICT])
