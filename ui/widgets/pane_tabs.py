"""The main window's tabs, without a whole-window repaint for every text that changes in a pane.

``QTabWidget`` lays itself out again on every ``LayoutRequest`` and then repaints
itself whole. Any size hint that changes inside the current pane posts one: a count
label's new text reaches the tab widget through the pane's layout and the page
stack. Measured while typing in the Members pane at a million members, that repaint
of every widget in the window cost about 5 ms of a 16 ms frame, for each result
shown. :class:`PaneTabs` lays out again only when what the tab widget's layout
depends on changed (its size, the tab bar's size hint and visibility, the tab
position, document mode, the corner widgets); otherwise it only passes the request
on, so the window's own layout still hears of the pane's new size hints.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QTabWidget


class PaneTabs(QTabWidget):
    """A :class:`QTabWidget` whose layout requests repaint only when its own layout changes."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._laid_out: tuple[Any, ...] | None = None

    def _layout_inputs(self) -> tuple[Any, ...]:
        bar = self.tabBar()
        corners = tuple(
            None if corner is None else (corner.isVisibleTo(self), corner.sizeHint())
            for corner in map(self.cornerWidget, (Qt.Corner.TopLeftCorner, Qt.Corner.TopRightCorner))
        )
        bar_shape = (bar.sizeHint(), bar.isVisibleTo(self))
        return (self.size(), bar_shape, self.tabPosition(), self.documentMode(), corners)

    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.LayoutRequest:
            return super().event(event)
        inputs = self._layout_inputs()
        if inputs == self._laid_out:
            # A page's size hint changed, not this layout: the window hears of it, nothing repaints.
            self.updateGeometry()
            return True
        handled = super().event(event)
        self._laid_out = self._layout_inputs()
        return handled
