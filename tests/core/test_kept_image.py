"""A server badge's own image is its design until the designer changes it (issue 17, no Qt).

Before, opening a badge made elsewhere wrapped its image in the default circle and ring, and
saving it, even unchanged, queued that new image.
"""

from __future__ import annotations

import base64
from dataclasses import replace

from desktop.cache.database import Cache
from desktop.designer.document import BadgeDocument, Design, EmblemKind, Shape
from desktop.designer.drafts import BadgeDrafts, design_from_svg
from desktop.designer.images import ImportedImage, load_image
from desktop.designer.render import render_svg
from desktop.outbox import Outbox
from tests.core.test_design_document import png
from tests.core.test_drafts import (
    DESIGN,
    FakeBadgeServer,
    SaveCall,
    cache,
    cache_badge,
    draft_rows,
    drafts,
    outbox,
    saves,
    send,
    server,
    server_badge,
)
from tests.core.test_render import HOSTILE_SVG

__all__ = ["cache", "drafts", "outbox", "server"]  # fixtures


def test_a_server_badge_opens_as_its_own_image_byte_for_byte(drafts: BadgeDrafts, cache: Cache) -> None:
    cache_badge(cache, server_badge())

    draft = drafts.open_badge(7)

    assert draft.design.kept_image
    assert drafts.image(draft) == (png(), "image/png")
    # Drawn alone: no shape, sheen, ring or outline around it.
    svg = render_svg(draft.design)
    assert "<path" not in svg and "<image" in svg
    assert any("kept as it is" in note for note in draft.notes)


def test_a_cleaned_svg_is_still_the_servers_bytes(drafts: BadgeDrafts, cache: Cache) -> None:
    cache_badge(cache, server_badge(image=HOSTILE_SVG, image_media_type="image/svg+xml"))
    draft = drafts.open_badge(7)
    assert draft.design.kept_image
    assert drafts.image(draft) == (HOSTILE_SVG, "image/svg+xml")


def test_opening_and_saving_unchanged_queues_nothing(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    cache_badge(cache, server_badge())

    result = drafts.save(drafts.open_badge(7))

    assert result.action is None and saves(outbox) == []
    assert [row.badge_id for row in draft_rows(cache)] == [7]
    # Reopened from the draft row, still the image as it is, and still nothing to send.
    again = drafts.open_badge(7)
    assert again.design.kept_image and drafts.image(again) == (png(), "image/png")
    assert drafts.save(again).action is None and saves(outbox) == []


def test_a_badge_designed_here_saved_unchanged_queues_nothing(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    cache_badge(cache, server_badge(image=render_svg(DESIGN).encode(), image_media_type="image/svg+xml"))
    draft = drafts.open_badge(7)
    assert not draft.design.kept_image
    assert drafts.save(draft).action is None and saves(outbox) == []


def test_a_title_change_sends_the_fields_and_leaves_the_image_alone(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    badge = server_badge()
    server.badges[7] = badge
    cache_badge(cache, badge)
    draft = drafts.open_badge(7)

    result = drafts.save(replace(draft, meta=replace(draft.meta, title="Old Timer II")))

    assert result.action is not None and result.action.payload["image"] is None
    send(outbox, server)
    [call] = server.calls
    assert isinstance(call, SaveCall)
    assert call.image is None and call.fields["title"] == "Old Timer II"
    assert server.badges[7].image == png()
    [cached] = cache.badges()
    assert (cached.title, cached.image, cached.image_media_type) == ("Old Timer II", png(), "image/png")
    # Confirmed: saving again unchanged sends nothing more.
    assert drafts.save(drafts.open_badge(7)).action is None
    assert len(saves(outbox)) == 1


def test_changing_a_layer_makes_the_layers_the_design_and_sends_it(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    badge = server_badge()
    server.badges[7] = badge
    cache_badge(cache, badge)
    draft = drafts.open_badge(7)
    document = BadgeDocument(draft.design, draft.meta)

    document.edit("Shape", lambda d: replace(d, shape=Shape.SHIELD))

    layered = document.design
    assert not layered.kept_image and layered.shape is Shape.SHIELD
    assert layered.emblem.kind is EmblemKind.IMAGE and layered.emblem.image == draft.design.emblem.image
    result = drafts.save(replace(draft, design=layered))
    assert result.action is not None
    sent = base64.b64decode(result.action.payload["image"])
    assert sent == render_svg(layered).encode() and drafts.image(result.draft) == (sent, "image/svg+xml")
    send(outbox, server)
    assert design_from_svg(server.badges[7].image or b"") == layered


def test_undo_brings_the_kept_image_back() -> None:
    kept = replace(Design(), emblem=replace(Design().emblem, kind=EmblemKind.IMAGE, image=_image()))
    kept = replace(kept, kept_image=True)
    document = BadgeDocument(kept)

    document.edit("Rings", lambda d: replace(d, frame=replace(d.frame, rings=2)))
    assert not document.design.kept_image and document.design.frame.rings == 2
    document.undo()
    assert document.design == kept
    # The choice travels with the design (the draft row, the SVG's metadata).
    assert Design.loads(kept.dumps()) == kept
    assert Design.loads(Design().dumps()).kept_image is False
    # A design of layers serialises, and so renders, exactly as before kept images existed.
    assert "kept_image" not in Design().dumps() and "kept_image" in kept.dumps()


def _image() -> ImportedImage:
    return load_image(png())
