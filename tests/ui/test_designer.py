"""The badge designer: controls, undo, checks, metadata, export, image import, families, rendering."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.designer.checks import DEFAULT_AWARD_MESSAGE
from desktop.designer.document import (
    BadgeMeta,
    Banner,
    Design,
    EmblemKind,
    Fill,
    FillKind,
    Frame,
    Shape,
)
from desktop.designer.drafts import Draft
from desktop.designer.render import render_svg
from desktop.domain import ActionState
from ui.designer import BadgeDesigner
from ui.designer.family_dialog import FamilyDialog
from ui.designer.glyph_picker import GlyphPicker
from ui.operations import TaskManager
from ui.widgets.rendering import draw_svg, svg_renderer

COMMUNITY = "Pythonistas"
HOSTILE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b"<script>alert(document.cookie)</script>"
    b'<rect width="10" height="10" fill="#e63946" onclick="alert(1)"/>'
    b'<circle cx="5" cy="5" r="3" fill="#ffffff"/></svg>'
)


def new_draft(design: Design | None = None, meta: BadgeMeta | None = None, **fields: Any) -> Draft:
    draft = Draft(None, None, "", meta or BadgeMeta(), design or Design(), None)
    return replace(draft, **fields)


@pytest.fixture()
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    assert manager.shutdown()
    assert manager.active == 0


@pytest.fixture()
def make_designer(qtbot: QtBot, tasks: TaskManager) -> Callable[..., BadgeDesigner]:
    def make(draft: Draft | None = None) -> BadgeDesigner:
        designer = BadgeDesigner(
            draft or new_draft(),
            tasks=tasks,
            default_message=DEFAULT_AWARD_MESSAGE,
            community=COMMUNITY,
            categories=("Community", "Contribution"),
        )
        # pytest-qt closes it after the test: never a real dialog.
        designer.ask = lambda _title, _text: "discard"
        qtbot.addWidget(designer)
        designer.show()
        designer.activateWindow()
        qtbot.waitExposed(designer)
        qtbot.waitUntil(designer.isActiveWindow)
        # The first drawing, and the templates read on a worker.
        qtbot.waitUntil(lambda: designer.render_count == 1 and tasks.active == 0)
        return designer

    return make


def settle(qtbot: QtBot, designer: BadgeDesigner) -> None:
    qtbot.waitUntil(lambda: not designer.render_pending and designer.tasks.active == 0)


def choose_glyph(qtbot: QtBot, picker: GlyphPicker, query: str, name: str) -> None:
    picker.search_box.clear()
    qtbot.keyClicks(picker.search_box, query)
    qtbot.waitUntil(lambda: picker.idle)
    row = picker.model.row_of(name)
    assert row is not None, f"{name} not among the results for {query!r}"
    index = picker.model.index(row)
    picker.view.scrollTo(index)
    qtbot.mouseClick(
        picker.view.viewport(), Qt.MouseButton.LeftButton, pos=picker.view.visualRect(index).center()
    )


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def full_badge(qtbot: QtBot, designer: BadgeDesigner) -> None:
    """Banner text, a glyph, two rings, a gradient and the metadata, all through the controls."""
    designer.shape_combo.setCurrentIndex(designer.shape_combo.findText(Shape.SHIELD.label))
    designer.fill_kind.setCurrentIndex(designer.fill_kind.findData(FillKind.LINEAR))
    colours = iter(["#0f766e", "#134e4a"])
    designer.pick_colour = lambda _initial, _title: next(colours)
    qtbot.mouseClick(designer.fill_colour, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(designer.fill_colour2, Qt.MouseButton.LeftButton)
    designer.rings_spin.setValue(2)
    type_into(qtbot, designer.banner_text, "Bug Hunter")
    choose_glyph(qtbot, designer.glyph_picker, "bug", "fa6s.bug")
    type_into(qtbot, designer.title_edit, "Bug Hunter")
    type_into(qtbot, designer.description_edit, "Found a bug, reported it well, and saw it fixed.")
    type_into(qtbot, designer.criteria_edit, "A bug report that led to a merged fix.")
    line = designer.category_combo.lineEdit()
    assert line is not None
    type_into(qtbot, line, "Contribution")
    designer.tier_combo.setCurrentIndex(designer.tier_combo.findText("gold"))
    designer.canvas.setFocus()
    settle(qtbot, designer)


# --- building through the controls -------------------------------------------------------------


def test_a_badge_is_built_entirely_through_the_controls(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    designer.shape_combo.setCurrentIndex(designer.shape_combo.findText("Hexagon"))
    designer.fill_kind.setCurrentIndex(designer.fill_kind.findData(FillKind.RADIAL))
    asked: list[tuple[str, str]] = []

    def pick(initial: str, title: str) -> str:
        asked.append((initial, title))
        return "#7b2cbf"

    designer.pick_colour = pick
    qtbot.mouseClick(designer.fill_colour, Qt.MouseButton.LeftButton)
    designer.rings_spin.setFocus()
    QTest.keyClick(designer.rings_spin, Qt.Key.Key_Up)
    QTest.keyClick(designer.rings_spin, Qt.Key.Key_Up)
    type_into(qtbot, designer.banner_text, "Top Helper")
    choose_glyph(qtbot, designer.glyph_picker, "trophy", "fa6s.trophy")
    type_into(qtbot, designer.title_edit, "Top Helper")
    type_into(qtbot, designer.description_edit, "Answers questions kindly.")
    type_into(qtbot, designer.criteria_edit, "Fifty accepted answers.")
    line = designer.category_combo.lineEdit()
    assert line is not None
    type_into(qtbot, line, "Community")
    designer.tier_combo.setCurrentIndex(designer.tier_combo.findText("silver"))

    design = designer.document.design
    assert design.shape is Shape.HEXAGON
    assert design.fill.kind is FillKind.RADIAL
    assert design.fill.colour == "#7b2cbf"
    assert asked == [("#2f6fdb", "Fill colour")]
    assert design.frame.rings == 3
    assert design.banner.text == "Top Helper"
    assert design.emblem.kind is EmblemKind.GLYPH
    assert design.emblem.glyph == "fa6s.trophy"
    assert designer.document.meta == BadgeMeta(
        "Top Helper", "Answers questions kindly.", "Fifty accepted answers.", "Community", "silver", ""
    )
    # The controls show it, and the title bar says it is modified.
    assert designer.fill_colour.text() == "#7B2CBF"
    assert not designer.fill_angle.isEnabled()  # no angle for a radial gradient
    assert designer.glyph_picker.selected_label.text() == "Selected: fa6s.trophy"
    assert designer.windowTitle() == "Badge designer — Top Helper[*]"
    assert designer.isWindowModified()
    settle(qtbot, designer)
    assert designer.findings()


def test_the_glyph_list_makes_icons_only_for_the_rows_it_shows(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    picker = make_designer().glyph_picker
    qtbot.keyClicks(picker.search_box, "a")
    qtbot.waitUntil(lambda: picker.idle)
    picker.view.viewport().repaint()
    assert len(picker.model.names) == 200
    assert 0 < picker.model.icons_made < 100


# --- undo and redo -------------------------------------------------------------------------------


def test_undo_and_redo_by_keyboard_restore_the_values_and_the_controls(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    designer.shape_combo.setCurrentIndex(designer.shape_combo.findText("Star"))
    designer.rings_spin.setValue(3)
    assert designer.undo_action.text() == "Undo ring count"
    designer.canvas.setFocus()

    QTest.keyClick(designer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert designer.document.design.frame.rings == 1
    assert designer.rings_spin.value() == 1
    assert designer.shape_combo.currentText() == "Star"
    assert designer.undo_action.text() == "Undo shape"
    assert designer.redo_action.text() == "Redo ring count"

    QTest.keyClick(designer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert designer.document.design.shape is Shape.CIRCLE
    assert designer.shape_combo.currentText() == "Circle"
    assert not designer.undo_action.isEnabled()

    QTest.keyClick(
        designer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert designer.shape_combo.currentText() == "Star"
    QTest.keyClick(designer, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert designer.rings_spin.value() == 3
    assert not designer.redo_action.isEnabled()


def test_ctrl_z_in_a_text_field_undoes_the_typing_as_one_step(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    designer.rings_spin.setValue(2)
    type_into(qtbot, designer.title_edit, "Mentor")
    assert designer.document.meta.title == "Mentor"
    assert designer.undo_action.text() == "Undo title"

    QTest.keyClick(designer.title_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # The whole word at once, through the document; the field shows it.
    assert designer.document.meta.title == ""
    assert designer.title_edit.text() == ""
    assert designer.document.design.frame.rings == 2
    assert designer.undo_action.text() == "Undo ring count"
    assert designer.redo_action.text() == "Redo title"
    QTest.keyClick(designer.title_edit, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert designer.title_edit.text() == "Mentor"


def test_a_slider_drag_is_one_undo_step(qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]) -> None:
    designer = make_designer()
    slider = designer.frame_width
    assert slider.value() == 16
    slider.setSliderDown(True)
    for value in (18, 21, 24, 27):
        slider.setValue(value)
    slider.setSliderDown(False)  # emits sliderReleased, as letting go of the mouse does
    assert designer.document.design.frame.width == 27
    slider.setSliderDown(True)
    slider.setValue(12)
    slider.setSliderDown(False)

    designer.undo()
    assert designer.document.design.frame.width == 27
    designer.undo()
    assert designer.document.design.frame.width == 16
    assert slider.value() == 16
    assert not designer.document.can_undo


# --- saving and metadata -------------------------------------------------------------------------


def test_saving_without_a_title_shows_the_problem_beside_it_and_emits_nothing(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    error = designer.findChild(QLabel, "error_title")
    assert error is not None and error.isHidden()  # not nagging before a save is tried
    emitted: list[Draft] = []
    designer.save_requested.connect(emitted.append)
    designer.canvas.setFocus()

    QTest.keyClick(designer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert emitted == []
    assert error.isVisible()
    assert error.text() == "A badge needs a title."
    description_error = designer.findChild(QLabel, "error_description")
    assert description_error is not None and description_error.isVisible()
    assert designer.title_edit.hasFocus()

    qtbot.keyClicks(designer.title_edit, "Mentor")
    assert error.isHidden()
    type_into(qtbot, designer.description_edit, "Helps newcomers.")
    QTest.keyClick(designer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(emitted) == 1
    assert emitted[0].meta.title == "Mentor"
    assert emitted[0].design == designer.document.design


def test_a_bad_placeholder_is_shown_and_blocks_saving(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer(new_draft(meta=BadgeMeta("Mentor", "Helps newcomers.")))
    emitted: list[Draft] = []
    designer.save_requested.connect(emitted.append)
    assert designer.use_default.isChecked()
    assert designer.message_edit.isReadOnly()
    qtbot.mouseClick(designer.use_default, Qt.MouseButton.LeftButton)
    assert not designer.message_edit.isReadOnly()
    designer.message_edit.selectAll()
    qtbot.keyClicks(designer.message_edit, "Well done {membr}!")

    error = designer.findChild(QLabel, "error_award_message")
    assert error is not None and error.isVisible()
    assert "membr" in error.text()
    assert designer.award_preview.text() == "(no preview until the placeholders are fixed)"
    assert designer.save() is False
    assert emitted == []
    assert designer.message_edit.hasFocus()


def test_the_award_preview_greets_the_sample_member(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer(new_draft(meta=BadgeMeta("Mentor", "Helps newcomers.")))
    assert designer.award_preview.text() == (
        "Congratulations Ada Lovelace! You have been awarded the Mentor badge in Pythonistas."
    )
    qtbot.mouseClick(designer.use_default, Qt.MouseButton.LeftButton)
    designer.message_edit.selectAll()
    qtbot.keyClicks(designer.message_edit, "Thank you, {member} (@{username})!")
    assert designer.award_preview.text() == "Thank you, Ada Lovelace (@ada)!"
    assert designer.document.meta.award_message == "Thank you, {member} (@{username})!"
    emitted: list[Draft] = []
    designer.save_requested.connect(emitted.append)
    assert designer.save()
    assert emitted[0].meta.award_message == "Thank you, {member} (@{username})!"


def test_the_pane_reports_back_and_closing_asks_about_unsaved_changes(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer(new_draft(meta=BadgeMeta("Mentor", "Helps newcomers.")))
    designer.rings_spin.setValue(0)
    asked: list[str] = []

    def ask(_title: str, text: str) -> str:
        asked.append(text)
        return "cancel"

    designer.ask = ask
    designer.close()
    assert designer.isVisible()
    assert asked == ["Save the changes to “Mentor” before closing?"]

    drafts: list[Draft] = []
    designer.save_requested.connect(drafts.append)
    assert designer.save()
    designer.saving()
    assert designer.status.text() == "Saving…"
    assert not designer.save_action.isEnabled()
    designer.saved(replace(drafts[0], id=7, slug="mentor", save_state=ActionState.PENDING), True)
    assert designer.status.text() == "Queued — it is sent with the outbox"
    assert not designer.isWindowModified()
    assert designer.draft.id == 7
    designer.sent()
    assert designer.status.text() == "Saved on the server"
    designer.saved(designer.current_draft(), False)
    assert designer.status.text() == "Nothing to send: the server has this version"
    designer.save_failed("the cache is read-only")
    assert designer.status.text() == "Not saved: the cache is read-only"

    asked.clear()
    designer.close()  # nothing unsaved: no question
    assert asked == []
    assert not designer.isVisible()


def test_closing_with_save_saves_only_a_valid_badge(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    type_into(qtbot, designer.title_edit, "Mentor")
    emitted: list[Draft] = []
    designer.save_requested.connect(emitted.append)
    designer.ask = lambda _title, _text: "save"
    designer.close()
    # No description: not saved, still open, the problem shown.
    assert designer.isVisible()
    assert emitted == []
    assert designer.description_edit.hasFocus()
    qtbot.keyClicks(designer.description_edit, "Helps newcomers.")
    designer.close()
    assert not designer.isVisible()
    assert [d.meta.description for d in emitted] == ["Helps newcomers."]


def test_a_conflict_shows_a_banner_with_both_choices(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    draft = new_draft(
        meta=BadgeMeta("Mentor", "Helps newcomers."),
        id=3,
        badge_id=30,
        base_version=2,
        save_state=ActionState.CONFLICT,
        save_problem="Alice changed this badge on the server (version 3).",
    )
    designer = make_designer(draft)
    assert designer.conflict_banner.isVisible()
    assert designer.conflict_text.text() == "Alice changed this badge on the server (version 3)."
    designer.rings_spin.setValue(3)
    kept: list[Draft] = []
    taken: list[Draft] = []
    designer.keep_mine_requested.connect(kept.append)
    designer.take_theirs_requested.connect(taken.append)
    keep = designer.conflict_banner.findChild(QPushButton, "keepMine")
    theirs = designer.conflict_banner.findChild(QPushButton, "takeTheirs")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(theirs, Qt.MouseButton.LeftButton)
    assert kept[0].id == 3 and kept[0].design.frame.rings == 3
    assert taken[0].id == 3

    server = replace(
        draft, design=replace(draft.design, shape=Shape.STAR), save_state=None, save_problem=None
    )
    designer.set_draft(server)
    assert not designer.conflict_banner.isVisible()
    assert designer.shape_combo.currentText() == "Star"
    assert designer.rings_spin.value() == 1
    assert not designer.isWindowModified()
    assert not designer.document.can_undo


# --- export ----------------------------------------------------------------------------------------


def test_png_export_writes_transparent_images_at_each_size(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner], tmp_path: Path
) -> None:
    designer = make_designer()
    written = designer.export_png_files(tmp_path, "mentor", [64])
    assert written == [tmp_path / "mentor-600.png", tmp_path / "mentor-64.png"]
    for path, size in zip(written, (600, 64), strict=True):
        image = QImage(str(path))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0
        assert image.pixelColor(size // 2, size // 2).alpha() == 255

    # Through the toolbar: the chosen name, 600 px and the sizes ticked in the menu.
    designer.choose_save_path = lambda _title, _filter, suggested: tmp_path / "out" / f"x-{suggested}"
    (tmp_path / "out").mkdir()
    designer.size_actions[256].setChecked(True)
    designer.export_png_action.trigger()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "x-badge-128.png",
        "x-badge-256.png",
        "x-badge-600.png",
        "x-badge-64.png",
    ]
    with pytest.raises(OSError, match="does not exist"):
        designer.export_png_files(tmp_path / "missing", "x", [])


def test_svg_export_is_square_with_the_canvas_view_box(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner], tmp_path: Path
) -> None:
    designer = make_designer()
    path = tmp_path / "badge.svg"
    designer.export_svg_file(path)
    root = ElementTree.fromstring(path.read_bytes())
    assert root.attrib["viewBox"] == "0 0 600 600"
    assert root.attrib["width"] == root.attrib["height"] == "600"


# --- importing images ----------------------------------------------------------------------------


def test_a_hostile_svg_becomes_a_clean_image_emblem(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner], tmp_path: Path
) -> None:
    designer = make_designer()
    source = tmp_path / "logo.svg"
    source.write_bytes(HOSTILE_SVG)
    designer.choose_file = lambda _title, _filter: source
    qtbot.mouseClick(designer.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: designer.document.design.emblem.kind is EmblemKind.IMAGE)

    image = designer.document.design.emblem.image
    assert image is not None
    assert b"script" not in image.data.lower()
    assert b"onclick" not in image.data.lower()
    assert "script" not in render_svg(designer.document.design).lower()
    assert designer.emblem_buttons[EmblemKind.IMAGE].isChecked()
    assert designer.import_notes.isVisible()
    assert "<script> element" in designer.import_notes.text()
    assert designer.import_error.isHidden()
    # Back to a glyph and to the image again, without importing twice.
    qtbot.mouseClick(designer.emblem_buttons[EmblemKind.GLYPH], Qt.MouseButton.LeftButton)
    assert designer.document.design.emblem.kind is EmblemKind.GLYPH
    qtbot.mouseClick(designer.emblem_buttons[EmblemKind.IMAGE], Qt.MouseButton.LeftButton)
    assert designer.document.design.emblem.image == image


def test_importing_garbage_shows_why_and_leaves_the_design_alone(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner], tmp_path: Path
) -> None:
    designer = make_designer()
    before = designer.document.design
    source = tmp_path / "notes.bin"
    source.write_bytes(b"\x00\x01garbage, not a picture\xff" * 10)
    designer.choose_file = lambda _title, _filter: source
    qtbot.mouseClick(designer.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(designer.import_error.isVisible)

    assert designer.import_error.text() == "notes.bin is not a PNG, JPEG or SVG image."
    assert designer.status.text() == "notes.bin is not a PNG, JPEG or SVG image."
    assert designer.document.design == before
    assert not designer.document.can_undo


# --- families --------------------------------------------------------------------------------------


def test_the_family_dialog_previews_checks_and_creates_three_tiers(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner], artifacts: Path
) -> None:
    designer = make_designer(
        new_draft(
            Design(banner=Banner("Mentor"), frame=Frame(rings=2)),
            BadgeMeta("Mentor", "Helps newcomers.", "Ten mentees.", "Community", "", "Thanks {member}!"),
        )
    )
    requested: list[list[Draft]] = []
    designer.family_requested.connect(requested.append)
    designer.family_action.trigger()
    dialog = designer.findChild(FamilyDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)

    assert len(dialog.previews) == 3
    assert all(not p.pixmap().isNull() and p.pixmap().width() == 128 for p in dialog.previews)
    texts = [label.text() for label in dialog.finding_labels]
    for vision in ("Typical vision", "Deuteranopia", "Protanopia", "Tritanopia"):
        assert sum(vision in text for text in texts) == 1, texts
    assert any("ring count" in text for text in texts)

    image = dialog.grab_family_image()
    assert (image.width(), image.height()) == (1800, 600)
    assert image.save(str(artifacts / "badge_family.png"))
    dialog.grab().save(str(artifacts / "badge_family_dialog.png"))

    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert len(requested) == 1
    drafts = requested[0]
    assert [d.meta.tier for d in drafts] == ["bronze", "silver", "gold"]
    assert [d.design.frame.rings for d in drafts] == [1, 2, 3]
    assert [d.meta.title for d in drafts] == ["Mentor — Bronze", "Mentor — Silver", "Mentor — Gold"]
    assert all(
        d.id is None and d.badge_id is None and d.slug == "" and d.base_version is None for d in drafts
    )
    assert all(
        d.meta.award_message == "Thanks {member}!" and d.meta.criteria == "Ten mentees." for d in drafts
    )


def test_a_family_by_shape_gives_each_tier_its_shape(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer(new_draft(meta=BadgeMeta("Speaker")))
    dialog = designer.open_family_dialog()
    qtbot.mouseClick(dialog.by_shape, Qt.MouseButton.LeftButton)
    assert [d.shape for d in dialog.family.values()] == [Shape.CIRCLE, Shape.HEXAGON, Shape.STAR]
    assert any("shape" in label.text() for label in dialog.finding_labels)
    dialog.reject()


# --- rendering -------------------------------------------------------------------------------------


def test_a_burst_of_changes_is_drawn_once(qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]) -> None:
    designer = make_designer()
    count = designer.render_count
    for step in range(20):
        designer.emblem_scale.setValue(30 + step)
    assert designer.render_count == count  # nothing drawn inside the burst
    assert designer.render_pending
    qtbot.waitUntil(lambda: not designer.render_pending)
    qtbot.wait(30)
    assert designer.render_count == count + 1
    assert designer.last_render_ms > 0
    assert designer.document.design.emblem.scale == pytest.approx(0.49)


def test_the_previews_show_the_badge_at_real_size(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    for size, preview in designer.size_previews.items():
        assert (preview.image.width(), preview.image.height()) == (size, size)
        for tile in (preview.light_tile, preview.dark_tile):
            shown = tile.grab().toImage()
            # The page colour around the badge, the badge itself in the middle at 1:1.
            assert shown.pixelColor(2, 2) == tile._page
            middle = tile.width() // 2
            drawn = preview.image.pixelColor(size // 2, size // 2)
            assert shown.pixelColor(middle, middle) == drawn
    assert not designer.canvas.badge_image().isNull()


def drawn(design: Design, side: int) -> QImage:
    """``design`` as the designer draws it, at ``side`` px, 1×."""
    return draw_svg(svg_renderer(render_svg(design, embed_design=False)), side)


def test_the_canvas_draws_the_badge_at_the_side_it_shows_it(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    canvas = designer.canvas
    side = canvas.badge_side()
    assert side == min(canvas.width(), canvas.height()) - 34
    assert canvas.badge_image() == drawn(designer.document.design, side)
    # Copied onto the canvas pixel for pixel, centred; not scaled from 600 px.
    shown = canvas.grab().toImage()
    left, top = (canvas.width() - side) // 2, (canvas.height() - side) // 2
    for x, y in ((side // 2, side // 2), (side // 2, side // 3), (side // 3, side // 2)):
        assert shown.pixelColor(left + x, top + y) == canvas.badge_image().pixelColor(x, y)
    # A larger window: drawn again at the new side, sharp, with no new render of the design.
    count = designer.render_count
    designer.resize(designer.width() + 200, designer.height() + 200)
    qtbot.waitUntil(lambda: canvas.badge_side() > side)
    assert canvas.badge_image() == drawn(designer.document.design, canvas.badge_side())
    assert designer.render_count == count


def test_a_slider_drag_shows_each_value_and_ends_on_the_last(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer(new_draft(Design(frame=Frame(rings=2, width=8))))
    slider = designer.frame_width
    canvas = designer.canvas
    slider.setSliderDown(True)
    for value in (9, 14, 20, 17):
        slider.setValue(value)
        qtbot.waitUntil(lambda: not designer.render_pending)
        design = designer.document.design
        assert design.frame.width == value
        # Every size shows this value, not one behind.
        for size, preview in designer.size_previews.items():
            assert preview.image == drawn(design, size)
        assert canvas.badge_image() == drawn(design, canvas.badge_side())
    slider.setSliderDown(False)
    assert designer.document.undo_label is not None
    designer.undo()
    assert designer.document.design.frame.width == 8


def test_the_checklist_warns_about_low_contrast(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    designer.pick_colour = lambda _initial, _title: "#3060d0"  # a blue glyph on the blue fill
    qtbot.mouseClick(designer.glyph_colour, Qt.MouseButton.LeftButton)
    settle(qtbot, designer)
    glyph = [f for f in designer.findings() if f.text.startswith("Glyph")]
    assert len(glyph) == 1 and not glyph[0].ok
    assert any(label.text().startswith("⚠  Glyph") for label in designer.finding_labels)
    assert designer.checks_box.title() == "Checks — 1 to look at"


def test_a_template_is_applied_as_one_undo_step(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner]
) -> None:
    designer = make_designer()
    assert designer.template_combo.count() == len(designer.templates) + 1 > 1
    template = designer.templates[0]
    designer.template_combo.activated.emit(1)
    assert designer.document.design == template.design
    assert designer.template_combo.currentIndex() == 0
    designer.undo()
    assert designer.document.design == Design()

    designer.prompt_text = lambda _title, _label, _default: "My style"
    qtbot.mouseClick(designer.save_template_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(t.name == "My style" for t in designer.templates))
    assert designer.template_combo.findText("My style (yours)") > 0


# --- the screenshot --------------------------------------------------------------------------------


def test_screenshot_of_a_full_badge(
    qtbot: QtBot, make_designer: Callable[..., BadgeDesigner], artifacts: Path
) -> None:
    designer = make_designer()
    full_badge(qtbot, designer)
    design = designer.document.design
    assert design.banner.text == "Bug Hunter"
    assert design.emblem.glyph == "fa6s.bug"
    assert design.frame.rings == 2
    assert design.fill == Fill(FillKind.LINEAR, "#0f766e", "#134e4a", 90)
    assert designer.document.meta.category == "Contribution"
    assert all(f.ok for f in designer.findings())
    designer.glyph_picker.view.scrollTo(designer.glyph_picker.view.currentIndex())
    assert designer.grab().save(str(artifacts / "designer.png"))
