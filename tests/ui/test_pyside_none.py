"""The Qt binding must not lose references to None (PySide6 6.12.0 did: the app aborted)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QSlider
from pytestqt.qtbot import QtBot


def test_calls_returning_none_keep_nones_reference_count(qtbot: QtBot) -> None:
    slider = QSlider()
    qtbot.addWidget(slider)
    before = sys.getrefcount(None)
    for value in range(2000):
        slider.setValue(value % 50)
    # Other code may take or drop a few references meanwhile; 6.12.0 dropped one per call.
    assert sys.getrefcount(None) - before > -100
