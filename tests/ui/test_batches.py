"""Batches through the real window: a dropped CSV, the dry run, sending, the results CSV."""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.batches import dry_run
from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionKind, BadgeState, MemberStatus
from desktop.outbox import Batch
from tests.core.test_cache import badge, member
from tests.ui.test_main_window import wait_synced
from ui.operations import TaskManager
from ui.outbox import batch_dialog
from ui.outbox.batch_dialog import BatchDialog
from ui.session.app_session import AppSession
from ui.shell.controller import AppController


def drop_file(qtbot: QtBot, widget: BatchDialog, path: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    point = QPointF(20, 20)
    enter = QDragEnterEvent(
        point.toPoint(),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, drop)


def test_a_dropped_csv_becomes_a_batch_with_a_dry_run_and_a_results_csv(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    tmp_path: Path,
    artifacts: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    controller = make_controller(demo_members=600)
    wait_synced(qtbot, controller)
    window, session = controller.window, controller.session
    assert window is not None and session is not None
    cache = session.community.cache
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    members = cache.members_by_ids(cache.member_ids())
    with cache.read() as connection:
        holders = {
            r[0]
            for r in connection.exec_driver_sql(
                "SELECT member_id FROM awards WHERE badge_id = ?", (badge.id,)
            )
        }
    fresh = [m for m in members.values() if m.status is MemberStatus.ACTIVE and m.id not in holders][:5]
    holder = members[next(iter(sorted(holders)))]
    suspended = next(m for m in members.values() if m.status is MemberStatus.SUSPENDED)

    # A spreadsheet export: semicolons, a BOM, a header, mixed case, a blank line, junk.
    lines = [
        "Name;E-Mail Address;Team",
        f"{fresh[0].display_name};{fresh[0].email.upper()};a",
        f"{fresh[1].display_name};  {fresh[1].email}  ;b",
        ";;",
        f"x;{fresh[2].email};c",
        "Jane;jane.doe@;d",
        "Bob;bob at example.com;e",
        f"again;{fresh[0].email.lower()};f",
        "Nobody;nobody@nowhere.example;g",
        f"holder;{holder.email};h",
        f"suspended;{suspended.email};i",
        f"x;{fresh[3].email};j",
        f"x;{fresh[4].email};k",
    ]
    dropped = tmp_path / "devcon attendees.csv"
    dropped.write_bytes("\r\n".join(lines).encode("utf-8-sig"))

    dialog = window.new_batch((), ActionKind.AWARD)
    qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0)
    dialog.select_badge(badge.id)
    drop_file(qtbot, dialog, dropped)
    qtbot.waitUntil(lambda: dialog.column_combo.count() == 3)
    assert dialog.column_combo.currentText() == "E-Mail Address"
    assert "semicolon" in dialog.format_label.text().lower()
    assert dialog.header_check.isChecked()
    # Shown for a file (hidden for a selection, tests/ui/test_batch_modes.py).
    assert dialog.column_combo.isVisibleTo(dialog) and dialog.header_check.isVisibleTo(dialog)
    # A wrong header guess can be corrected: the list is read again.
    dialog.header_check.setChecked(False)
    qtbot.waitUntil(lambda: dialog.column_combo.itemText(0) == "Column 1")
    dialog.header_check.setChecked(True)
    qtbot.waitUntil(lambda: dialog.column_combo.itemText(0) == "Name")
    assert dialog.column_combo.currentText() == "E-Mail Address"
    qtbot.mouseClick(dialog.dry_run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    shown = {key: label.text() for key, label in dialog.count_values.items()}
    assert shown == {
        "rows": "12",
        "blank": "1",
        "duplicates": "1",
        "invalid": "2",
        "not_found": "1",
        "inactive": "1",
        "already": "1",
        "to_send": "5",
    }
    problems = dialog.problems.toPlainText()
    assert "Row 6: 'jane.doe@'" in problems and "Row 7: 'bob at example.com'" in problems
    assert "Row 9" in problems  # not found
    assert dialog.queue_button.text() == "&Queue 5 awards"
    dialog.reason_edit.setText("DevCon 2025")
    dialog.notify_check.setChecked(False)
    dialog.grab().save(str(artifacts / "batch_dry_run.png"))

    queued: list[Batch] = []
    dialog.queued.connect(queued.append)
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(queued), timeout=10_000)
    [batch] = queued
    outbox = session.community.outbox
    # Committed before the window said so, then sent in the background.
    qtbot.waitUntil(lambda: outbox.batch_summary(batch.id).finished, timeout=30_000)
    summary = outbox.batch_summary(batch.id)
    assert (summary.total, summary.applied) == (5, 5)
    assert all(a.payload["notify"] is False for a in outbox.actions(batch_id=batch.id))

    view = window.outbox
    assert window.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: (selected := view.selected_batch()) is not None and selected.applied == 5)
    # The counts are refreshed apart from the batch table: under load, a moment later.
    qtbot.waitUntil(lambda: "Pending 0" in view.counts_label.text())
    # The batch is named for people, in the table and in the file name the export suggests.
    selected = view.selected_batch()
    assert selected is not None
    name = selected.batch.name
    assert re.fullmatch(rf"{re.escape(badge.title)} · \d{{4}}-\d\d-\d\d · #1 · 5 members", name), name
    row = view.batch_model.row_of(batch.id)
    assert view.batch_model.index(row, view.batch_model.columnCount() - 1).data() == name
    assert (
        view.batch_model.headerData(view.batch_model.columnCount() - 1, Qt.Orientation.Horizontal) == "Batch"
    )
    assert view.results_file_name(selected) == name.replace("·", "-") + " - results.csv"
    results = tmp_path / "results.csv"
    monkeypatch.setattr(view, "ask_results_path", lambda _summary: results)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(results.exists, timeout=10_000)
    with results.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row", "input", "member", "outcome"]
    by_row = {int(r[0]): r for r in rows[1:]}
    assert len(by_row) == 12
    assert by_row[2][2:] == [fresh[0].username, "awarded"]
    assert by_row[4][3] == "skipped: blank"
    assert dialog.plan is not None
    assert by_row[6][3] == "invalid: " + dialog.plan.invalid_rows[0][2]
    assert by_row[8][3] == "skipped: same as row 2"
    assert by_row[9][3] == "not found"
    assert by_row[10][3] == "skipped: already holds the badge"
    assert by_row[11][3] == "skipped: member suspended or deleted"
    window.grab().save(str(artifacts / "outbox_pane.png"))


def test_a_dry_run_overtaken_by_a_change_of_the_form_is_dropped(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path / "c")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 6)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
    tasks = TaskManager()
    session = AppSession(Community("t", None, cache), tasks)
    gate = threading.Event()

    def slow_dry_run(*args: Any, **kwargs: Any) -> Any:
        gate.wait(10)
        return dry_run(*args, **kwargs)

    monkeypatch.setattr(batch_dialog, "dry_run", slow_dry_run)
    dialog = BatchDialog(session, member_ids=[1, 2, 3], kind=ActionKind.AWARD)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.badge_combo.count() == 2)
    dialog.select_badge(1)
    dialog.start_dry_run()
    dialog.kind_combo.setCurrentIndex(1)  # revoke, while the award dry run is still reading
    gate.set()
    qtbot.waitUntil(lambda: tasks.active == 0)
    assert dialog.plan is None and not dialog.queue_button.isEnabled()
    dialog.start_dry_run()
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert dialog.plan is not None and dialog.plan.kind is ActionKind.REVOKE
    tasks.shutdown()
    cache.close()
