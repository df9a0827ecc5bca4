"""Windows that stay usable on a small screen (1024×700): long forms scroll, splitters keep their place.

A form taller than the screen sits in :func:`scrolling`: the window can then be
made as small as the screen, and the form scrolls (the window's buttons stay
outside it, always in view). A splitter the user moved keeps its position from
one run to the next: :func:`remember_splitters` restores every named splitter
under a window from :attr:`~desktop.settings.Settings.splitter_states` and
writes each move back there (the settings are saved when the app quits).

GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QBoxLayout, QFrame, QScrollArea, QSplitter, QWidget

from desktop.settings import Settings


def scrolling(form: QWidget, name: str) -> QScrollArea:
    """``form`` in a frameless scroll area that scrolls where the window is smaller than the form."""
    scroll = QScrollArea()
    scroll.setObjectName(name)
    scroll.setWidget(form)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    # The form's own controls take the focus (and scroll into view when they do), not the area.
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return scroll


def scrolling_sideways(row: QWidget, name: str) -> QScrollArea:
    """``row`` (a strip of fixed-size pictures) in a scroll area that scrolls sideways where it is narrower.

    Always as high as the row and a scroll bar, so nothing of the row is ever cut below.
    """
    scroll = scrolling(row, name)
    scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFixedHeight(row.sizeHint().height() + scroll.horizontalScrollBar().sizeHint().height())
    return scroll


class SideBySide(QObject):
    """Two parts of a scrolling form side by side where the window is wide enough, else one above the other.

    Made by :func:`side_by_side`; follows the scroll area's width (which does not
    depend on the arrangement, so the two never flip back and forth).
    """

    #: Width to spare before the parts go side by side again (a scroll bar coming and going).
    HYSTERESIS = 24

    def __init__(self, scroll: QScrollArea, first: QWidget, second: QWidget) -> None:
        super().__init__(scroll)
        self.scroll = scroll
        self.first = first
        self.second = second
        form = QWidget()
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom, form)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.columns.addWidget(first, 1)
        self.columns.addWidget(second, 1)
        scroll.setWidget(form)
        scroll.viewport().installEventFilter(self)

    @property
    def side_by_side(self) -> bool:
        return self.columns.direction() == QBoxLayout.Direction.LeftToRight

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.scroll.viewport():
            self.follow(self.scroll.viewport().width())
        return False

    def follow(self, width: int) -> None:
        spacing = max(self.columns.spacing(), 0)
        need = _least_width(self.first) + _least_width(self.second) + spacing
        if not self.side_by_side:
            need += self.HYSTERESIS
        direction = QBoxLayout.Direction.LeftToRight if width >= need else QBoxLayout.Direction.TopToBottom
        if direction != self.columns.direction():
            self.columns.setDirection(direction)


def _least_width(widget: QWidget) -> int:
    """How narrow a layout lets ``widget`` be: its minimum size, else its minimum size hint."""
    return widget.minimumSizeHint().expandedTo(widget.minimumSize()).width()


def side_by_side(first: QWidget, second: QWidget, name: str) -> QScrollArea:
    """A scrolling form of two parts, side by side where it is wide enough (:class:`SideBySide`)."""
    scroll = scrolling(QWidget(), name)
    SideBySide(scroll, first, second)
    return scroll


#: Room left on the screen for a window's title bar and frame, which its size does not include.
FRAME_ALLOWANCE = QSize(16, 40)


def size_for_screen(window: QWidget, width: int, height: int) -> None:
    """Give ``window`` (not shown yet) the size it would like, within the screen it opens on."""
    wanted = QSize(width, height)
    room = available_room(window)
    if room is not None:
        wanted = wanted.boundedTo(room - FRAME_ALLOWANCE)
    window.resize(wanted)


def available_room(window: QWidget) -> QSize | None:
    """The size of the screen ``window`` opens on, less its panels (None: no screen)."""
    parent = window.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else None


def remember_splitters(window: QWidget, settings: Settings | None) -> None:
    """Every splitter under ``window`` with an object name: back where the user left it, and kept when moved.

    The name is the key: unique in the app. Without ``settings`` (a view made
    alone, in a test) splitters start where the code puts them.
    """
    if settings is None:
        return
    for splitter in window.findChildren(QSplitter):
        name = splitter.objectName()
        if not name:
            continue
        saved = settings.splitter_states.get(name)
        if isinstance(saved, str) and saved:
            splitter.restoreState(QByteArray.fromBase64(saved.encode("ascii")))
        splitter.splitterMoved.connect(
            lambda _pos, _index, splitter=splitter, name=name: _keep(settings, name, splitter)
        )


def _keep(settings: Settings, name: str, splitter: QSplitter) -> None:
    settings.splitter_states[name] = bytes(splitter.saveState().toBase64().data()).decode("ascii")
