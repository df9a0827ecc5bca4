"""The app's status colours, in one place: one set for light pages, one for dark.

Qt's palette has no roles for "error" or "warning", so these colours cannot
come from it; instead the palette the text is drawn on chooses between two
sets, each picked to reach WCAG's 4.5:1 on its own kind of page (and on its
own banner backgrounds). A dark red readable on white reads at about 2:1 on a
dark window, which is why one set cannot serve both.

Which set: the platform's colour scheme when it says (Qt 6.5+), else the
lightness of the palette's window colour (a dark palette applied by the user,
or a platform that does not report a scheme).

Widgets styled through :func:`set_status_style` are restyled when the user
switches between light and dark while the app runs (:func:`follow_colour_scheme`).

Thread safety: GUI thread only (reads the application's palette and style hints).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget


@dataclass(frozen=True)
class StatusColours:
    """Colours for text that carries a status, and for banners that hold such text."""

    error: str
    warning: str
    success: str
    info: str
    #: Text of rows that are done or dropped: quieter than normal text, still readable.
    quiet: str
    error_banner: str
    error_banner_border: str
    warning_banner: str
    warning_banner_border: str
    #: A small flag (e.g. "Suspended") carries its own background, so it reads on any page.
    flag_text: str
    flag_background: str
    #: The two squares of the checkerboard behind a badge's transparent parts (faint, like the page).
    checker: tuple[str, str]


LIGHT = StatusColours(
    error="#b3261e",
    warning="#8a5a00",
    success="#1e7b34",
    info="#1a5fb4",
    quiet="#5f6368",
    error_banner="#fdecea",
    error_banner_border="#f1b7b1",
    warning_banner="#fff4d6",
    warning_banner_border="#f0d48a",
    flag_text="#ffffff",
    flag_background="#b3261e",
    checker=("#fbfbfc", "#eef0f3"),
)

DARK = StatusColours(
    error="#ff8a80",
    warning="#ffcc66",
    success="#81c995",
    info="#8ab4f8",
    quiet="#a8acb2",
    error_banner="#3d1f1c",
    error_banner_border="#8c3a33",
    warning_banner="#3a2f12",
    warning_banner_border="#7a6220",
    flag_text="#ffffff",
    flag_background="#b3261e",
    checker=("#2a2d31", "#33373c"),
)


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether pages are dark: the platform's colour scheme if known, else the palette's window."""
    if palette is None:
        scheme = QGuiApplication.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def status_colours(palette: QPalette | None = None) -> StatusColours:
    """The set for the current pages (or for ``palette``'s, when given)."""
    return DARK if is_dark(palette) else LIGHT


def colour(name: str) -> QColor:
    """One status colour of the current set as a QColor, e.g. ``colour("error")`` for item models."""
    value = getattr(status_colours(), name)
    if not isinstance(value, str):
        raise AttributeError(name)
    return QColor(value)


#: A widget's stylesheet made from a set of colours, so it can be made again when the set changes.
Style = Callable[[StatusColours], str]

#: The dynamic property that keeps a widget's :data:`Style` for :func:`restyle`.
_STYLE_PROPERTY = "badgedeskStatusStyle"


def text_style(name: str, extra: str = "") -> Style:
    """A style that colours a label's text with status colour ``name`` ("error", "warning", ...)."""
    getattr(LIGHT, name)  # a misspelt name fails here, where it is written, not at the next restyle

    def style(colours: StatusColours) -> str:
        return f"color: {getattr(colours, name)};{(' ' + extra) if extra else ''}"

    return style


def set_status_style(widget: QWidget, style: Style | None) -> None:
    """Style ``widget`` from the current set and remember how, so a change of scheme restyles it.

    ``None`` clears the widget's stylesheet (back to the palette's text colour).
    """
    widget.setProperty(_STYLE_PROPERTY, style)
    widget.setStyleSheet(style(status_colours()) if style is not None else "")


#: The dynamic property that keeps the qtawesome name of an action's or a button's icon.
_ICON_PROPERTY = "badgedeskIconName"


def palette_icon(name: str) -> QIcon:
    """The qtawesome icon ``name`` in :func:`icon_colour`; an empty icon for a name its fonts lack."""
    # Imported with the first icon (the designer's): loading it and its fonts took a fifth of
    # the app's start.
    import qtawesome  # type: ignore[import-untyped]  # no type information

    try:
        found: QIcon = qtawesome.icon(name, color=icon_colour())
    except Exception:  # qtawesome raises several kinds for an unknown name: a text-only button is fine
        return QIcon()
    return found


def set_palette_icon(target: QAction | QAbstractButton, name: str) -> None:
    """Give ``target`` icon ``name`` in the palette's colour, drawn again when the palette changes."""
    target.setProperty(_ICON_PROPERTY, name)
    target.setIcon(palette_icon(name))


def restyle() -> None:
    """Make every status style and palette icon again from the colours now in force."""
    colours = status_colours()
    for top in QApplication.topLevelWidgets():
        # Actions are not widgets: walk every object under each window once.
        for thing in (top, *top.findChildren(QObject)):
            style = thing.property(_STYLE_PROPERTY)
            if callable(style) and isinstance(thing, QWidget):
                thing.setStyleSheet(style(colours))
            name = thing.property(_ICON_PROPERTY)
            if isinstance(name, str) and isinstance(thing, (QAction, QAbstractButton)):
                thing.setIcon(palette_icon(name))


class SchemeFollower(QObject):
    """Restyles status colours when the application's palette or the platform's scheme changes.

    Install once on the application (:func:`follow_colour_scheme`). GUI thread only.
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._dark = is_dark()
        app.installEventFilter(self)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.ApplicationPaletteChange:
            self._changed()
        return False

    def _changed(self, *_args: object) -> None:
        # Restyling every widget is cheap but not free; only a switch of set needs it.
        dark = is_dark()
        if dark != self._dark:
            self._dark = dark
            restyle()


def follow_colour_scheme(app: QApplication) -> SchemeFollower:
    """Keep status colours readable when the user switches between light and dark while the app runs."""
    return SchemeFollower(app)


def icon_colour() -> QColor:
    """The colour of monochrome (qtawesome) icons: the palette's button text, so they read on buttons."""
    return QGuiApplication.palette().color(QPalette.ColorRole.ButtonText)


#: One colour per series of a chart (stacked bars), in order; after the last they repeat.
#: Mid-tone hues (Tableau 10) that stand apart from each other and read on a light page and
#: on a dark one alike, so one set serves both; a chart's text and total line take the
#: palette's text colour instead.
CHART_SERIES = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def series_colour(index: int) -> QColor:
    """The colour of a chart's ``index``-th series."""
    return QColor(CHART_SERIES[index % len(CHART_SERIES)])
