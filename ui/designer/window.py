"""The badge designer: a window that edits one badge's look and metadata, live.

Left, the layers (template, shape, fill, frame, banner, emblem); centre, the
badge at 600 px scaled to fit and at 128, 64 and 32 px as members will see it;
right, the checks (contrast, banner fit) and the metadata with a preview of the
award message. Every control forwards to the core's
:class:`~desktop.designer.document.BadgeDocument`, which keeps the undo history;
every change of the document redraws once (bursts are coalesced) and puts the
controls back in line with it, so undo and redo show in the controls too.

The designer saves nothing itself: :attr:`BadgeDesigner.save_requested` hands a
:class:`~desktop.designer.drafts.Draft` to the badges pane, which saves it on the
writer and reports back through :meth:`~BadgeDesigner.saving`,
:meth:`~BadgeDesigner.saved`, :meth:`~BadgeDesigner.save_failed` and
:meth:`~BadgeDesigner.sent`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import qtawesome  # type: ignore[import-untyped]  # no type information
from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.designer import images as image_files
from desktop.designer.checks import (
    AWARD_PLACEHOLDERS,
    SAMPLE_VALUES,
    Finding,
    award_preview,
    design_findings,
    meta_problems,
)
from desktop.designer.document import (
    MAX_BANNER_CHARS,
    MAX_RINGS,
    BadgeDocument,
    Design,
    DesignError,
    DraftState,
    Emblem,
    EmblemKind,
    FillKind,
    Frame,
    Shape,
)
from desktop.designer.drafts import Draft, slugify
from desktop.designer.glyphs import GlyphError
from desktop.designer.images import ImageError, ImportedImage, load_image
from desktop.designer.render import render, render_svg
from desktop.designer.templates import Template, save_template, templates
from desktop.domain import ActionState
from desktop.placeholders import PlaceholderError
from ui import rendering
from ui.designer.family_dialog import WARN_COLOUR, FamilyDialog, finding_label
from ui.designer.glyph_picker import GlyphPicker
from ui.operations import LatestOnly, TaskManager, while_alive
from ui.rendering import svg_to_image, svg_to_images
from ui.text import ask, plain_label, plain_tooltip

CANVAS_SIZE = 600
PREVIEW_SIZES = (128, 64, 32)
EXPORT_SIZES = (256, 128, 64, 32)
TIER_CHOICES = ("", "bronze", "silver", "gold")
EMBLEM_KINDS = (EmblemKind.NONE, EmblemKind.GLYPH, EmblemKind.IMAGE)
#: What a new banner band looks like after "no band" is unticked.
DEFAULT_BAND = "#8a1c1c"
_RED = "#b3261e"
_MUTED = "color: palette(placeholder-text);"
_THUMB = 22

#: (title, label, default) -> the text, or None when cancelled.
PromptText = Callable[[str, str, str], "str | None"]
#: (initial hex, title) -> the chosen hex, or None when cancelled.
PickColour = Callable[[str, str], "str | None"]
#: (title, filter) -> the file to open, or None.
ChooseFile = Callable[[str, str], "Path | None"]
#: (title, filter, suggested name) -> where to save, or None.
ChooseSavePath = Callable[[str, str, str], "Path | None"]
#: (title, text) -> "save", "discard" or "cancel".
Ask = Callable[[str, str], str]


def _plain(text: str = "", *, name: str = "", wrap: bool = True) -> QLabel:
    return plain_label(text, name=name, wrap=wrap)


def _error_label(name: str) -> QLabel:
    label = _plain(name=name)
    label.setStyleSheet(f"color: {_RED};")
    label.hide()
    return label


def _set_error(label: QLabel, text: str) -> None:
    """Show ``text``, or hide the label when there is none."""
    _set_label(label, text)
    if label.isHidden() == bool(text):
        label.setVisible(bool(text))


# Setters only when the value changes: every change of the document passes through
# them (each keystroke), and a widget that is told what it shows already still repaints.


def _set_label(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


def _set_enabled(target: QWidget | QAction, enabled: bool) -> None:
    if target.isEnabled() != enabled:
        target.setEnabled(enabled)


def _set_checked(button: QAbstractButton, checked: bool) -> None:
    if button.isChecked() != checked:
        button.setChecked(checked)


def _muted(label: QLabel) -> QLabel:
    label.setStyleSheet(_MUTED)
    return label


def _icon(name: str) -> QIcon:
    try:
        icon: QIcon = qtawesome.icon(name, color="#3c4450")
    except Exception:  # an icon font qtawesome lacks: a text-only button is fine
        return QIcon()
    return icon


def _swatch(colour: str, size: int = 14) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 90))
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    painter.end()
    return pixmap


def _shape_thumbnails() -> dict[Shape, QImage]:
    plain = Design(frame=Frame(rings=0), emblem=Emblem(kind=EmblemKind.NONE))
    images = {}
    for shape in Shape:
        svg = render_svg(replace(plain, shape=shape), embed_design=False)
        images[shape] = svg_to_image(svg, _THUMB * 2)
    return images


def _checkerboard(cell: int = 12) -> QPixmap:
    """One tile of a faint checkerboard, painted as a brush in one call."""
    tile = QPixmap(cell * 2, cell * 2)
    tile.fill(QColor("#fbfbfc"))
    painter = QPainter(tile)
    painter.fillRect(0, 0, cell, cell, QColor("#eef0f3"))
    painter.fillRect(cell, cell, cell, cell, QColor("#eef0f3"))
    painter.end()
    return tile


def _column_scroll(panel: QWidget, name: str, width: int) -> QScrollArea:
    """A side column that scrolls up and down, never sideways."""
    scroll = QScrollArea()
    scroll.setObjectName(name)
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(width)
    return scroll


class ColourButton(QPushButton):
    """A swatch and the colour's hex code; the designer picks a new colour when it is clicked."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title = title
        self.colour = ""
        self.setIconSize(QSize(14, 14))
        self.setMinimumWidth(104)
        self.setToolTip(f"Choose the {title.lower()}")
        self.setStyleSheet("text-align: left; padding: 3px 8px;")

    def set_colour(self, colour: str) -> None:
        if colour == self.colour:
            return
        self.colour = colour
        self.setIcon(QIcon(_swatch(colour)))
        self.setText(colour.upper())


