"""The designer's layers column: template, shape, fill, frame, banner and emblem.

Each control forwards its change to the document through the window (one undo
step each; a slider drag or typing in the banner is one), and
:meth:`LayersPanel.show_design` puts every control back in line with the
document after undo, redo or a template.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from desktop.designer.document import (
    MAX_BANNER_CHARS,
    MAX_RINGS,
    Design,
    Emblem,
    EmblemKind,
    FillKind,
    Frame,
    Shape,
)
from ui.designer.controls import (
    THUMB,
    colour_button,
    section,
    select_data,
    set_checked,
    set_enabled,
    set_text,
    set_value,
    slider_row,
)
from ui.designer.emblem import EmblemSection
from ui.designer.host import DesignerHost
from ui.designer.template_picker import TemplatePicker, thumbnail
from ui.i18n import translated

#: What a new banner band looks like after "no band" is unticked.
DEFAULT_BAND = "#8a1c1c"
#: The shapes' and fills' names in the combos (the document keeps the values).
SHAPE_NAMES = {
    Shape.CIRCLE: QT_TRANSLATE_NOOP("LayersPanel", "Circle"),
    Shape.SHIELD: QT_TRANSLATE_NOOP("LayersPanel", "Shield"),
    Shape.HEXAGON: QT_TRANSLATE_NOOP("LayersPanel", "Hexagon"),
    Shape.STAR: QT_TRANSLATE_NOOP("LayersPanel", "Star"),
    Shape.RIBBON: QT_TRANSLATE_NOOP("LayersPanel", "Ribbon"),
    Shape.ROUNDED_SQUARE: QT_TRANSLATE_NOOP("LayersPanel", "Rounded square"),
}
FILL_NAMES = {
    FillKind.SOLID: QT_TRANSLATE_NOOP("LayersPanel", "Solid"),
    FillKind.LINEAR: QT_TRANSLATE_NOOP("LayersPanel", "Linear gradient"),
    FillKind.RADIAL: QT_TRANSLATE_NOOP("LayersPanel", "Radial gradient"),
}


def _shape_thumbnails(ratio: float) -> dict[Shape, QImage]:
    """Each shape, plain, as a combo icon drawn at device pixel ``ratio``."""
    plain_design = Design(frame=Frame(rings=0), emblem=Emblem(kind=EmblemKind.NONE))
    return {shape: thumbnail(replace(plain_design, shape=shape), ratio) for shape in Shape}


class LayersPanel(QWidget):
    """The controls of the design's layers, top to bottom. GUI thread only."""

    def __init__(self, host: DesignerHost, *, band: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designerLayers")
        self.host = host
        #: The last band colour, so "No band" unticked brings it back.
        self._last_band = band or DEFAULT_BAND
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 6, 0)
        column.setSpacing(8)
        self.template_picker = TemplatePicker(host)
        column.addWidget(self.template_picker)
        column.addWidget(self._build_shape())
        column.addWidget(self._build_fill())
        column.addWidget(self._build_frame())
        column.addWidget(self._build_banner())
        self.emblem = EmblemSection(host)
        column.addWidget(self.emblem)
        column.addStretch(1)

    def _build_shape(self) -> QWidget:
        box, form = section(self.tr("Shape"))
        self.shape_combo = QComboBox()
        self.shape_combo.setObjectName("shapeCombo")
        self.shape_combo.setAccessibleName(self.tr("Shape"))
        self.shape_combo.setIconSize(QSize(THUMB, THUMB))
        for shape in Shape:
            self.shape_combo.addItem(translated("LayersPanel", SHAPE_NAMES[shape]), shape)
        self._draw_shapes()
        self.shape_combo.currentIndexChanged.connect(self._shape_chosen)
        form.addRow(self.shape_combo)
        return box

    def _build_fill(self) -> QWidget:
        host = self.host
        box, form = section(self.tr("Fill"))
        self.fill_kind = QComboBox()
        self.fill_kind.setObjectName("fillKind")
        self.fill_kind.setAccessibleName(self.tr("Fill"))
        for kind in FillKind:
            self.fill_kind.addItem(translated("LayersPanel", FILL_NAMES[kind]), kind)
        self.fill_kind.currentIndexChanged.connect(self._fill_kind_chosen)
        self.fill_colour = colour_button(
            host, "fillColour", self.tr("Fill colour"), self.tr("fill colour"), "fill", "colour"
        )
        self.fill_colour2 = colour_button(
            host, "fillColour2", self.tr("Gradient colour"), self.tr("gradient colour"), "fill", "colour2"
        )
        colours = QHBoxLayout()
        colours.setSpacing(6)
        colours.addWidget(self.fill_colour)
        colours.addWidget(self.fill_colour2)
        self.fill_angle, angle_row = slider_row(
            host,
            "fillAngle",
            0,
            359,
            "fill.angle",
            lambda v: host.edit(
                self.tr("gradient angle"),
                lambda d: replace(d, fill=replace(d.fill, angle=v)),
                merge_key="fill.angle",
            ),
            "°",
        )
        form.addRow(self.tr("Type"), self.fill_kind)
        form.addRow(self.tr("Colours"), colours)
        form.addRow(self.tr("Angle"), angle_row)
        return box

    def _build_frame(self) -> QWidget:
        host = self.host
        box, form = section(self.tr("Frame"))
        self.rings_spin = QSpinBox()
        self.rings_spin.setObjectName("ringsSpin")
        self.rings_spin.setRange(0, MAX_RINGS)
        self.rings_spin.setSpecialValueText(self.tr("No rings"))
        self.rings_spin.valueChanged.connect(
            lambda v: host.edit(self.tr("ring count"), lambda d: replace(d, frame=replace(d.frame, rings=v)))
        )
        self.frame_colour = colour_button(
            host, "frameColour", self.tr("Ring colour"), self.tr("ring colour"), "frame", "colour"
        )
        self.frame_width, width_row = slider_row(
            host,
            "frameWidth",
            4,
            30,
            "frame.width",
            lambda v: host.edit(
                self.tr("ring width"),
                lambda d: replace(d, frame=replace(d.frame, width=float(v))),
                merge_key="frame.width",
            ),
            "",
        )
        form.addRow(self.tr("Rings"), self.rings_spin)
        form.addRow(self.tr("Colour"), self.frame_colour)
        form.addRow(self.tr("Width"), width_row)
        return box

    def _build_banner(self) -> QWidget:
        host = self.host
        box, form = section(self.tr("Banner"))
        self.banner_text = QLineEdit()
        self.banner_text.setObjectName("bannerText")
        self.banner_text.setPlaceholderText(self.tr("No banner"))
        self.banner_text.setMaxLength(MAX_BANNER_CHARS)
        self.banner_text.textEdited.connect(
            lambda text: host.edit(
                self.tr("banner text"),
                lambda d: replace(d, banner=replace(d.banner, text=text)),
                merge_key="banner.text",
            )
        )
        self.banner_text.editingFinished.connect(lambda: host.end_text_gesture())
        self.banner_colour = colour_button(
            host,
            "bannerColour",
            self.tr("Banner text colour"),
            self.tr("banner text colour"),
            "banner",
            "colour",
        )
        self.band_colour = colour_button(
            host, "bandColour", self.tr("Banner colour"), self.tr("banner colour"), "banner", "background"
        )
        self.no_band = QCheckBox(self.tr("No band"))
        self.no_band.setObjectName("noBand")
        self.no_band.setToolTip(self.tr("Text straight on the badge, without the ribbon behind it"))
        self.no_band.clicked.connect(self._no_band_clicked)
        band = QHBoxLayout()
        band.addWidget(self.band_colour)
        band.addWidget(self.no_band)
        band.addStretch(1)
        form.addRow(self.tr("Text"), self.banner_text)
        form.addRow(self.tr("Text colour"), self.banner_colour)
        form.addRow(self.tr("Band"), band)
        return box

    def _draw_shapes(self) -> None:
        """The shape combo's thumbnails, drawn at its device pixel ratio (sharp on HiDPI)."""
        thumbs = _shape_thumbnails(self.shape_combo.devicePixelRatioF())
        for index, shape in enumerate(Shape):
            self.shape_combo.setItemIcon(index, QIcon(QPixmap.fromImage(thumbs[shape])))

    def redraw_thumbnails(self) -> None:
        """The shapes' and templates' thumbnails again, at the current ratio (the window moved screens)."""
        self._draw_shapes()
        self.template_picker.load()

    # --- in line with the document ------------------------------------------------------------

    def show_design(self, design: Design) -> None:
        """Every control shows ``design``; called while the window syncs its controls."""
        fill = design.fill
        select_data(self.shape_combo, design.shape)
        select_data(self.fill_kind, fill.kind)
        self.fill_colour.set_colour(fill.colour)
        self.fill_colour2.set_colour(fill.colour2)
        set_enabled(self.fill_colour2, fill.kind is not FillKind.SOLID)
        set_value(self.fill_angle, fill.angle)
        set_enabled(self.fill_angle, fill.kind is FillKind.LINEAR)

        frame = design.frame
        set_value(self.rings_spin, frame.rings)
        self.frame_colour.set_colour(frame.colour)
        set_value(self.frame_width, round(frame.width))
        set_enabled(self.frame_colour, frame.rings > 0)
        set_enabled(self.frame_width, frame.rings > 0)

        banner = design.banner
        set_text(self.banner_text, banner.text)
        self.banner_colour.set_colour(banner.colour)
        if banner.background:
            self._last_band = banner.background
        self.band_colour.set_colour(banner.background or self._last_band)
        set_enabled(self.band_colour, bool(banner.background))
        set_checked(self.no_band, not banner.background)

        self.emblem.show_emblem(design.emblem)

    # --- the controls' changes ----------------------------------------------------------------

    def _shape_chosen(self, _index: int) -> None:
        shape = Shape(self.shape_combo.currentData())
        self.host.edit(self.tr("shape"), lambda d: replace(d, shape=shape))

    def _fill_kind_chosen(self, _index: int) -> None:
        kind = FillKind(self.fill_kind.currentData())
        self.host.edit(self.tr("fill type"), lambda d: replace(d, fill=replace(d.fill, kind=kind)))

    def _no_band_clicked(self, checked: bool) -> None:
        background = "" if checked else self._last_band
        self.host.edit(
            self.tr("banner band"), lambda d: replace(d, banner=replace(d.banner, background=background))
        )
