"""Make a bronze / silver / gold family from the badge being designed.

The tiers come from the core (:func:`desktop.designer.checks.make_family`), and
so does the verdict on whether members can tell them apart with each kind of
colour vision (:func:`desktop.designer.checks.check_family`).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.designer.checks import TIERS, check_family, make_family
from desktop.designer.document import BadgeMeta, Design
from desktop.designer.drafts import Draft
from desktop.designer.render import render_svg
from ui.designer.checks import finding_label
from ui.i18n import translated
from ui.widgets.rendering import svg_to_image, svg_to_images

PREVIEW = 128
FULL = 600
#: The tiers' names, in captions and in the new badges' titles (the metadata keeps "bronze").
TIER_TITLES = {
    "bronze": QT_TRANSLATE_NOOP("FamilyDialog", "Bronze"),
    "silver": QT_TRANSLATE_NOOP("FamilyDialog", "Silver"),
    "gold": QT_TRANSLATE_NOOP("FamilyDialog", "Gold"),
}


def tier_title(tier: str) -> str:
    """A tier's name, capitalised: "Bronze"."""
    return translated("FamilyDialog", TIER_TITLES[tier]) if tier in TIER_TITLES else tier.capitalize()


def tier_drafts(family: dict[str, Design], meta: BadgeMeta) -> list[Draft]:
    """One new badge per tier: the tier's design, the title with the tier's name, the rest copied."""
    drafts = []
    for tier, design in family.items():
        name = tier_title(tier)
        base = meta.title.strip()
        title = (
            QCoreApplication.translate("FamilyDialog", "{title} — {tier}").format(title=base, tier=name)
            if base
            else name
        )
        drafts.append(Draft(None, None, "", replace(meta, title=title, tier=tier), design, None))
    return drafts


class FamilyDialog(QDialog):
    """Previews of the three tiers, the colour-vision checks, and a button that creates them.

    :attr:`family_created` carries a list of new :class:`Draft` (bronze, silver,
    gold). GUI thread only.
    """

    family_created = Signal(object)

    def __init__(self, design: Design, meta: BadgeMeta, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("familyDialog")
        self.setWindowTitle(
            self.tr("Make a family — {title}").format(title=meta.title or self.tr("Untitled badge"))
        )
        self.base = design
        self.meta = meta
        self.family: dict[str, Design] = {}

        intro = QLabel(
            self.tr(
                "Three tiers of this badge, in bronze, silver and gold. Members with any kind of colour"
                " vision should tell them apart, so the tiers also differ by their rings or their shape."
            )
        )
        intro.setWordWrap(True)
        self.by_rings = QRadioButton(self.tr("Ring count (1, 2, 3 rings)"))
        self.by_rings.setObjectName("familyByRings")
        self.by_shape = QRadioButton(self.tr("Shape (circle, hexagon, star)"))
        self.by_shape.setObjectName("familyByShape")
        self.by_rings.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_rings)
        group.addButton(self.by_shape)
        group.buttonToggled.connect(self._differ_toggled)
        differ = QHBoxLayout()
        # The buddy is the group's first choice: the label names it, Tab and arrows do the rest.
        differ_label = QLabel(self.tr("Tiers differ by:"))
        differ_label.setBuddy(self.by_rings)
        differ.addWidget(differ_label)
        differ.addWidget(self.by_rings)
        differ.addWidget(self.by_shape)
        differ.addStretch(1)

        self.previews: list[QLabel] = []
        row = QHBoxLayout()
        row.addStretch(1)
        for tier in TIERS:
            column = QVBoxLayout()
            preview = QLabel()
            preview.setObjectName(f"familyPreview_{tier}")
            preview.setFixedSize(PREVIEW, PREVIEW)
            preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = QLabel(tier_title(tier))
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bold = QFont(caption.font())
            bold.setBold(True)
            caption.setFont(bold)
            column.addWidget(preview, 0, Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(caption)
            row.addLayout(column)
            row.addSpacing(24)
            self.previews.append(preview)
        row.addStretch(1)

        self.checks = QGroupBox(self.tr("Can members tell the tiers apart?"))
        self.checks_layout = QVBoxLayout(self.checks)
        self.finding_labels: list[QLabel] = []

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton(
            self.tr("Create the three badges"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setObjectName("familyCreate")
        self.create_button.setDefault(True)
        self.create_button.setFocus()
        buttons.accepted.connect(self.create_family)
        buttons.rejected.connect(self.reject)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(differ)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addSpacing(8)
        layout.addWidget(self.checks)
        layout.addStretch(1)
        layout.addWidget(line)
        layout.addWidget(buttons)
        self.refresh()
        self.resize(620, 520)

    def _differ_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self.refresh()

    def event(self, event: QEvent) -> bool:
        # Moved to a screen of another scale: the previews are drawn again, sharp at the new ratio.
        if event.type() == QEvent.Type.DevicePixelRatioChange and self.family:
            self._draw_previews()
        return super().event(event)

    @property
    def differ_by(self) -> str:
        return "shape" if self.by_shape.isChecked() else "rings"

    def refresh(self) -> None:
        self.family = make_family(self.base, by=self.differ_by)
        self._draw_previews()
        for label in self.finding_labels:
            self.checks_layout.removeWidget(label)
            label.deleteLater()
        self.finding_labels = [
            finding_label(finding, f"familyFinding{number}")
            for number, finding in enumerate(check_family(self.family).lines())
        ]
        for label in self.finding_labels:
            self.checks_layout.addWidget(label)

    def _draw_previews(self) -> None:
        """Each tier at :data:`PREVIEW` px, drawn at the dialog's device pixel ratio (sharp on HiDPI)."""
        ratio = self.devicePixelRatioF()
        for preview, design in zip(self.previews, self.family.values(), strict=True):
            svg = render_svg(design, embed_design=False)
            pixmap = QPixmap.fromImage(svg_to_images(svg, (PREVIEW,), {PREVIEW: ratio})[PREVIEW])
            pixmap.setDevicePixelRatio(ratio)
            preview.setPixmap(pixmap)

    def drafts(self) -> list[Draft]:
        return tier_drafts(self.family, self.meta)

    def create_family(self) -> None:
        self.family_created.emit(self.drafts())
        self.accept()

    def grab_family_image(self) -> QImage:
        """The three tiers at 600 px, side by side on a transparent background."""
        image = QImage(FULL * len(self.family), FULL, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        for number, design in enumerate(self.family.values()):
            painter.drawImage(number * FULL, 0, svg_to_image(render_svg(design, embed_design=False), FULL))
        painter.end()
        return image
