"""The badge design document: layer edits, undo and redo, validation, and the saved form (no Qt)."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from desktop.designer.document import (
    FORMAT_VERSION,
    BadgeDocument,
    BadgeMeta,
    Banner,
    Design,
    DesignError,
    Emblem,
    EmblemKind,
    Fill,
    FillKind,
    Frame,
    Shape,
)
from desktop.designer.images import ImportedImage, load_image

SVG_PICTURE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10">'
    b'<rect width="20" height="10" fill="#336699"/><circle cx="10" cy="5" r="3" fill="#ffcc00"/></svg>'
)


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, red) PNG: signature, IHDR, IDAT, IEND with their CRCs."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def png_image() -> ImportedImage:
    return load_image(png(), "dot.png")


def svg_image() -> ImportedImage:
    return load_image(SVG_PICTURE, "picture.svg")


Change = Callable[[Design], Design]


def fill(**changes: Any) -> Change:
    return lambda d: replace(d, fill=replace(d.fill, **changes))


def frame(**changes: Any) -> Change:
    return lambda d: replace(d, frame=replace(d.frame, **changes))


def banner(**changes: Any) -> Change:
    return lambda d: replace(d, banner=replace(d.banner, **changes))


def emblem(**changes: Any) -> Change:
    return lambda d: replace(d, emblem=replace(d.emblem, **changes))


# Every kind of layer edit the designer makes, each a change from the default design.
EDITS: list[tuple[str, Change]] = [
    ("Shape", lambda d: replace(d, shape=Shape.SHIELD)),
    ("Fill: solid", fill(kind=FillKind.SOLID)),
    ("Fill: radial", fill(kind=FillKind.RADIAL)),
    ("Fill colour", fill(colour="#aa3300")),
    ("Gradient colour", fill(colour2="#001122")),
    ("Gradient angle", fill(angle=45)),
    ("No rings", frame(rings=0)),
    ("Two rings", frame(rings=2)),
    ("Three rings", frame(rings=3)),
    ("Ring colour", frame(colour="#c0c0c0")),
    ("Ring width", frame(width=24.0)),
    ("Banner text", banner(text="Champion")),
    ("Banner text colour", banner(text="Champion", colour="#000000")),
    ("Banner colour", banner(text="Champion", background="#224488")),
    ("No band", banner(text="Champion", background="")),
    ("Glyph", emblem(glyph="fa6s.trophy")),
    ("Glyph colour", emblem(colour="#101010")),
    ("No emblem", emblem(kind=EmblemKind.NONE)),
    ("Image emblem", lambda d: replace(d, emblem=Emblem(kind=EmblemKind.IMAGE, image=png_image()))),
    ("Emblem size", emblem(scale=0.9)),
]


@pytest.mark.parametrize(("label", "change"), EDITS, ids=[label for label, _ in EDITS])
def test_every_layer_edit_is_undone_and_redone_with_its_label(label: str, change: Change) -> None:
    document = BadgeDocument()
    before = document.design
    after = change(before)
    assert after != before

    document.edit(label, change)

    assert document.design == after
    assert (document.can_undo, document.undo_label, document.can_redo) == (True, label, False)
    assert document.undo() == label
    assert document.design == before
    assert (document.can_undo, document.redo_label) == (False, label)
    assert document.redo() == label
    assert document.design == after
    assert (document.undo_label, document.redo_label) == (label, None)


def test_undo_and_redo_walk_several_steps_in_order() -> None:
    document = BadgeDocument()
    designs = [document.design]
    for label, change in EDITS[:4]:
        document.edit(label, change)
        designs.append(document.design)

    undone = [document.undo() for _ in range(4)]
    assert undone == [label for label, _ in reversed(EDITS[:4])]
    assert document.design == designs[0]
    assert document.undo() is None  # nothing left
    redone = [document.redo() for _ in range(4)]
    assert redone == [label for label, _ in EDITS[:4]]
    assert document.design == designs[-1]
    assert document.redo() is None


def test_a_new_edit_clears_the_redo_stack() -> None:
    document = BadgeDocument()
    document.edit("Shape", lambda d: replace(d, shape=Shape.STAR))
    document.undo()
    assert document.can_redo

    document.edit("Rings", frame(rings=3))

    assert not document.can_redo
    assert document.redo() is None
    assert document.design.shape is Shape.CIRCLE and document.design.frame.rings == 3


def test_an_edit_that_changes_nothing_adds_no_step_and_keeps_redo() -> None:
    document = BadgeDocument()
    document.edit("Shape", lambda d: replace(d, shape=Shape.STAR))
    document.undo()

    document.edit("Shape", lambda d: replace(d, shape=Shape.CIRCLE))  # already a circle

    assert not document.can_undo
    assert document.redo_label == "Shape"


def test_a_drag_is_one_undo_step_until_the_gesture_ends() -> None:
    document = BadgeDocument()
    start = document.design.frame.width
    for width in (18.0, 20.0, 22.0, 24.0):
        document.edit("Ring width", frame(width=width), merge_key="ring-width")
    assert document.design.frame.width == 24.0

    document.end_gesture()
    for width in (26.0, 28.0):
        document.edit("Ring width", frame(width=width), merge_key="ring-width")

    assert document.undo() == "Ring width"
    assert document.design.frame.width == 24.0  # the second drag was one step
    assert document.undo() == "Ring width"
    assert document.design.frame.width == start  # and so was the first
    assert not document.can_undo


def test_edits_with_another_merge_key_or_none_are_separate_steps() -> None:
    document = BadgeDocument()
    document.edit("Emblem size", emblem(scale=0.7), merge_key="scale")
    document.edit("Angle", fill(angle=30), merge_key="angle")
    document.edit("Emblem size", emblem(scale=0.8), merge_key="scale")
    document.edit("Shape", lambda d: replace(d, shape=Shape.HEXAGON))
    document.edit("Shape", lambda d: replace(d, shape=Shape.STAR))

    labels = []
    while document.can_undo:
        labels.append(document.undo())
    assert labels == ["Shape", "Shape", "Emblem size", "Angle", "Emblem size"]


def test_undo_ends_a_gesture() -> None:
    document = BadgeDocument()
    document.edit("Rings", frame(rings=2))
    document.edit("Ring width", frame(width=20.0), merge_key="ring-width")
    document.undo()
    document.edit("Ring width", frame(width=22.0), merge_key="ring-width")

    document.undo()

    assert document.design.frame.width == 16.0
    assert document.design.frame.rings == 2  # the earlier step was not swallowed


def test_metadata_edits_undo_and_typing_merges() -> None:
    document = BadgeDocument()
    for title in ("G", "Go", "Gol", "Gold"):
        document.update_meta("Title", merge_key="title", title=title)
    document.end_gesture()
    document.update_meta("Description", description="For the best.")
    design = document.design

    assert document.meta == BadgeMeta(title="Gold", description="For the best.")
    assert document.undo() == "Description"
    assert document.meta == BadgeMeta(title="Gold")
    assert document.undo() == "Title"
    assert document.meta == BadgeMeta()
    assert document.redo() == "Title"
    assert document.meta.title == "Gold"
    assert document.design == design  # meta edits never touch the design


def test_design_and_meta_share_one_history() -> None:
    document = BadgeDocument()
    document.edit("Shape", lambda d: replace(d, shape=Shape.RIBBON))
    document.update_meta("Title", title="Gold")

    document.undo()
    assert (document.design.shape, document.meta.title) == (Shape.RIBBON, "")
    document.undo()
    assert (document.design.shape, document.meta.title) == (Shape.CIRCLE, "")


INVALID: list[tuple[str, Change, str]] = [
    ("four rings", frame(rings=4), "0 to 3 frame rings, not 4"),
    ("negative rings", frame(rings=-1), "0 to 3 frame rings, not -1"),
    ("thin ring", frame(width=2.0), "4 to 30 units thick, not 2"),
    ("thick ring", frame(width=31.0), "4 to 30 units thick, not 31"),
    ("big emblem", emblem(scale=1.5), "20% to 100%, not 150%"),
    ("tiny emblem", emblem(scale=0.1), "20% to 100%, not 10%"),
    ("bad fill colour", fill(colour="#12"), "The fill colour: '#12' is not a colour"),
    ("bad gradient colour", fill(colour2="blue"), "The gradient colour:"),
    ("bad ring colour", frame(colour="#12"), "The frame colour:"),
    ("bad text colour", banner(colour="#12"), "The banner text colour:"),
    ("bad band colour", banner(background="#12"), "The banner colour:"),
    ("bad glyph colour", emblem(colour="#1234"), "The glyph colour:"),
    ("two-line banner", banner(text="Gold\nStar"), "The banner text is one line"),
    ("long banner", banner(text="x" * 61), "The banner text has 61 characters; at most 60 fit"),
    ("image without image", emblem(kind=EmblemKind.IMAGE), "An image emblem needs an image"),
    ("glyph without name", emblem(glyph=""), "A glyph emblem needs a glyph name"),
]


@pytest.mark.parametrize(("name", "change", "message"), INVALID, ids=[name for name, _, _ in INVALID])
def test_an_invalid_value_is_refused_and_changes_nothing(name: str, change: Change, message: str) -> None:
    document = BadgeDocument()
    document.edit("Shape", lambda d: replace(d, shape=Shape.STAR))
    document.edit("Rings", frame(rings=2))
    document.undo()  # a redo step that a refused edit must not clear
    state = document.state
    calls: list[BadgeDocument] = []
    document.on_change(calls.append)

    with pytest.raises(DesignError, match=message):
        document.edit(name, change)

    assert document.state == state
    assert (document.undo_label, document.redo_label) == ("Shape", "Rings")
    assert calls == []
    document.undo()
    assert not document.can_undo  # no step was added


def test_the_longest_banner_and_the_range_ends_are_accepted() -> None:
    document = BadgeDocument()
    document.edit("Banner", banner(text="x" * 60))
    document.edit("Frame", frame(rings=3, width=30.0))
    document.edit("Frame", frame(rings=0, width=4.0))
    document.edit("Scale", emblem(scale=0.2))
    document.edit("Scale", emblem(scale=1.0))
    assert document.design.emblem.scale == 1.0


def test_a_document_cannot_start_from_an_invalid_design() -> None:
    with pytest.raises(DesignError, match="frame rings"):
        BadgeDocument(Design(frame=Frame(rings=5)))


def test_modified_follows_the_saved_state_through_undo_and_redo() -> None:
    document = BadgeDocument()
    assert not document.modified
    document.edit("Shape", lambda d: replace(d, shape=Shape.STAR))
    assert document.modified
    document.mark_saved()
    assert not document.modified
    document.undo()
    assert document.modified
    document.redo()
    assert not document.modified
    document.update_meta("Title", title="Gold")
    assert document.modified
    document.update_meta("Title", title="")  # typed back to what was saved
    assert not document.modified


def test_listeners_hear_every_change() -> None:
    document = BadgeDocument()
    calls: list[tuple[Shape, str]] = []
    document.on_change(lambda doc: calls.append((doc.design.shape, doc.meta.title)))

    document.edit("Shape", lambda d: replace(d, shape=Shape.STAR))
    document.update_meta("Title", title="Gold")
    document.undo()
    document.redo()
    document.mark_saved()
    document.undo()
    document.undo()
    document.undo()  # nothing left: no call
    document.edit("Shape", lambda d: d)  # no change: no call

    assert calls == [
        (Shape.STAR, ""),
        (Shape.STAR, "Gold"),
        (Shape.STAR, ""),
        (Shape.STAR, "Gold"),
        (Shape.STAR, "Gold"),
        (Shape.STAR, ""),
        (Shape.CIRCLE, ""),
    ]


def test_history_keeps_only_the_last_steps() -> None:
    document = BadgeDocument(limit=3)
    for angle in range(10, 60, 10):  # five steps
        document.edit(f"Angle {angle}", fill(angle=angle))

    undone = []
    while document.can_undo:
        undone.append(document.undo())

    assert undone == ["Angle 50", "Angle 40", "Angle 30"]
    assert document.design.fill.angle == 20


# --- the saved form ----------------------------------------------------------------------------


def full_design(image: ImportedImage | None = None) -> Design:
    return Design(
        shape=Shape.HEXAGON,
        fill=Fill(FillKind.RADIAL, "#112233", "#445566", 30),
        frame=Frame(rings=2, colour="#ddeeff", width=12.5),
        banner=Banner("Ten years", "#000000", ""),
        emblem=Emblem(EmblemKind.GLYPH, "fa6s.trophy", "#fefefe", 0.75)
        if image is None
        else Emblem(EmblemKind.IMAGE, "", "#fefefe", 0.75, image),
    )


@pytest.mark.parametrize("image", [None, "png", "svg"])
def test_a_design_survives_json_and_text(image: str | None) -> None:
    picture = {None: None, "png": png_image(), "svg": svg_image()}[image]
    design = full_design(picture)

    data = design.to_json()
    assert data["format"] == FORMAT_VERSION
    json.dumps(data)  # plain JSON values only
    assert Design.from_json(data) == design
    assert Design.loads(design.dumps()) == design
    if picture is not None:
        loaded = Design.loads(design.dumps()).emblem.image
        assert loaded is not None
        assert (loaded.media_type, loaded.data) == (picture.media_type, picture.data)


def test_dumps_is_stable_text() -> None:
    design = full_design(png_image())
    assert design.dumps() == Design.loads(design.dumps()).dumps()
    assert "\n" not in design.dumps()


def test_missing_parts_take_the_defaults_and_colours_are_normalised() -> None:
    design = Design.loads('{"shape": "star", "fill": {"colour": "#ABC"}}')
    assert design.shape is Shape.STAR
    assert design.fill.colour == "#aabbcc"
    assert design.frame == Frame() and design.emblem == Emblem()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "A design is a JSON object"),
        ('{"format": 2}', "This design has format 2; this BadgeDesk reads format 1"),
        ('{"shape": "triangle"}', "malformed: 'triangle' is not a valid Shape"),
        ('{"fill": {"kind": "plaid"}}', "malformed"),
        ('{"frame": {"rings": "many"}}', "malformed"),
        ('{"frame": {"rings": 7}}', "0 to 3 frame rings, not 7"),
        ('{"fill": {"colour": "purple-ish"}}', "not a colour"),
        ('{"emblem": {"kind": "image", "image": {"data": "!!"}}}', "malformed"),
        ('{"emblem": {"kind": "image", "image": {"data": "R0lGODlh"}}}', "The design's image: .*GIF"),
        ('{"emblem": {"kind": "image", "image": null}}', "An image emblem needs an image"),
    ],
)
def test_a_malformed_design_gives_a_design_error(text: str, message: str) -> None:
    with pytest.raises(DesignError, match=message):
        Design.loads(text)
