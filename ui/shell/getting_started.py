"""Help ▸ Getting started: what the demo community is and five things to try, each with its key.

A panel at the side of the main window (not a dialog: it opens by itself on the demo's first
start and must not take the window's keys away). The keys are read from the actions that
own them when the panel is shown, so a platform's or the user's keys are the ones named.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.text import plain_label

NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True)
class Step:
    """One thing to try: its key(s) as shown, and what to do."""

    keys: str
    text: str


def key_text(key: QKeySequence) -> str:
    return key.toString(NATIVE)


def then(first: str, second: str) -> str:
    """Two keys pressed one after the other ("Ctrl+3, then A")."""
    return QCoreApplication.translate("GettingStarted", "{first}, then {second}").format(
        first=first, second=second
    )


#: The panel's least height, in pixels (its text scrolls inside): the panes' minimums come first,
#: so that the window fits a 1024×700 screen with the panel shown.
MINIMUM_HEIGHT = 40


class GettingStartedPanel(QDockWidget):
    """The panel; :meth:`show_steps` fills and shows it. GUI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gettingStarted")
        self.setWindowTitle(self.tr("Getting started"))
        # No title bar (its buttons are for the mouse only): the panel's own Close button and the
        # Help menu show and hide it.
        self.setTitleBarWidget(QWidget())
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        body = QWidget()
        # A strip under the panes: the screen is wider than tall, and the panes keep their width.
        strip = QHBoxLayout(body)
        intro = QVBoxLayout()
        title = plain_label(self.tr("Getting started with the demo"), wrap=True)
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        self.about_demo = plain_label(
            self.tr(
                "This demo community runs on a small server on this computer: made-up members, about 60"
                " badges and a queue of badge requests. Nothing you do here reaches a real community,"
                " so try anything."
            ),
            wrap=True,
        )
        self.more = plain_label(
            self.tr("Help ▸ User guide tells the rest; Help ▸ Getting started brings this back."),
            wrap=True,
        )
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setToolTip(self.tr("Put this panel away (Help ▸ Getting started shows it again)"))
        self.close_button.clicked.connect(self.hide)
        close_row = QHBoxLayout()
        close_row.addWidget(self.close_button)
        close_row.addStretch(1)
        for widget in (title, self.about_demo, self.more):
            intro.addWidget(widget)
        intro.addLayout(close_row)
        intro.addStretch(1)
        strip.addLayout(intro, 3)
        tries = QVBoxLayout()
        tries.addWidget(plain_label(self.tr("Five things to try")))
        #: One column per step: its keys above what to do.
        self.steps = QGridLayout()
        self.steps.setHorizontalSpacing(16)
        tries.addLayout(self.steps)
        tries.addStretch(1)
        strip.addLayout(tries, 10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Never the reason the window outgrows a small screen: at its smallest, two lines that scroll.
        scroll.setMinimumHeight(MINIMUM_HEIGHT)
        self.setWidget(scroll)
        self._shown: list[Step] = []

    def show_steps(self, steps: list[Step]) -> None:
        """Show the panel with ``steps`` (their keys as they are now)."""
        while self.steps.count():
            item = self.steps.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for column, step in enumerate(steps):
            keys = plain_label(step.keys, wrap=True)
            keys.setObjectName(f"stepKeys{column}")
            font = QFont(keys.font())
            font.setBold(True)
            keys.setFont(font)
            text = plain_label(step.text, wrap=True)
            text.setObjectName(f"stepText{column}")
            text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.steps.addWidget(keys, 0, column)
            self.steps.addWidget(text, 1, column)
            self.steps.setColumnStretch(column, 1)
        self._shown = list(steps)
        self.show()
        self.raise_()
        self._fit()

    def _fit(self) -> None:
        """As tall as its text, up to a quarter of the window (it scrolls beyond): the panes come first."""
        window = self.parentWidget()
        scroll = self.widget()
        if not isinstance(window, QMainWindow) or not isinstance(scroll, QScrollArea):
            return
        body = scroll.widget()
        layout = body.layout() if body is not None else None
        width = max(window.width() - 24, 320)
        wanted = layout.totalHeightForWidth(width) if layout is not None and layout.hasHeightForWidth() else 0
        wanted = wanted or (body.sizeHint().height() if body is not None else 160)
        window.resizeDocks([self], [min(wanted + 4, window.height() // 4)], Qt.Orientation.Vertical)

    def shown_steps(self) -> list[Step]:
        return list(self._shown)
