"""The Review queue pane against the sandbox, driven by keyboard through the real UI."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from desktop.audit import AuditFilter, audit_entries
from desktop.domain import ActionKind, ActionState, Decision
from desktop.review import RequestGroup
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.scenarios import ReviewScenario
from desktop.secrets import TokenStore
from tests.e2e.conftest import start_review_sandbox
from tests.e2e.test_exactly_once import server_db
from tests.ui.test_main_window import wait_synced
from ui.controller import AppController
from ui.decision_dialog import DecisionDialog
from ui.review_queue import ReviewQueueView


@pytest.fixture()
def review_server(tmp_path: Path) -> Iterator[tuple[SandboxProcess, ReviewScenario]]:
    process, scenario = start_review_sandbox(tmp_path / "review-sandbox")
    try:
        yield process, scenario
    finally:
        process.stop()


def open_queue(
    qtbot: QtBot, make_controller: Callable[..., AppController], sandbox: SandboxProcess
) -> tuple[AppController, ReviewQueueView]:
    TokenStore().set(sandbox.url, sandbox.tokens["moderator"])
    controller = make_controller(server=sandbox.url)
    wait_synced(qtbot, controller)
    window = controller.window
    assert window is not None
    window.tabs.setCurrentWidget(window.queue)
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = window.queue
    qtbot.waitUntil(
        lambda: view.snapshot is not None and view.snapshot.pending_requests == 87, timeout=20_000
    )
    view.table.setFocus()
    return controller, view


def key(
    qtbot: QtBot,
    view: ReviewQueueView,
    text: str,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(view.table, text, modifier)


def keyboard_dialog(qtbot: QtBot, template_key: str) -> Callable[[QDialog], bool]:
    """Drive the deny / return dialog by keyboard: a digit picks a template, Ctrl+Enter decides."""

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, DecisionDialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        qtbot.keyClick(dialog.template_list, template_key)
        qtbot.keyClick(dialog.template_list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        dialog.window().activateWindow()
        return accepted

    return run


def server_requests(sandbox: SandboxProcess) -> dict[int, tuple[str, str | None]]:
    with server_db(sandbox) as db:
        return {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, state, decided_by FROM requests")}


def test_queue_shows_groups_counts_flags_and_a_card(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    review_server: tuple[SandboxProcess, ReviewScenario],
    artifacts: Path,
) -> None:
    sandbox, scenario = review_server
    controller, view = open_queue(qtbot, make_controller, sandbox)
    assert view.model.rowCount() == 78
    filters = [view.badge_filter.itemText(i) for i in range(view.badge_filter.count())]
    assert filters[0] == "All badges (87)"
    assert [f.rsplit("(", 1)[1] for f in filters[1:]] == ["31)", "24)", "18)", "9)", "5)"]
    group = view.current_group()
    assert group is not None and view.card.group is group
    assert view.card.member.text() == (group.member.display_name if group.member else group.member_text)
    controller.window.resize(1400, 820)  # type: ignore[union-attr]
    qtbot.wait(50)
    controller.window.grab().save(str(artifacts / "review_queue.png"))  # type: ignore[union-attr]
