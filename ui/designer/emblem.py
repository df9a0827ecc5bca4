"""The designer's emblem section: none, a glyph from the icon fonts, or an imported image.

An image is read, checked and cleaned (SVG scripts, handlers and external
references removed) by the core on a worker; what was removed is listed under
the controls.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QHBoxLayout, QPushButton, QRadioButton, QWidget

from desktop import failures
from desktop.designer import images as image_files
from desktop.designer.document import Emblem, EmblemKind
from desktop.designer.images import ImageError, ImportedImage, load_image
from ui.designer.controls import (
    colour_button,
    error_label,
    muted,
    plain,
    section_form,
    set_checked,
    set_enabled,
    set_error,
    set_value,
    slider_row,
)
from ui.designer.glyph_picker import GlyphPicker
from ui.designer.host import DesignerHost
from ui.i18n import translated
from ui.operations import LatestOnly
from ui.widgets.colours import set_palette_icon

EMBLEM_KINDS = (EmblemKind.NONE, EmblemKind.GLYPH, EmblemKind.IMAGE)
#: The emblem kinds' names on their radio buttons (the document keeps the values).
EMBLEM_KIND_NAMES = {
    EmblemKind.NONE: QT_TRANSLATE_NOOP("EmblemSection", "None"),
    EmblemKind.GLYPH: QT_TRANSLATE_NOOP("EmblemSection", "Glyph"),
    EmblemKind.IMAGE: QT_TRANSLATE_NOOP("EmblemSection", "Image"),
}


def _read_image(path: Path) -> ImportedImage:
    """Runs on a worker: read at most one byte over the limit, then check and clean the image."""
    limit = image_files.MAX_BYTES
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        why = error.strerror or str(error)
        text = QCoreApplication.translate("EmblemSection", "{file} cannot be read: {why}.")
        raise ImageError(text.format(file=path.name, why=why)) from None
    if len(data) > limit:
        text = QCoreApplication.translate(
            "EmblemSection", "{file} is larger than {size} MB, the most an image may be."
        )
        raise ImageError(text.format(file=path.name, size=limit // (1024 * 1024)))
    return load_image(data, path.name)


class EmblemSection(QGroupBox):
    """The "Emblem" box of the layers column. GUI thread only."""

    def __init__(self, host: DesignerHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Emblem"))
        self.host = host
        #: The last image imported, so Glyph → Image brings it back.
        self._last_image: ImportedImage | None = None
        self._imports = LatestOnly(self)
        form = section_form(self)
        self.emblem_kinds = QButtonGroup(self)
        kinds = QHBoxLayout()
        self.emblem_buttons: dict[EmblemKind, QRadioButton] = {}
        for number, emblem_kind in enumerate(EMBLEM_KINDS):
            button = QRadioButton(translated("EmblemSection", EMBLEM_KIND_NAMES[emblem_kind]))
            button.setObjectName(f"emblem_{emblem_kind.value}")
            self.emblem_kinds.addButton(button, number)
            self.emblem_buttons[emblem_kind] = button
            kinds.addWidget(button)
        kinds.addStretch(1)
        self.emblem_kinds.idClicked.connect(self._emblem_kind_clicked)
        self.glyph_picker = GlyphPicker()
        self.glyph_picker.setObjectName("glyphPicker")
        self.glyph_picker.glyph_chosen.connect(self._glyph_chosen)
        self.glyph_colour = colour_button(
            host, "glyphColour", self.tr("Glyph colour"), self.tr("glyph colour"), "emblem", "colour"
        )
        self.emblem_scale, scale_row = slider_row(
            host,
            "emblemScale",
            20,
            100,
            "emblem.scale",
            lambda v: host.edit(
                self.tr("emblem size"),
                lambda d: replace(d, emblem=replace(d.emblem, scale=v / 100)),
                merge_key="emblem.scale",
            ),
            " %",
        )
        self.import_button = QPushButton(self.tr("Import image…"))
        set_palette_icon(self.import_button, "fa6s.upload")
        self.import_button.setObjectName("importImage")
        self.import_button.setToolTip(self.tr("A PNG, JPEG or SVG; scripts and links in an SVG are removed"))
        self.import_button.clicked.connect(self.import_image)
        self.import_error = error_label("importError")
        self.import_notes = muted(plain(name="importNotes"))
        self.import_notes.hide()
        form.addRow(kinds)
        form.addRow(self.glyph_picker)
        form.addRow(self.tr("Colour"), self.glyph_colour)
        form.addRow(self.tr("Size"), scale_row)
        form.addRow(self.import_button)
        form.addRow(self.import_error)
        form.addRow(self.import_notes)

    def show_emblem(self, emblem: Emblem) -> None:
        """The controls show ``emblem``; called while the window syncs its controls."""
        set_checked(self.emblem_buttons[emblem.kind], True)
        if self.glyph_picker.selected != emblem.glyph:
            self.glyph_picker.set_selected(emblem.glyph)
        self.glyph_colour.set_colour(emblem.colour)
        set_enabled(self.glyph_colour, emblem.kind is EmblemKind.GLYPH)
        set_value(self.emblem_scale, round(emblem.scale * 100))
        set_enabled(self.emblem_scale, emblem.kind is not EmblemKind.NONE)
        if emblem.image is not None:
            self._last_image = emblem.image
        shown = emblem.image if emblem.kind is EmblemKind.IMAGE else None
        removed = shown.removed if shown is not None else ()
        notes = self.tr("Removed from the image for safety: {parts}.").format(parts="; ".join(removed))
        set_error(self.import_notes, notes if removed else "")

    def _emblem_kind_clicked(self, number: int) -> None:
        kind = EMBLEM_KINDS[number]
        if kind is EmblemKind.IMAGE:
            image = self.host.document.design.emblem.image or self._last_image
            if image is None:
                # Image only once there is one: the radio goes back until an import succeeds.
                self.host.sync_controls()
                self.import_image()
                return
            self.host.edit(
                self.tr("emblem"), lambda d: replace(d, emblem=replace(d.emblem, kind=kind, image=image))
            )
            return
        self.host.edit(
            self.tr("emblem"), lambda d: replace(d, emblem=replace(d.emblem, kind=kind, image=None))
        )

    def _glyph_chosen(self, name: str) -> None:
        self.host.edit(
            self.tr("glyph"),
            lambda d: replace(d, emblem=replace(d.emblem, kind=EmblemKind.GLYPH, glyph=name, image=None)),
        )

    # --- importing an image -------------------------------------------------------------------

    def import_image(self) -> None:
        """Ask for a PNG, JPEG or SVG and make it the emblem; checked and cleaned on a worker."""
        host = self.host
        path = host.choose_file(
            self.tr("Import an emblem image"), self.tr("Images (*.png *.jpg *.jpeg *.svg);;All files (*)")
        )
        if path is None:
            return
        set_error(self.import_error, "")
        host.show_status(self.tr("Reading {file}…").format(file=path.name))
        bind = self._imports.begin()
        host.tasks.start(
            "import emblem image",
            lambda _cancel, _report: _read_image(path),
            pool="readers",
            on_success=bind(self._image_imported),
            on_failure=bind(self._image_failed),
        )

    def _image_imported(self, image: ImportedImage) -> None:
        self._last_image = image
        self.host.edit(
            self.tr("imported image"),
            lambda d: replace(d, emblem=replace(d.emblem, kind=EmblemKind.IMAGE, image=image)),
        )
        self.host.document.end_gesture()
        removed = len(image.removed)
        self.host.show_status(
            self.tr("Image imported; %n unsafe part(s) removed.", "", removed)
            if removed
            else self.tr("Image imported.")
        )

    def _image_failed(self, error: Exception) -> None:
        # An ImageError says what is wrong with the file; anything else is worded by the core.
        text = failures.describe(error, failures.file_task(self.tr("importing the image"))).message
        set_error(self.import_error, text)
        self.host.show_status(text, error=True)
