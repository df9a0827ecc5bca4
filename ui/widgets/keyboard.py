"""Keyboard conventions every view shares (issue 19): Tab always moves on."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView


def no_tab_trap(view: QAbstractItemView) -> QAbstractItemView:
    """Tab and Shift+Tab leave the view instead of walking its cells (arrows still move within)."""
    view.setTabKeyNavigation(False)
    return view