class BadgeCanvas(QWidget):
    """The badge at 600 px, scaled to fit, on a faint checkerboard that shows what is transparent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designerCanvas")
        self.image = QImage()
        self.setMinimumSize(280, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAccessibleName("Badge preview")
        self._checker = QBrush(_checkerboard())

    def set_image(self, image: QImage) -> None:
        self.image = image
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(460, 460)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        area = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        clip = QPainterPath()
        clip.addRoundedRect(area, 8, 8)
        painter.fillPath(clip, self._checker)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawPath(clip)
        if self.image.isNull():
            return
        side = min(area.width(), area.height()) - 32
        target = QRectF(area.center().x() - side / 2, area.center().y() - side / 2, side, side)
        painter.drawImage(target, self.image)


class SizePreview(QWidget):
    """One render at its real pixel size, on a light and on a dark page, with its size under it."""

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"preview{size}")
        self.size_px = size
        self.image_label = self._tile(size, "#ffffff", "light")
        self.dark_label = self._tile(size, "#1f2329", "dark")
        caption = _muted(_plain(f"{size} px", wrap=False))
        caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        tiles = QHBoxLayout()
        tiles.setSpacing(0)
        tiles.addWidget(self.image_label, 0, Qt.AlignmentFlag.AlignBottom)
        tiles.addWidget(self.dark_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addStretch(1)
        layout.addLayout(tiles)
        layout.addWidget(caption)

    def _tile(self, size: int, background: str, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"previewImage{size}_{name}")
        # Room around the badge, so its edge shows against the page.
        pad = max(4, size // 10)
        label.setFixedSize(size + 2 * pad, size + 2 * pad)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet(f"background: {background}; border: 1px solid #d5d8dd;")
        return label

    def set_image(self, image: QImage) -> None:
        # At its size in logical pixels, as a browser shows a PNG of that size (scaled up on HiDPI).
        pixmap = QPixmap.fromImage(image)
        self.image_label.setPixmap(pixmap)
        self.dark_label.setPixmap(pixmap)


class _HistoryKeys(QObject):
    """Lets Undo / Redo keys reach the window from text fields, which would keep them for themselves.

    The document's history covers the text fields too (typing in one field is
    one step), so one Ctrl+Z means the same everywhere in the designer.
    """

    def __init__(self, parent: BadgeDesigner) -> None:
        super().__init__(parent)
        self.designer = parent

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self.designer.is_history_key(event):
                # Not accepted: the key goes to the window's Undo / Redo shortcut.
                event.ignore()
                return True
        elif event.type() == QEvent.Type.FocusOut:
            self.designer.end_text_gesture()
        return False


class BadgeDesigner(QWidget):
    """The designer window for one badge. GUI thread only.

    Signals carry :class:`Draft` values built from the draft it was opened with
    and the document's current design and metadata.
    """

    #: A :class:`Draft` to save; only emitted when the metadata has no problems.
    save_requested = Signal(object)
    #: A list of three new :class:`Draft` (bronze, silver, gold).
    family_requested = Signal(object)
    #: The current :class:`Draft`: keep this edit over the server's newer version.
    keep_mine_requested = Signal(object)
    #: The current :class:`Draft`: drop this edit, take the server's version.
    take_theirs_requested = Signal(object)

    def __init__(
        self,
        draft: Draft,
        *,
        tasks: TaskManager,
        default_message: str,
        community: str,
        categories: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setObjectName("badgeDesigner")
        self.draft = draft
        self.tasks = tasks
        self.default_message = default_message
        self.community = community
        self._categories = [c.strip() for c in categories]
        self.document = BadgeDocument(draft.design, draft.meta)
        #: How many times the badge was drawn, and how long the last drawing took (ms).
        self.render_count = 0
        self.last_render_ms = 0.0
        #: Replaceable in tests: (initial hex, title) -> new hex or None.
        self.pick_colour: PickColour = self._pick_colour_dialog
        #: Replaceable in tests: (title, filter) -> a file to open or None.
        self.choose_file: ChooseFile = self._choose_file_dialog
        #: Replaceable in tests: (title, filter, suggested) -> where to save or None.
        self.choose_save_path: ChooseSavePath = self._choose_save_path_dialog
        #: Replaceable in tests: (title, label, default) -> text or None.
        self.prompt_text: PromptText = self._prompt_text_dialog
        #: Replaceable in tests: (title, text) -> "save", "discard" or "cancel".
        self.ask: Ask = self._ask_dialog
        self.templates: list[Template] = []
        self._syncing = False
        #: The award message being typed: its empty text must not flip to "use the default" mid-edit.
        self._typing_message = False
        #: Field errors show once a save was tried; the award message's always.
        self._show_field_errors = False
        #: The state handed to the pane with the last save request.
        self._saving_state: DraftState | None = None
        #: The last image imported, so Glyph → Image brings it back.
        self._last_image: ImportedImage | None = None
        self._last_band = draft.design.banner.background or DEFAULT_BAND
        self._findings: list[Finding] | None = None
        self._imports = LatestOnly(self)
        self._history_keys = _HistoryKeys(self)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(0)
        self._render_timer.timeout.connect(self.render_now)

        self._build_actions()
        self.conflict_banner = self._build_conflict_banner()
        self.notes_banner = _plain(name="designerNotes")
        self.notes_banner.setStyleSheet(
            f"color: {WARN_COLOUR}; background: #fff4d6; border: 1px solid #f0d48a;"
            " border-radius: 4px; padding: 6px 8px;"
        )
        layers = self._build_layers()
        previews = self._build_previews()
        side = self._build_side()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("designerSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(layers)
        splitter.addWidget(previews)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([330, 640, 390])
        self.status = _plain(name="designerStatus")
        self.status.setMinimumHeight(22)
        body = QVBoxLayout()
        body.setContentsMargins(8, 4, 8, 6)
        body.setSpacing(6)
        body.addWidget(self.conflict_banner)
        body.addWidget(self.notes_banner)
        body.addWidget(splitter, 1)
        body.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addLayout(body, 1)
        for widget in self.findChildren(QWidget):
            # The glyph search is not part of the badge: its Ctrl+Z stays its own.
            editable = isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox | QComboBox)
            if editable and widget is not self.glyph_picker.search_box:
                widget.installEventFilter(self._history_keys)

        self.document.on_change(self._document_changed)
        self._show_draft_state()
        self._document_changed(self.document)
        self._load_templates()
        self.resize(1380, 880)

    # --- building -------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.toolbar = QToolBar("Designer")
        self.toolbar.setObjectName("designerToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(16, 16))
        self.undo_action = QAction(_icon("fa6s.rotate-left"), "Undo", self)
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction(_icon("fa6s.rotate-right"), "Redo", self)
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.redo)
        self.save_action = QAction(_icon("fa6s.floppy-disk"), "Save", self)
        self.save_action.setObjectName("saveAction")
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.setToolTip("Save the badge (Ctrl+S); it is sent with the outbox")
        self.save_action.triggered.connect(self.save)
        self.export_png_action = QAction(_icon("fa6s.file-image"), "Export PNG…", self)
        self.export_png_action.setObjectName("exportPngAction")
        self.export_png_action.triggered.connect(self.export_png)
        self.size_actions: dict[int, QAction] = {}
        sizes_menu = QMenu(self)
        sizes_menu.setObjectName("exportSizesMenu")
        sizes_menu.addSection("Always 600 px, and also:")
        for size in EXPORT_SIZES:
            action = sizes_menu.addAction(f"{size} × {size} px")
            action.setCheckable(True)
            action.setChecked(size in (128, 64))
            self.size_actions[size] = action
        self.export_png_action.setMenu(sizes_menu)
        self.export_svg_action = QAction(_icon("fa6s.file-code"), "Export SVG…", self)
        self.export_svg_action.setObjectName("exportSvgAction")
        self.export_svg_action.triggered.connect(self.export_svg)
        self.family_action = QAction(_icon("fa6s.layer-group"), "Make family…", self)
        self.family_action.setObjectName("familyAction")
        self.family_action.setToolTip("Make bronze, silver and gold badges from this design")
        self.family_action.triggered.connect(self.open_family_dialog)
        for action in (self.undo_action, self.redo_action, self.save_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self.toolbar.addAction(self.save_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.export_png_action)
        png_button = self.toolbar.widgetForAction(self.export_png_action)
        if isinstance(png_button, QToolButton):
            png_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.toolbar.addAction(self.export_svg_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.family_action)

    def _build_conflict_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("conflictBanner")
        banner.setStyleSheet(
            "#conflictBanner { background: #fdecea; border: 1px solid #f1b7b1; border-radius: 4px; }"
        )
        self.conflict_text = _plain(name="conflictText")
        self.conflict_text.setStyleSheet(f"color: {_RED};")
        keep = QPushButton("Keep my version")
        keep.setObjectName("keepMine")
        keep.setToolTip("Save this version over the one on the server")
        keep.clicked.connect(lambda: self.keep_mine_requested.emit(self.current_draft()))
        theirs = QPushButton("Take the server's")
        theirs.setObjectName("takeTheirs")
        theirs.setToolTip("Drop this edit and open the server's version")
        theirs.clicked.connect(lambda: self.take_theirs_requested.emit(self.current_draft()))
        layout = QHBoxLayout(banner)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.conflict_text, 1)
        layout.addWidget(keep)
        layout.addWidget(theirs)
        banner.hide()
        return banner

    def _section(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        return box, form

    def _slider(
        self, name: str, low: int, high: int, key: str, apply: Callable[[int], None], suffix: str
    ) -> tuple[QSlider, QWidget]:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setObjectName(name)
        slider.setRange(low, high)
        value = _plain(f"{low}{suffix}", wrap=False)
        value.setMinimumWidth(40)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        def changed(number: int) -> None:
            value.setText(f"{number}{suffix}")
            if self._syncing:
                return
            apply(number)
            # A drag is one undo step (it ends on release); a key press or a wheel step is one each.
            if not slider.isSliderDown():
                self.document.end_gesture()

        slider.valueChanged.connect(changed)
        slider.sliderReleased.connect(lambda: self.document.end_gesture())
        slider.setProperty("mergeKey", key)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(slider, 1)
        layout.addWidget(value)
        return slider, row

    def _colour_button(self, name: str, title: str, layer: str, attribute: str) -> ColourButton:
        """A colour button that sets ``design.<layer>.<attribute>``."""
        button = ColourButton(name, title)

        def clicked() -> None:
            colour = self.pick_colour(button.colour, title)
            if colour:
                self._edit(
                    title.lower(),
                    lambda d: replace(d, **{layer: replace(getattr(d, layer), **{attribute: colour})}),
                )

        button.clicked.connect(clicked)
        return button

    def _build_layers(self) -> QScrollArea:
        panel = QWidget()
        panel.setObjectName("designerLayers")
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 6, 0)
        column.setSpacing(8)

        # Template
        box, form = self._section("Template")
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("templateCombo")
        self.template_combo.addItem("Start from template…")
        self.template_combo.setIconSize(QSize(_THUMB, _THUMB))
        self.template_combo.activated.connect(self._template_chosen)
        self.save_template_button = QPushButton("Save as…")
        self.save_template_button.setToolTip("Save this design as a template of yours")
        self.save_template_button.setObjectName("saveTemplate")
        self.save_template_button.clicked.connect(self.save_as_template)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_combo, 1)
        template_row.addWidget(self.save_template_button)
        form.addRow(template_row)
        column.addWidget(box)

        # Shape
        box, form = self._section("Shape")
        self.shape_combo = QComboBox()
        self.shape_combo.setObjectName("shapeCombo")
        self.shape_combo.setIconSize(QSize(_THUMB, _THUMB))
        thumbs = _shape_thumbnails()
        for shape in Shape:
            self.shape_combo.addItem(QIcon(QPixmap.fromImage(thumbs[shape])), shape.label, shape)
        self.shape_combo.currentIndexChanged.connect(self._shape_chosen)
        form.addRow(self.shape_combo)
        column.addWidget(box)

        # Fill
        box, form = self._section("Fill")
        self.fill_kind = QComboBox()
        self.fill_kind.setObjectName("fillKind")
        for kind in FillKind:
            self.fill_kind.addItem(kind.label, kind)
        self.fill_kind.currentIndexChanged.connect(self._fill_kind_chosen)
        self.fill_colour = self._colour_button("fillColour", "Fill colour", "fill", "colour")
        self.fill_colour2 = self._colour_button("fillColour2", "Gradient colour", "fill", "colour2")
        colours = QHBoxLayout()
        colours.setSpacing(6)
        colours.addWidget(self.fill_colour)
        colours.addWidget(self.fill_colour2)
        self.fill_angle, angle_row = self._slider(
            "fillAngle",
            0,
            359,
            "fill.angle",
            lambda v: self._edit(
                "gradient angle",
                lambda d: replace(d, fill=replace(d.fill, angle=v)),
                merge_key="fill.angle",
            ),
            "°",
        )
        form.addRow("Type", self.fill_kind)
        form.addRow("Colours", colours)
        form.addRow("Angle", angle_row)
        column.addWidget(box)

        # Frame
        box, form = self._section("Frame")
        self.rings_spin = QSpinBox()
        self.rings_spin.setObjectName("ringsSpin")
        self.rings_spin.setRange(0, MAX_RINGS)
        self.rings_spin.setSpecialValueText("No rings")
        self.rings_spin.valueChanged.connect(
            lambda v: self._edit("ring count", lambda d: replace(d, frame=replace(d.frame, rings=v)))
        )
        self.frame_colour = self._colour_button("frameColour", "Ring colour", "frame", "colour")
        self.frame_width, width_row = self._slider(
            "frameWidth",
            4,
            30,
            "frame.width",
            lambda v: self._edit(
                "ring width",
                lambda d: replace(d, frame=replace(d.frame, width=float(v))),
                merge_key="frame.width",
            ),
            "",
        )
        form.addRow("Rings", self.rings_spin)
        form.addRow("Colour", self.frame_colour)
        form.addRow("Width", width_row)
        column.addWidget(box)

        # Banner
        box, form = self._section("Banner")
        self.banner_text = QLineEdit()
        self.banner_text.setObjectName("bannerText")
        self.banner_text.setPlaceholderText("No banner")
        self.banner_text.setMaxLength(MAX_BANNER_CHARS)
        self.banner_text.textEdited.connect(
            lambda text: self._edit(
                "banner text",
                lambda d: replace(d, banner=replace(d.banner, text=text)),
                merge_key="banner.text",
            )
        )
        self.banner_text.editingFinished.connect(self.end_text_gesture)
        self.banner_colour = self._colour_button("bannerColour", "Banner text colour", "banner", "colour")
        self.band_colour = self._colour_button("bandColour", "Banner colour", "banner", "background")
        self.no_band = QCheckBox("No band")
        self.no_band.setObjectName("noBand")
        self.no_band.setToolTip("Text straight on the badge, without the ribbon behind it")
        self.no_band.clicked.connect(self._no_band_clicked)
        band = QHBoxLayout()
        band.addWidget(self.band_colour)
        band.addWidget(self.no_band)
        band.addStretch(1)
        form.addRow("Text", self.banner_text)
        form.addRow("Text colour", self.banner_colour)
        form.addRow("Band", band)
        column.addWidget(box)

        # Emblem
        box, form = self._section("Emblem")
        self.emblem_kinds = QButtonGroup(self)
        kinds = QHBoxLayout()
        self.emblem_buttons: dict[EmblemKind, QRadioButton] = {}
        for number, emblem_kind in enumerate(EMBLEM_KINDS):
            button = QRadioButton(emblem_kind.value.capitalize())
            button.setObjectName(f"emblem_{emblem_kind.value}")
            self.emblem_kinds.addButton(button, number)
            self.emblem_buttons[emblem_kind] = button
            kinds.addWidget(button)
        kinds.addStretch(1)
        self.emblem_kinds.idClicked.connect(self._emblem_kind_clicked)
        self.glyph_picker = GlyphPicker()
        self.glyph_picker.setObjectName("glyphPicker")
        self.glyph_picker.glyph_chosen.connect(self._glyph_chosen)
        self.glyph_colour = self._colour_button("glyphColour", "Glyph colour", "emblem", "colour")
        self.emblem_scale, scale_row = self._slider(
            "emblemScale",
            20,
            100,
            "emblem.scale",
            lambda v: self._edit(
                "emblem size",
                lambda d: replace(d, emblem=replace(d.emblem, scale=v / 100)),
                merge_key="emblem.scale",
            ),
            " %",
        )
        self.import_button = QPushButton(_icon("fa6s.upload"), "Import image…")
        self.import_button.setObjectName("importImage")
        self.import_button.setToolTip("A PNG, JPEG or SVG; scripts and links in an SVG are removed")
        self.import_button.clicked.connect(self.import_image)
        self.import_error = _error_label("importError")
        self.import_notes = _muted(_plain(name="importNotes"))
        self.import_notes.hide()
        form.addRow(kinds)
        form.addRow(self.glyph_picker)
        form.addRow("Colour", self.glyph_colour)
        form.addRow("Size", scale_row)
        form.addRow(self.import_button)
        form.addRow(self.import_error)
        form.addRow(self.import_notes)
        column.addWidget(box)
        column.addStretch(1)

        return _column_scroll(panel, "layersScroll", 310)

    def _build_previews(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("designerPreviews")
        self.canvas = BadgeCanvas()
        self.size_previews = {size: SizePreview(size) for size in PREVIEW_SIZES}
        strip = QFrame()
        strip.setObjectName("sizeStrip")
        strip.setFrameShape(QFrame.Shape.StyledPanel)
        heading = _plain("As members see it: real size, on light and dark pages", wrap=False)
        bold = QFont(heading.font())
        bold.setBold(True)
        heading.setFont(bold)
        row = QHBoxLayout()
        row.setSpacing(22)
        row.addStretch(1)
        for preview in self.size_previews.values():
            row.addWidget(preview, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        strip_layout = QVBoxLayout(strip)
        strip_layout.setContentsMargins(12, 8, 12, 8)
        strip_layout.addWidget(heading)
        strip_layout.addLayout(row)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(8)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(strip)
        return panel

    def _build_side(self) -> QScrollArea:
        panel = QWidget()
        panel.setObjectName("designerSide")
        column = QVBoxLayout(panel)
        column.setContentsMargins(6, 0, 0, 0)
        column.setSpacing(8)

        self.checks_box = QGroupBox("Checks")
        self.checks_box.setObjectName("designerChecks")
        self.checks_layout = QVBoxLayout(self.checks_box)
        self.checks_layout.setSpacing(4)
        self.finding_labels: list[QLabel] = []
        column.addWidget(self.checks_box)

        box = QGroupBox("Badge")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(4)
        self.field_errors: dict[str, QLabel] = {}

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("metaTitle")
        self.title_edit.setPlaceholderText("What members see first")
        self.title_edit.textEdited.connect(lambda text: self._edit_meta("title", text))
        self.title_edit.editingFinished.connect(self.end_text_gesture)
        self.description_edit = self._text_box("metaDescription", "What the badge stands for", 64)
        self.description_edit.textChanged.connect(
            lambda: self._edit_meta("description", self.description_edit.toPlainText())
        )
        self.criteria_edit = self._text_box("metaCriteria", "What a member does to earn it", 64)
        self.criteria_edit.textChanged.connect(
            lambda: self._edit_meta("criteria", self.criteria_edit.toPlainText())
        )
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("metaCategory")
        self.category_combo.setEditable(True)
        self.category_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category_combo.addItems(["", *[c for c in dict.fromkeys(self._categories) if c]])
        self.category_combo.currentTextChanged.connect(lambda text: self._edit_meta("category", text))
        self.tier_combo = QComboBox()
        self.tier_combo.setObjectName("metaTier")
        self.tier_combo.setEditable(True)
        self.tier_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tier_combo.addItems(list(TIER_CHOICES))
        self.tier_combo.currentTextChanged.connect(lambda text: self._edit_meta("tier", text))
        for combo in (self.category_combo, self.tier_combo):
            line = combo.lineEdit()
            if line is not None:
                line.editingFinished.connect(self.end_text_gesture)
        category_tier = QHBoxLayout()
        category_tier.addWidget(self.category_combo, 2)
        category_tier.addSpacing(8)
        category_tier.addWidget(QLabel("Tier"))
        category_tier.addWidget(self.tier_combo, 1)

        self.use_default = QCheckBox("Use the community's default message")
        self.use_default.setObjectName("useDefaultMessage")
        self.use_default.clicked.connect(self._use_default_clicked)
        self.message_edit = self._text_box("metaAwardMessage", "The message a member receives", 76)
        self.message_edit.textChanged.connect(self._message_edited)
        names = "  ".join(f"{{{name}}}" for name in AWARD_PLACEHOLDERS)
        self.placeholders_label = _muted(_plain(f"Placeholders: {names}", name="awardPlaceholders"))
        self.placeholders_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.award_preview = _plain(name="awardPreview")
        self.award_preview.setStyleSheet(
            "background: palette(alternate-base); border: 1px solid palette(mid);"
            " border-radius: 4px; padding: 6px;"
        )

        fields: list[tuple[str, str, QWidget | QHBoxLayout]] = [
            ("title", "Title", self.title_edit),
            ("description", "Description", self.description_edit),
            ("criteria", "Criteria", self.criteria_edit),
            ("category", "Category", category_tier),
        ]
        self.field_widgets: dict[str, QWidget] = {
            "title": self.title_edit,
            "description": self.description_edit,
            "criteria": self.criteria_edit,
            "category": self.category_combo,
            "tier": self.tier_combo,
            "award_message": self.message_edit,
        }
        for field, label, widget in fields:
            if isinstance(widget, QHBoxLayout):
                form.addRow(label, widget)
            else:
                form.addRow(label, widget)
            error = _error_label(f"error_{field}")
            self.field_errors[field] = error
            form.addRow(error)
        message_box = QGroupBox("Award message")
        message_layout = QVBoxLayout(message_box)
        message_layout.setSpacing(4)
        message_layout.addWidget(self.use_default)
        message_layout.addWidget(self.message_edit)
        self.field_errors["award_message"] = _error_label("error_award_message")
        message_layout.addWidget(self.field_errors["award_message"])
        message_layout.addWidget(self.placeholders_label)
        message_layout.addWidget(_muted(_plain(f"{SAMPLE_VALUES['member']} would read:", wrap=False)))
        message_layout.addWidget(self.award_preview)
        column.addWidget(box)
        column.addWidget(message_box)
        column.addStretch(1)

        self.side_scroll = _column_scroll(panel, "sideScroll", 340)
        return self.side_scroll

    def _text_box(self, name: str, placeholder: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(height)
        return edit

    # --- the document -----------------------------------------------------------------------

    def current_draft(self) -> Draft:
        """The draft this window was opened with, carrying the current design and metadata."""
        return replace(self.draft, design=self.document.design, meta=self.document.meta)

    def _edit(self, label: str, change: Callable[[Design], Design], *, merge_key: str | None = None) -> None:
        if self._syncing:
            return
        try:
            self.document.edit(label, change, merge_key=merge_key)
        except DesignError as error:
            self._show_status(str(error), error=True)
            self._sync_controls()

    def _edit_meta(self, field: str, value: str) -> None:
        if self._syncing:
            return
        self.document.update_meta(field.replace("_", " "), merge_key=f"meta.{field}", **{field: value})

    def end_text_gesture(self) -> None:
        """A field was left: the next edit is a new undo step, and an emptied message means the default."""
        self.document.end_gesture()
        if self._typing_message:
            self._typing_message = False
            self._sync_controls()

    def undo(self) -> None:
        self._typing_message = False
        label = self.document.undo()
        self._show_status(f"Undone: {label}." if label else "Nothing to undo.")

    def redo(self) -> None:
        self._typing_message = False
        label = self.document.redo()
        self._show_status(f"Redone: {label}." if label else "Nothing to redo.")

    def is_history_key(self, event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination())
        shortcuts = [*self.undo_action.shortcuts(), *self.redo_action.shortcuts()]
        return any(pressed == shortcut for shortcut in shortcuts)

    def _document_changed(self, _document: BadgeDocument) -> None:
        # Each keystroke comes here: every setter below runs only when its value changes.
        self._sync_controls()
        self._update_meta_feedback()
        self._update_chrome()
        # Zero interval: a burst of changes in one event-loop turn is drawn once, after it.
        if not self._render_timer.isActive():
            self._render_timer.start()

    def _update_chrome(self) -> None:
        title = self.document.meta.title.strip() or "Untitled badge"
        window_title = f"Badge designer — {title}[*]"
        if self.windowTitle() != window_title:
            self.setWindowTitle(window_title)
        if self.isWindowModified() != self.document.modified:
            self.setWindowModified(self.document.modified)
        for action, verb, label in (
            (self.undo_action, "Undo", self.document.undo_label),
            (self.redo_action, "Redo", self.document.redo_label),
        ):
            text = f"{verb} {label}" if label else verb
            if action.text() != text:
                action.setText(text)
                keys = " or ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
                )
                action.setToolTip(f"{text} ({keys})")
            _set_enabled(action, label is not None)

    def _sync_controls(self) -> None:
        """Every control shows what the document holds (after undo, redo, a template, ...)."""
        design, meta = self.document.design, self.document.meta
        self._syncing = True
        try:
            fill = design.fill
            _select_data(self.shape_combo, design.shape)
            _select_data(self.fill_kind, fill.kind)
            self.fill_colour.set_colour(fill.colour)
            self.fill_colour2.set_colour(fill.colour2)
            _set_enabled(self.fill_colour2, fill.kind is not FillKind.SOLID)
            _set_value(self.fill_angle, fill.angle)
            _set_enabled(self.fill_angle, fill.kind is FillKind.LINEAR)

            frame = design.frame
            _set_value(self.rings_spin, frame.rings)
            self.frame_colour.set_colour(frame.colour)
            _set_value(self.frame_width, round(frame.width))
            _set_enabled(self.frame_colour, frame.rings > 0)
            _set_enabled(self.frame_width, frame.rings > 0)

            banner = design.banner
            _set_text(self.banner_text, banner.text)
            self.banner_colour.set_colour(banner.colour)
            if banner.background:
                self._last_band = banner.background
            self.band_colour.set_colour(banner.background or self._last_band)
            _set_enabled(self.band_colour, bool(banner.background))
            _set_checked(self.no_band, not banner.background)

            emblem = design.emblem
            _set_checked(self.emblem_buttons[emblem.kind], True)
            if self.glyph_picker.selected != emblem.glyph:
                self.glyph_picker.set_selected(emblem.glyph)
            self.glyph_colour.set_colour(emblem.colour)
            _set_enabled(self.glyph_colour, emblem.kind is EmblemKind.GLYPH)
            _set_value(self.emblem_scale, round(emblem.scale * 100))
            _set_enabled(self.emblem_scale, emblem.kind is not EmblemKind.NONE)
            if emblem.image is not None:
                self._last_image = emblem.image
            shown = emblem.image if emblem.kind is EmblemKind.IMAGE else None
            removed = shown.removed if shown is not None else ()
            _set_error(
                self.import_notes,
                "Removed from the image for safety: " + "; ".join(removed) + "." if removed else "",
            )

            _set_text(self.title_edit, meta.title)
            _set_plain(self.description_edit, meta.description)
            _set_plain(self.criteria_edit, meta.criteria)
            for combo, text in ((self.category_combo, meta.category), (self.tier_combo, meta.tier)):
                if combo.currentText() != text:
                    combo.setCurrentText(text)
            if not self._typing_message:
                use_default = not meta.award_message
                _set_checked(self.use_default, use_default)
                if self.message_edit.isReadOnly() != use_default:
                    self.message_edit.setReadOnly(use_default)
                    self.message_edit.setStyleSheet(
                        "color: palette(placeholder-text);" if use_default else ""
                    )
                _set_plain(self.message_edit, self.default_message if use_default else meta.award_message)
        finally:
            self._syncing = False

    def _update_meta_feedback(self) -> None:
        """Problems beside their fields (once a save was tried; the message's at once), and the preview."""
        meta = self.document.meta
        problems: dict[str, str] = {}
        for problem in meta_problems(meta):
            problems.setdefault(problem.field, str(problem))
        try:
            preview = award_preview(meta, self.default_message, self.community)
        except PlaceholderError as error:
            problems.setdefault("award_message", str(error))
            preview = ""
        for field, label in self.field_errors.items():
            shown = self._show_field_errors or field == "award_message"
            _set_error(label, problems.get(field, "") if shown else "")
        _set_label(self.award_preview, preview or "(no preview until the placeholders are fixed)")
        _set_enabled(self.award_preview, bool(preview))

    # --- drawing ------------------------------------------------------------------------------

    def render_now(self) -> None:
        """Draw the badge at every size and recheck it; the zero-interval timer calls this."""
        self._render_timer.stop()
        started = time.perf_counter()
        design = self.document.design
        try:
            rendered = render(design)
            drawn = svg_to_images(rendered.svg, (CANVAS_SIZE, *PREVIEW_SIZES))
        except (GlyphError, ValueError) as error:
            self._show_findings([Finding(False, f"The badge cannot be drawn: {error}")])
            return
        self.canvas.set_image(drawn[CANVAS_SIZE])
        for size, preview in self.size_previews.items():
            preview.set_image(drawn[size])
        self._show_findings(design_findings(design, rendered))
        self.render_count += 1
        self.last_render_ms = (time.perf_counter() - started) * 1000

    @property
    def render_pending(self) -> bool:
        return self._render_timer.isActive()

    def _show_findings(self, findings: list[Finding]) -> None:
        if findings == self._findings:
            return
        self._findings = findings
        for label in self.finding_labels:
            self.checks_layout.removeWidget(label)
            label.deleteLater()
        if findings:
            self.finding_labels = [finding_label(f, f"finding{n}") for n, f in enumerate(findings)]
        else:
            self.finding_labels = [_muted(_plain("Nothing to check: no banner text or glyph."))]
        for label in self.finding_labels:
            self.checks_layout.addWidget(label)
        warnings = sum(not f.ok for f in findings)
        self.checks_box.setTitle(f"Checks — {warnings} to look at" if warnings else "Checks")

    def findings(self) -> list[Finding]:
        """The checklist as last drawn."""
        return list(self._findings or [])

    # --- layer controls ---------------------------------------------------------------------

    def _shape_chosen(self, _index: int) -> None:
        shape = Shape(self.shape_combo.currentData())
        self._edit("shape", lambda d: replace(d, shape=shape))

    def _fill_kind_chosen(self, _index: int) -> None:
        kind = FillKind(self.fill_kind.currentData())
        self._edit("fill type", lambda d: replace(d, fill=replace(d.fill, kind=kind)))

    def _no_band_clicked(self, checked: bool) -> None:
        background = "" if checked else self._last_band
        self._edit("banner band", lambda d: replace(d, banner=replace(d.banner, background=background)))

    def _emblem_kind_clicked(self, number: int) -> None:
        kind = EMBLEM_KINDS[number]
        if kind is EmblemKind.IMAGE:
            image = self.document.design.emblem.image or self._last_image
            if image is None:
                # Image only once there is one: the radio goes back until an import succeeds.
                self._sync_controls()
                self.import_image()
                return
            self._edit("emblem", lambda d: replace(d, emblem=replace(d.emblem, kind=kind, image=image)))
            return
        self._edit("emblem", lambda d: replace(d, emblem=replace(d.emblem, kind=kind, image=None)))

    def _glyph_chosen(self, name: str) -> None:
        self._edit(
            "glyph",
            lambda d: replace(d, emblem=replace(d.emblem, kind=EmblemKind.GLYPH, glyph=name, image=None)),
        )

    def _use_default_clicked(self, checked: bool) -> None:
        self._typing_message = False
        # Unticked, the community's message is the starting point of the badge's own.
        self.document.update_meta("award message", award_message="" if checked else self.default_message)
        self.document.end_gesture()
        if not checked:
            self.message_edit.setFocus()
            self.message_edit.selectAll()

    def _message_edited(self) -> None:
        if self._syncing or self.use_default.isChecked():
            return
        self._typing_message = True
        self._edit_meta("award_message", self.message_edit.toPlainText())

    # --- templates ----------------------------------------------------------------------------

    def _load_templates(self) -> None:
        def work(_cancel: object, _report: object) -> tuple[list[tuple[Template, QImage]], list[str]]:
            found, problems = templates()
            thumbs = [(t, svg_to_image(render_svg(t.design, embed_design=False), _THUMB * 2)) for t in found]
            return thumbs, problems

        self.tasks.start(
            "read badge templates",
            work,
            pool="readers",
            on_success=while_alive(self, self._templates_loaded),
            on_failure=while_alive(self, lambda e: self._show_failure(e, "reading the templates")),
        )

    def _templates_loaded(self, result: tuple[list[tuple[Template, QImage]], list[str]]) -> None:
        found, problems = result
        self.templates = [template for template, _thumb in found]
        while self.template_combo.count() > 1:
            self.template_combo.removeItem(1)
        for template, thumb in found:
            name = template.name if template.builtin else f"{template.name} (yours)"
            self.template_combo.addItem(QIcon(QPixmap.fromImage(thumb)), name)
            index = self.template_combo.count() - 1
            if template.description:
                self.template_combo.setItemData(
                    index, plain_tooltip(template.description), Qt.ItemDataRole.ToolTipRole
                )
        if problems:
            self._show_status(" ".join(problems), error=True)

    def _template_chosen(self, index: int) -> None:
        self.template_combo.setCurrentIndex(0)
        if not 1 <= index <= len(self.templates):
            return
        self.apply_template(self.templates[index - 1])

    def apply_template(self, template: Template) -> None:
        """The template's design replaces the current one: one undo step."""
        try:
            self.document.set_design(f"template “{template.name}”", template.design)
        except DesignError as error:
            self._show_status(str(error), error=True)
            return
        self.document.end_gesture()
        self._show_status(f"Started from the template “{template.name}”. Ctrl+Z goes back.")

    def save_as_template(self) -> None:
        name = self.prompt_text(
            "Save as template", "Name of the new template:", self.document.meta.title.strip()
        )
        if not name or not name.strip():
            return
        design = self.document.design
        description = self.document.meta.description.strip().splitlines()[0:1]

        def work(_cancel: object, _report: object) -> Template:
            return save_template(name, design, description[0] if description else "")

        def saved(template: Template) -> None:
            self._show_status(f"Saved the template “{template.name}”.")
            self._load_templates()

        self.tasks.start(
            "save badge template",
            work,
            pool="writer",
            on_success=while_alive(self, saved),
            on_failure=while_alive(self, lambda e: self._show_failure(e, "saving the template")),
        )

    # --- images -------------------------------------------------------------------------------

    def import_image(self) -> None:
        """Ask for a PNG, JPEG or SVG and make it the emblem; checked and cleaned on a worker."""
        path = self.choose_file("Import an emblem image", "Images (*.png *.jpg *.jpeg *.svg);;All files (*)")
        if path is None:
            return
        _set_error(self.import_error, "")
        self._show_status(f"Reading {path.name}…")
        bind = self._imports.begin()
        self.tasks.start(
            "import emblem image",
            lambda _cancel, _report: _read_image(path),
            pool="readers",
            on_success=bind(self._image_imported),
            on_failure=bind(self._image_failed),
        )

    def _image_imported(self, image: ImportedImage) -> None:
        self._last_image = image
        self._edit(
            "imported image",
            lambda d: replace(d, emblem=replace(d.emblem, kind=EmblemKind.IMAGE, image=image)),
        )
        self.document.end_gesture()
        removed = len(image.removed)
        self._show_status(
            f"Image imported; {removed} unsafe part{'s' if removed != 1 else ''} removed."
            if removed
            else "Image imported."
        )

    def _image_failed(self, error: Exception) -> None:
        # An ImageError says what is wrong with the file; anything else is worded by the core.
        text = failures.describe(error, failures.file_task("importing the image")).message
        _set_error(self.import_error, text)
        self._show_status(text, error=True)

    # --- export -------------------------------------------------------------------------------

    def suggested_stem(self) -> str:
        return self.draft.slug or slugify(self.document.meta.title) or "badge"

    def export_sizes(self) -> list[int]:
        """The extra PNG sizes ticked in the Export PNG menu (600 px is always written)."""
        return [size for size, action in self.size_actions.items() if action.isChecked()]

    def export_png(self) -> None:
        path = self.choose_save_path("Export PNG", "PNG images (*.png)", f"{self.suggested_stem()}.png")
        if path is None:
            return
        stem = path.stem.removesuffix(f"-{CANVAS_SIZE}")
        try:
            written = self.export_png_files(path.parent, stem, self.export_sizes())
        except OSError as error:
            self._show_status(str(error), error=True)
            return
        self._show_status(f"Exported {', '.join(p.name for p in written)} to {path.parent}.")

    def export_png_files(self, directory: Path, stem: str, sizes: Sequence[int]) -> list[Path]:
        """Write ``<stem>-600.png`` and ``<stem>-<size>.png`` for each size; transparent backgrounds.

        Raises :class:`OSError` with a message for the user.
        """
        svg = render_svg(self.document.design, embed_design=False)
        written = []
        for size in dict.fromkeys((CANVAS_SIZE, *sizes)):
            path = directory / f"{stem}-{size}.png"
            rendering.export_png(svg, size, path)
            written.append(path)
        return written

    def export_svg(self) -> None:
        path = self.choose_save_path("Export SVG", "SVG images (*.svg)", f"{self.suggested_stem()}.svg")
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".svg")
        try:
            self.export_svg_file(path)
        except OSError as error:
            self._show_status(str(error), error=True)
            return
        self._show_status(f"Exported {path.name} to {path.parent}.")

    def export_svg_file(self, path: Path) -> None:
        """The badge as SVG (square, 600 px, its layers inside so BadgeDesk can reopen them)."""
        rendering.export_svg(render_svg(self.document.design, size=CANVAS_SIZE), path)

    # --- family -------------------------------------------------------------------------------

    def open_family_dialog(self) -> FamilyDialog:
        """Open the family dialog (not blocking); its button emits :attr:`family_requested`."""
        dialog = FamilyDialog(self.document.design, self.document.meta, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.family_created.connect(self.family_requested.emit)
        dialog.open()
        return dialog

    # --- saving (the badges pane does it and reports back) ------------------------------------

    def save(self) -> bool:
        """Hand the badge to the pane to save; False (and the problems shown) when it cannot be."""
        self.end_text_gesture()
        self._show_field_errors = True
        self._update_meta_feedback()
        problems = meta_problems(self.document.meta)
        if problems:
            widget = self.field_widgets.get(problems[0].field)
            if widget is not None:
                self.side_scroll.ensureWidgetVisible(widget)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            count = len(problems)
            self._show_status(
                f"Not saved: {problems[0]}"
                + (f" ({count - 1} more marked beside the fields)" if count > 1 else ""),
                error=True,
            )
            return False
        self._saving_state = self.document.state
        self.save_requested.emit(self.current_draft())
        return True

    def saving(self) -> None:
        self.save_action.setEnabled(False)
        self._show_status("Saving…")

    def saved(self, draft: Draft, queued: bool) -> None:
        """The pane saved ``draft`` (it now has an id and a slug); ``queued``: something is to send."""
        self.draft = draft
        # Only what was handed over is saved; edits made meanwhile are not.
        if self._saving_state is not None and self.document.state == self._saving_state:
            self.document.mark_saved()
        self._saving_state = None
        self.save_action.setEnabled(True)
        self._show_status(
            "Queued — it is sent with the outbox"
            if queued
            else "Nothing to send: the server has this version"
        )
        self._show_draft_state()

    def _show_failure(self, error: Exception, doing: str) -> None:
        self._show_status(failures.describe(error, failures.file_task(doing)).message, error=True)

    def save_failed(self, message: str) -> None:
        self._saving_state = None
        self.save_action.setEnabled(True)
        self._show_status(f"Not saved: {message}", error=True)

    def sent(self) -> None:
        self._show_status("Saved on the server")

    def set_draft(self, draft: Draft) -> None:
        """Show ``draft`` (after Keep my version or Take the server's).

        The same design and metadata keep the undo history; different ones start afresh, unmodified.
        """
        self.draft = draft
        self._saving_state = None
        if draft.design != self.document.design or draft.meta != self.document.meta:
            self._typing_message = False
            self.document = BadgeDocument(draft.design, draft.meta)
            self.document.on_change(self._document_changed)
            self._document_changed(self.document)
        self._show_draft_state()

    def _show_draft_state(self) -> None:
        conflict = self.draft.save_state is ActionState.CONFLICT
        self.conflict_text.setText(
            self.draft.save_problem or "Someone changed this badge on the server since you started editing."
        )
        self.conflict_banner.setVisible(conflict)
        self.notes_banner.setText("\n".join(self.draft.notes))
        self.notes_banner.setVisible(bool(self.draft.notes))

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {_RED};" if error else "")

    # --- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # A save in flight covers the current state: nothing would be lost.
        if not self.document.modified or self._saving_state == self.document.state:
            self._render_timer.stop()
            event.accept()
            return
        title = self.document.meta.title.strip() or "this badge"
        answer = self.ask("Unsaved changes", f"Save the changes to “{title}” before closing?")
        if answer == "discard" or (answer == "save" and self.save()):
            self._render_timer.stop()
            event.accept()
        else:
            event.ignore()

    # --- default dialogs (replaced in tests) --------------------------------------------------

    def _pick_colour_dialog(self, initial: str, title: str) -> str | None:
        colour = QColorDialog.getColor(QColor(initial), self, title)
        return colour.name() if colour.isValid() else None

    def _choose_file_dialog(self, title: str, filter_: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, title, "", filter_)
        return Path(name) if name else None

    def _choose_save_path_dialog(self, title: str, filter_: str, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, title, suggested, filter_)
        return Path(name) if name else None

    def _prompt_text_dialog(self, title: str, label: str, default: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, default)
        return text if ok else None

    def _ask_dialog(self, title: str, text: str) -> str:
        buttons = QMessageBox.StandardButton
        # The question quotes the badge's title: a plain-text box.
        answer = ask(self, title, text, buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")


def _read_image(path: Path) -> ImportedImage:
    """Runs on a worker: read at most one byte over the limit, then check and clean the image."""
    limit = image_files.MAX_BYTES
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ImageError(f"{path.name} cannot be read: {error.strerror or error}.") from None
    if len(data) > limit:
        raise ImageError(f"{path.name} is larger than {limit // (1024 * 1024)} MB, the most an image may be.")
    return load_image(data, path.name)


def _select_data(combo: QComboBox, value: object) -> None:
    # Qt hands back an enum's value (a str) as the item data: compared with ==, a StrEnum matches.
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            if index != combo.currentIndex():
                combo.setCurrentIndex(index)
            return


def _set_value(widget: QSlider | QSpinBox, value: int) -> None:
    if widget.value() != value:
        widget.setValue(value)


def _set_text(edit: QLineEdit, text: str) -> None:
    # Only when different: setting the same text would move the cursor of someone typing.
    if edit.text() != text:
        edit.setText(text)


def _set_plain(edit: QPlainTextEdit, text: str) -> None:
    if edit.toPlainText() != text:
        edit.setPlainText(text)
