"""Small controls and setters the designer's sections share.

The setters change a widget only when its value differs: every change of the
document passes through them (each keystroke), and a widget told what it
already shows still repaints (and a line edit moves the cursor of someone
typing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QWidget,
)

from ui.designer.host import DesignerHost
from ui.i18n import format_number, translated
from ui.widgets.colours import palette_icon, set_palette_icon, set_status_style, text_style
from ui.widgets.text import plain_label

MUTED = "color: palette(placeholder-text);"
#: Looks up a message in the user's language; only :func:`translated` calls it.
#: The side of a template's or a shape's thumbnail in a combo box.
THUMB = 22


def plain(text: str = "", *, name: str = "", wrap: bool = True) -> QLabel:
    return plain_label(text, name=name, wrap=wrap)


def error_label(name: str) -> QLabel:
    label = plain(name=name)
    set_status_style(label, text_style("error"))
    label.hide()
    return label


def muted(label: QLabel) -> QLabel:
    label.setStyleSheet(MUTED)
    return label


def icon(name: str) -> QIcon:
    """The qtawesome icon ``name`` in the palette's colour (see :func:`ui.widgets.colours.palette_icon`)."""
    return palette_icon(name)


def icon_action(name: str, text: str, parent: QWidget) -> QAction:
    """An action with icon ``name`` that is drawn again when the palette switches light/dark."""
    action = QAction(text, parent)
    set_palette_icon(action, name)
    return action


def section(title: str) -> tuple[QGroupBox, QFormLayout]:
    """A titled box with a form, as every section of the layers column has."""
    box = QGroupBox(title)
    return box, section_form(box)


def section_form(box: QGroupBox) -> QFormLayout:
    """The form of a section of the layers column, laid out in ``box``."""
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    return form


def column_scroll(panel: QWidget, name: str, width: int) -> QScrollArea:
    """A side column that scrolls up and down, never sideways.

    At least ``width`` wide, and as wide as ``panel`` needs: never sideways, so a
    longer translation must widen the column rather than be cut off at its edge.
    """
    scroll = QScrollArea()
    scroll.setObjectName(name)
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    needed = panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
    scroll.setMinimumWidth(max(width, needed))
    return scroll


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


class ColourButton(QPushButton):
    """A swatch and the colour's hex code; the designer picks a new colour when it is clicked."""

    def __init__(self, name: str, title: str, step: str, parent: QWidget | None = None) -> None:
        """``title``: what the colour is ("Fill colour"); ``step``: the same in a sentence ("fill colour")."""
        super().__init__(parent)
        self.setObjectName(name)
        self.title = title
        self.colour = ""
        self.setIconSize(QSize(14, 14))
        self.setMinimumWidth(104)
        self.setToolTip(self.tr("Choose the {colour}").format(colour=step))
        # Named by what it sets; its text (the hex code) is only the value, read as the description.
        self.setAccessibleName(title)
        self.setStyleSheet("text-align: left; padding: 3px 8px;")

    def set_colour(self, colour: str) -> None:
        if colour == self.colour:
            return
        self.colour = colour
        self.setIcon(QIcon(_swatch(colour)))
        self.setText(colour.upper())
        self.setAccessibleDescription(colour.upper())


# --- controls that edit the design through the window -------------------------------------------


#: What each slider sets, as a screen reader names it.
_SLIDER_NAMES = {
    "fillAngle": QT_TRANSLATE_NOOP("DesignerSlider", "Gradient angle"),
    "frameWidth": QT_TRANSLATE_NOOP("DesignerSlider", "Ring width"),
    "emblemScale": QT_TRANSLATE_NOOP("DesignerSlider", "Emblem size"),
}


def slider_row(
    host: DesignerHost, name: str, low: int, high: int, key: str, apply: Callable[[int], None], suffix: str
) -> tuple[QSlider, QWidget]:
    """A slider and its value; a drag is one undo step, a key press or a wheel step one each."""
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setObjectName(name)
    slider.setAccessibleName(translated("DesignerSlider", _SLIDER_NAMES.get(name, name)))
    slider.setRange(low, high)
    value = plain(format_number(low) + suffix, wrap=False)
    value.setMinimumWidth(40)
    value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def changed(number: int) -> None:
        value.setText(format_number(number) + suffix)
        # A screen reader reads the value with its unit, not a bare number.
        slider.setAccessibleDescription(format_number(number) + suffix)
        if host.syncing:
            return
        apply(number)
        # A drag is one undo step (it ends on release); a key press or a wheel step is one each.
        if not slider.isSliderDown():
            host.document.end_gesture()

    slider.valueChanged.connect(changed)
    slider.sliderReleased.connect(lambda: host.document.end_gesture())
    slider.setProperty("mergeKey", key)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(slider, 1)
    layout.addWidget(value)
    return slider, row


def colour_button(
    host: DesignerHost, name: str, title: str, step: str, layer: str, attribute: str
) -> ColourButton:
    """A colour button that sets ``design.<layer>.<attribute>``.

    ``title`` names the colour (the button, the colour dialog); ``step`` is the
    same within a sentence, for its tooltip and its undo step ("Undo fill colour").
    """
    button = ColourButton(name, title, step)

    def clicked() -> None:
        colour = host.pick_colour(button.colour, title)
        if colour:
            host.edit(
                step,
                lambda d: replace(d, **{layer: replace(getattr(d, layer), **{attribute: colour})}),
            )

    button.clicked.connect(clicked)
    return button


# --- setters that leave an unchanged widget alone ----------------------------------------------


def set_label(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


def set_error(label: QLabel, text: str) -> None:
    """Show ``text``, or hide the label when there is none."""
    set_label(label, text)
    if label.isHidden() == bool(text):
        label.setVisible(bool(text))


def set_enabled(target: QWidget | QAction, enabled: bool) -> None:
    if target.isEnabled() != enabled:
        target.setEnabled(enabled)


def set_checked(button: QAbstractButton, checked: bool) -> None:
    if button.isChecked() != checked:
        button.setChecked(checked)


def select_data(combo: QComboBox, value: object) -> None:
    # Qt hands back an enum's value (a str) as the item data: compared with ==, a StrEnum matches.
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            if index != combo.currentIndex():
                combo.setCurrentIndex(index)
            return


def set_value(widget: QSlider | QSpinBox, value: int) -> None:
    if widget.value() != value:
        widget.setValue(value)


def set_text(edit: QLineEdit, text: str) -> None:
    # Only when different: setting the same text would move the cursor of someone typing.
    if edit.text() != text:
        edit.setText(text)


def set_plain(edit: QPlainTextEdit, text: str) -> None:
    if edit.toPlainText() != text:
        edit.setPlainText(text)
