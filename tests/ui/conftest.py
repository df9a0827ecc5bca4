"""UI fixtures: the real app controller, offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from ui.controller import AppController


@pytest.fixture()
def make_controller(qtbot: QtBot) -> Iterator[Callable[..., AppController]]:
    """Start an AppController; it is shut down (pools drained, server stopped) after the test."""
    made: list[AppController] = []

    def make(**kwargs: Any) -> AppController:
        controller = AppController(Settings(), **kwargs)
        made.append(controller)
        controller.start()
        qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
        assert controller.window is not None
        qtbot.addWidget(controller.window)
        return controller

    yield make
    for controller in made:
        controller.shutdown()
        assert controller.tasks.active == 0
        assert controller.tasks.writer.activeThreadCount() == 0
        assert controller.tasks.readers.activeThreadCount() == 0
        assert controller.tasks.network.activeThreadCount() == 0
        assert controller.sandbox is None
