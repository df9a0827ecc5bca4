"""A strip of removable filter chips ("Holds: MVP ✕")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget


class FilterChips(QWidget):
    """Shows one button per active filter; clicking a chip removes its filter.

    GUI thread only.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addStretch(1)
        self.chips: list[QToolButton] = []

    def show_chips(self, chips: list[tuple[str, Callable[[], None]]]) -> None:
        for chip in self.chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for text, remove in chips:
            # Plain QToolButton text is never rich text: badge titles are safe here.
            chip = QToolButton()
            # "&" would mark a keyboard accelerator ("R&D" must stay "R&D").
            chip.setText(f"{text.replace('&', '&&')}  ✕")
            chip.setToolTip(self.tr("Remove this filter"))
            chip.setAutoRaise(False)
            # clicked(bool) would pass its argument on; the callbacks take none.
            chip.clicked.connect(lambda _checked=False, remove=remove: remove())
            self._layout.insertWidget(self._layout.count() - 1, chip)
            self.chips.append(chip)
        self.setVisible(bool(chips))
