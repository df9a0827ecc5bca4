"""Pick an emblem glyph from qtawesome's icon fonts: search as you type, click one.

The names come from the core's glyph index (:func:`desktop.designer.glyphs.search`);
the icons are qtawesome's, made only when the view asks for a row it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import qtawesome  # type: ignore[import-untyped]  # no type information
from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from desktop.designer import glyphs
from ui.widgets.colours import icon_colour
from ui.widgets.keyboard import no_tab_trap

#: The glyph's full name ("fa6s.trophy"), for tests and the picker.
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 120
ICON_SIZE = QSize(28, 28)

_Index = QModelIndex | QPersistentModelIndex


class GlyphListModel(QAbstractListModel):
    """Glyph names; each icon is made the first time a view asks for it, then kept.

    GUI thread only (qtawesome paints with the GUI's fonts).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self._icons: dict[str, QIcon] = {}
        self.colour = icon_colour().name()  # the view sets its own text colour once shown

    def set_names(self, names: Sequence[str]) -> None:
        self.beginResetModel()
        self.names = list(names)
        self.endResetModel()

    def set_colour(self, colour: str) -> None:
        if colour != self.colour:
            self.colour = colour
            self._icons.clear()
            if self.names:
                self.dataChanged.emit(self.index(0), self.index(len(self.names) - 1))

    @property
    def icons_made(self) -> int:
        return len(self._icons)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() else len(self.names)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.names):
            return None
        name = self.names[index.row()]
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(name)
        if role in (Qt.ItemDataRole.ToolTipRole, NAME_ROLE):
            return name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return name.partition(".")[2].replace("-", " ")
        return None

    def row_of(self, name: str) -> int | None:
        try:
            return self.names.index(name)
        except ValueError:
            return None

    def _icon(self, name: str) -> QIcon:
        icon = self._icons.get(name)
        if icon is None:
            try:
                icon = qtawesome.icon(name, color=self.colour)
            except Exception:  # qtawesome raises several kinds for a name its fonts lack
                icon = QIcon()
            self._icons[name] = icon
        return icon


class GlyphPicker(QWidget):
    """A search box over a grid of icons; clicking one emits :attr:`glyph_chosen`.

    GUI thread only.
    """

    glyph_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("glyphSearch")
        self.search_box.setAccessibleName(self.tr("Search glyphs"))
        self.search_box.setPlaceholderText(self.tr("Search icons: trophy, star, heart…"))
        self.search_box.setClearButtonEnabled(True)
        self.model = GlyphListModel(self)
        self.model.set_colour(self.palette().color(QPalette.ColorRole.WindowText).name())
        self.view = QListView()
        self.view.setObjectName("glyphList")
        no_tab_trap(self.view)
        self.view.setAccessibleName(self.tr("Glyphs"))
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setIconSize(ICON_SIZE)
        self.view.setGridSize(QSize(40, 40))
        # One size for all: the view asks data() only for the rows it paints.
        self.view.setUniformItemSizes(True)
        self.view.setWrapping(True)
        self.view.setModel(self.model)
        self.view.setMinimumHeight(132)
        self.selected_label = QLabel()
        self.selected_label.setObjectName("glyphSelected")
        self.selected_label.setTextFormat(Qt.TextFormat.PlainText)
        self.selected_label.setStyleSheet("color: palette(placeholder-text);")
        self.selected = ""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self._debounce.start())
        self.search_box.returnPressed.connect(self._choose_first)
        self.view.clicked.connect(self._chosen)
        self.view.activated.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.selected_label)
        self.run_search()

    @property
    def idle(self) -> bool:
        """No search is waiting for its debounce."""
        return not self._debounce.isActive()

    def run_search(self) -> None:
        """Search now (the debounce calls this); the query's best 200 glyphs."""
        self._debounce.stop()
        self.model.set_names(glyphs.search(self.search_box.text()))
        self._select(self.selected)

    def set_selected(self, name: str) -> None:
        """Show ``name`` as the current glyph without emitting :attr:`glyph_chosen`."""
        self.selected = name
        self.selected_label.setText(
            self.tr("Selected: {glyph}").format(glyph=name) if name else self.tr("No glyph selected")
        )
        self._select(name)

    def _select(self, name: str) -> None:
        row = self.model.row_of(name) if name else None
        selection = self.view.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.model.index(row)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _chosen(self, index: QModelIndex) -> None:
        name = index.data(NAME_ROLE)
        if name:
            self.set_selected(name)
            self.glyph_chosen.emit(name)

    def _choose_first(self) -> None:
        if self._debounce.isActive():
            self.run_search()
        if self.model.names:
            self._chosen(self.model.index(0))
