"""The members and batch-results exports show progress and can be cancelled, like the audit export."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.community import Community
from desktop.settings import Settings
from tests.core.test_cache import member
from ui.operations import TaskManager
from ui.outbox import batch_actions
from ui.outbox.outbox_view import OutboxView
from ui.search import member_export
from ui.search.dialogs import ExportChoice
from ui.search.member_search import MemberSearchView
from ui.session.app_session import AppSession


@pytest.fixture()
def session(qtbot: QtBot, tmp_path: Path) -> Iterator[AppSession]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 6)])
    community = Community("test", None, cache)
    tasks = TaskManager()
    yield AppSession(community, tasks)
    tasks.shutdown()
    community.close()


def exporter_until_cancelled(progress: Any) -> Callable[..., int]:
    """An export that reports ``progress`` once, then waits to be cancelled."""

    def export(*_args: Any, **kwargs: Any) -> int:
        report, cancel = kwargs["progress"], kwargs["cancel"]
        assert isinstance(cancel, CancelToken)
        report(progress)
        cancel.sleep(30)
        return 0

    return export


def members_view(qtbot: QtBot, session: AppSession) -> MemberSearchView:
    view = MemberSearchView(session, Settings())
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.idle and view.model.rowCount() == 5)
    return view


def test_the_members_export_shows_progress_and_its_button_cancels_it(
    qtbot: QtBot, session: AppSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = members_view(qtbot, session)
    messages: list[str] = []
    view.message.connect(messages.append)
    target = tmp_path / "members.csv"
    asked: list[int] = []

    def ask(_parent: object, *, total: int, selected: int) -> ExportChoice:
        asked.append(total)
        return ExportChoice(target, ["username"], selection_only=False)

    monkeypatch.setattr(member_export, "ask_export", ask)
    monkeypatch.setattr(member_export, "export_members_csv", exporter_until_cancelled((2000, 20000)))
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.export.running and view.export_button.text() == "Cancel export"
    qtbot.waitUntil(lambda: "Exporting members… 2,000 of 20,000" in messages)
    # A second export waits for the first.
    view.export_to(tmp_path / "other.csv", ["username"])
    assert messages[-1] == "An export of members is already running."
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.export.running, timeout=10_000)
    assert asked == [5]  # the click that cancelled asked nothing
    assert messages[-1] == "Export cancelled; no file was written."
    assert view.export_button.text() == "Export…" and view.export_button.isEnabled()
    assert not target.exists()


def test_the_members_export_reports_where_it_is_and_what_it_wrote(
    qtbot: QtBot, session: AppSession, tmp_path: Path
) -> None:
    view = members_view(qtbot, session)
    messages: list[str] = []
    view.message.connect(messages.append)
    target = tmp_path / "members.csv"
    view.export_to(target, ["username"])
    qtbot.waitUntil(lambda: not view.export.running, timeout=10_000)
    assert messages == [
        f"Exporting members to {target}…",
        "Exporting members… 5 of 5",
        f"Exported 5 members to {target}",
    ]
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == 6


def test_the_batch_results_export_shows_progress_and_its_button_cancels_it(
    qtbot: QtBot, session: AppSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = OutboxView(session)
    qtbot.addWidget(view)
    messages: list[str] = []
    view.message.connect(messages.append)
    target = tmp_path / "results.csv"
    monkeypatch.setattr(batch_actions, "export_results_csv", exporter_until_cancelled(1000))
    assert not view.export_button.isEnabled()  # no batch selected
    idle = view.export_button.text()
    assert "xport results" in idle
    view.export_results("batch-1", target)
    assert view.export_button.isEnabled() and view.export_button.text() == "Cancel export"
    qtbot.waitUntil(lambda: "Exporting batch results… 1,000 rows" in messages)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.export.running, timeout=10_000)
    assert messages[-1] == "Export cancelled; no file was written."
    assert view.export_button.text() == idle
    assert not view.export_button.isEnabled()  # still no batch selected
    assert not target.exists()
