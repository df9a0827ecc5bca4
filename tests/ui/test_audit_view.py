"""The Audit log pane with qtbot, on an outbox filled and sent by hand (no server)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from desktop.audit import AUDIT_COLUMNS
from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionKind, BadgeRequest, ChangeSet, Decision, MemberStatus, RequestState
from desktop.net.errors import ApiError
from desktop.outbox import Batch, Outbox
from tests.core.test_cache import badge, member
from tests.core.test_outbox import T0, FakeServer
from ui.audit.audit_view import AuditLogView
from ui.audit.model import BADGE, BATCH, CONFIRMED, MEMBER, STATE, WHO, WHY
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.widgets.colours import colour
from ui.widgets.text import plain_tooltip

W = TypeVar("W", bound=QWidget)

HYPERLINK = '=HYPERLINK("x")'
BOLD = "<b>bold</b>"


@dataclass
class Seeded:
    cache: Cache
    speakers: Batch
    helpers: Batch


def seed(cache: Cache) -> Seeded:
    """Nine actions by two moderators: done, held, failed and still pending ones.

    Action ids: 1-3 awards of the "speakers" batch (done), 4 a revoke (done),
    5 an award to a suspended member (held), 6 a refused revoke (failed),
    7-8 the "helpers" batch (pending), 9 a decision (pending).
    """
    names = {1: "Ann Lee", 2: "Bo Chen", 3: "Cy Diaz", 4: "Dee Evans", 5: "Eve Fox", 6: HYPERLINK, 7: BOLD}
    with cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                member(i, name, MemberStatus.SUSPENDED if i == 5 else MemberStatus.ACTIVE)
                for i, name in names.items()
            ],
        )
        Cache.upsert_badges(
            connection, [replace(badge(1), title="Speaker"), replace(badge(2), title="Mentor")]
        )
        Cache.upsert_requests(
            connection, [BadgeRequest(1, 4, 2, "I mentor", None, T0, RequestState.PENDING, 1)]
        )
        # A synced cache: awards whose member changed are held before sending.
        Cache.set_sync_state(connection, {"last_sync_at": "1"})
    alice = Outbox(cache, actor="Alice Moderator")
    bob = Outbox(cache, actor="Bob Moderator")
    server = FakeServer()

    def send() -> None:
        alice.send_pending(server, batch_cap=5)

    speakers = alice.queue_batch(ActionKind.AWARD, 1, [1, 2, 3], reason="Conference speakers")
    send()
    bob.queue_revokes([1], 1, reason="Duplicate award")
    alice.queue_awards([5], 2, reason="Mentoring")
    send()
    alice.queue_revokes([2], 1, reason="Left the talk")
    server.fail_next.append(ApiError("The server refused the request", status=400))
    send()
    helpers = bob.queue_batch(ActionKind.AWARD, 2, [6, 7], reason="Helpful answers")
    bob.queue_decision(1, 1, Decision.APPROVE, reason="Good evidence")
    return Seeded(cache, speakers, helpers)


@pytest.fixture()
def seeded(tmp_path: Path) -> Iterator[Seeded]:
    cache = Cache(tmp_path / "cache")
    yield seed(cache)
    cache.close()


@pytest.fixture()
def make_view(qtbot: QtBot, seeded: Seeded) -> Iterator[Callable[..., AuditLogView]]:
    tasks = TaskManager()
    session = AppSession(Community("test", None, seeded.cache), tasks)

    def make(**kwargs: Any) -> AuditLogView:
        widget = AuditLogView(session, **kwargs)
        qtbot.addWidget(widget)
        widget.resize(1400, 520)
        widget.show()
        settle(widget, qtbot)
        return widget

    yield make
    tasks.shutdown()
    assert tasks.active == 0
    # On the GUI thread: the garbage collector may run on a worker thread.
    session.deleteLater()
    tasks.deleteLater()


@pytest.fixture()
def view(make_view: Callable[..., AuditLogView]) -> AuditLogView:
    return make_view()


def child(view: AuditLogView, kind: type[W], name: str) -> W:
    """A widget of the view by its objectName (as a test of the main window finds it)."""
    widget = view.findChild(kind, name)
    assert isinstance(widget, kind), name
    return widget


def settle(view: AuditLogView, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: view.idle and view.shown_filter is not None, timeout=10_000)


def ids(view: AuditLogView, qtbot: QtBot) -> list[int]:
    settle(view, qtbot)
    return [e.id for e in view.model.entries]


def cell(view: AuditLogView, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return view.model.data(view.model.index(row, column), role)


def test_rows_are_newest_first_with_members_and_badges(view: AuditLogView, seeded: Seeded) -> None:
    assert [e.id for e in view.model.entries] == [9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert view.count_label.text() == "9 entries"
    assert not view.more_button.isVisible()
    table = child(view, QTableView, "auditTable")
    assert table is view.table and table.model() is view.model
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())]
    assert headers == [
        "When",
        "Who",
        "Action",
        "Member",
        "Badge / request",
        "Why",
        "Batch",
        "State",
        "Outcome",
        "Detail",
        "Confirmed",
    ]

    def row(r: int) -> list[object]:
        return [cell(view, r, c) for c in range(1, 10)]

    # The decision names the request's member and badge.
    assert row(0) == [
        "Bob Moderator",
        "Decision",
        "Dee Evans (@user4)",
        "request #1: Mentor",
        "approve: Good evidence",
        "",
        "pending",
        "",
        "",
    ]
    assert row(3) == [
        "Alice Moderator",
        "Revoke",
        "Bo Chen (@user2)",
        "Speaker",
        "Left the talk",
        "",
        "failed",
        "refused",
        "The server refused the request",
    ]
    assert row(4)[5:8] == ["", "held", ""]
    assert cell(view, 4, 9 + 0) == "the member is suspended"
    assert row(5)[:4] == ["Bob Moderator", "Revoke", "Ann Lee (@user1)", "Speaker"]
    assert row(5)[6:8] == ["done", "revoked"]
    # The batch shows its name for people; the tooltip has its id too.
    name = seeded.speakers.name
    assert name.startswith("Speaker · ") and name.endswith(" · #1 · 3 members")
    assert cell(view, 8, BATCH) == name
    tooltip = str(cell(view, 8, BATCH, Qt.ItemDataRole.ToolTipRole))
    assert seeded.speakers.id in tooltip and "#1 · 3 members" in tooltip
    assert cell(view, 0, BATCH) == "" and cell(view, 0, BATCH, Qt.ItemDataRole.ToolTipRole) is None
    assert cell(view, 8, CONFIRMED) != "" and cell(view, 8, STATE) == "done"
    assert cell(view, 1, CONFIRMED) == ""
    # Failed and held rows stand out; the others do not.
    for r in (3, 4):
        brush = cell(view, r, MEMBER, Qt.ItemDataRole.ForegroundRole)
        assert isinstance(brush, QBrush) and brush.color() == colour("error")
        assert cell(view, r, STATE, Qt.ItemDataRole.DecorationRole) is not None
    assert cell(view, 5, MEMBER, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(view, 5, STATE, Qt.ItemDataRole.DecorationRole) is None
    # "Who" was filled from the log.
    actor_box = child(view, QComboBox, "auditActor")
    assert [actor_box.itemText(i) for i in range(actor_box.count())] == [
        "Anyone",
        "Alice Moderator",
        "Bob Moderator",
    ]


def test_each_filter_narrows_the_rows(view: AuditLogView, qtbot: QtBot, seeded: Seeded) -> None:
    kind = child(view, QComboBox, "auditKind")
    state = child(view, QComboBox, "auditState")
    actor = child(view, QComboBox, "auditActor")
    batch = child(view, QLineEdit, "auditBatch")
    text = child(view, QLineEdit, "auditText")

    kind.setCurrentText("Revoke")
    assert ids(view, qtbot) == [6, 4]
    assert view.count_label.text() == "2 entries"
    kind.setCurrentText("Decision")
    assert ids(view, qtbot) == [9]
    assert view.count_label.text() == "1 entry"
    kind.setCurrentText("Award")
    assert ids(view, qtbot) == [8, 7, 5, 3, 2, 1]
    kind.setCurrentIndex(0)

    state.setCurrentText("done")
    assert ids(view, qtbot) == [4, 3, 2, 1]
    state.setCurrentText("held")
    assert ids(view, qtbot) == [5]
    state.setCurrentText("needs me")
    assert ids(view, qtbot) == [6, 5]
    state.setCurrentText("conflict")
    assert ids(view, qtbot) == []
    assert view.count_label.text() == "No entries match these filters."
    state.setCurrentIndex(0)

    actor.setCurrentText("Bob Moderator")
    assert ids(view, qtbot) == [9, 8, 7, 4]
    # Filters combine.
    kind.setCurrentText("Award")
    assert ids(view, qtbot) == [8, 7]
    kind.setCurrentIndex(0)
    actor.setCurrentIndex(0)

    # Typing is debounced: one query after the last keystroke.
    qtbot.keyClicks(batch, seeded.helpers.id[:4])
    assert not view.idle
    assert ids(view, qtbot) == [8, 7]
    batch.clear()
    # By its name: a badge's title, a date, a number, any case.
    batch.setText("mentor · ")
    assert ids(view, qtbot) == [8, 7]
    batch.setText("#1 · 3 MEMBERS")
    assert ids(view, qtbot) == [3, 2, 1]
    batch.setText("#2 ·")
    assert ids(view, qtbot) == []
    batch.clear()

    qtbot.keyClicks(text, "mentor")  # a badge title, any case
    assert ids(view, qtbot) == [9, 8, 7, 5]
    text.setText("user2")  # a username
    assert ids(view, qtbot) == [6, 2]
    text.setText("user3@example")  # an email
    assert ids(view, qtbot) == [3]
    text.setText("nobody at all")
    assert ids(view, qtbot) == []

    view.clear_filters()
    assert ids(view, qtbot) == [9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert text.text() == "" and kind.currentIndex() == 0


def test_date_bounds_include_their_whole_day(view: AuditLogView, qtbot: QtBot) -> None:
    since_on = child(view, QCheckBox, "auditSinceOn")
    until_on = child(view, QCheckBox, "auditUntilOn")
    since = child(view, QDateEdit, "auditSince")
    until = child(view, QDateEdit, "auditUntil")
    assert not since.isEnabled()
    today = QDate.currentDate()
    since.setDate(today)
    since_on.setChecked(True)
    assert since.isEnabled()
    until.setDate(today)
    until_on.setChecked(True)
    assert len(ids(view, qtbot)) == 9
    until.setDate(today.addDays(-1))
    assert ids(view, qtbot) == []
    since.setDate(today.addDays(1))
    until.setDate(today.addDays(3))
    assert ids(view, qtbot) == []
    until_on.setChecked(False)
    since.setDate(today.addDays(-2))
    assert len(ids(view, qtbot)) == 9


def test_load_more_appends_older_pages(make_view: Callable[..., AuditLogView], qtbot: QtBot) -> None:
    view = make_view(page_size=4)
    more = child(view, QPushButton, "auditMore")
    assert [e.id for e in view.model.entries] == [9, 8, 7, 6]
    assert view.count_label.text() == "9 entries · showing the newest 4"
    assert more.isVisible() and more.text() == "Load 4 more"
    qtbot.mouseClick(more, Qt.MouseButton.LeftButton)
    assert ids(view, qtbot) == [9, 8, 7, 6, 5, 4, 3, 2]
    assert more.text() == "Load 1 more"
    # Another action arrives: the log reloads as many rows as were shown.
    Outbox(view.session.community.cache, actor="Carol Moderator").queue_revokes([3], 1, reason="Oops")
    view.session.changed.emit(ChangeSet(outbox=True))
    assert not view.idle
    assert ids(view, qtbot) == [10, 9, 8, 7, 6, 5, 4, 3]
    assert view.count_label.text() == "10 entries · showing the newest 8"
    assert view.actor_box.findText("Carol Moderator") > 0
    qtbot.mouseClick(more, Qt.MouseButton.LeftButton)
    assert ids(view, qtbot) == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert not more.isVisible()
    assert view.count_label.text() == "10 entries"
    # Paging keeps to the filter.
    view.state_box.setCurrentText("done")
    assert ids(view, qtbot) == [4, 3, 2, 1]
    assert not more.isVisible()


def test_only_outbox_changes_reload(view: AuditLogView, qtbot: QtBot) -> None:
    view.session.changed.emit(ChangeSet(members=frozenset({1}), awards=True))
    assert view.idle
    view.session.changed.emit(ChangeSet(reset=True))
    assert not view.idle
    settle(view, qtbot)
    # Hidden, the view waits until it is shown again.
    view.hide()
    Outbox(view.session.community.cache, actor="Carol Moderator").queue_awards([4], 1)
    view.session.changed.emit(ChangeSet(outbox=True))
    assert view.idle and view.model.rowCount() == 9
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 10)


def test_export_writes_the_filtered_rows(
    view: AuditLogView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded: Seeded
) -> None:
    messages: list[str] = []
    view.message.connect(messages.append)
    button = child(view, QPushButton, "auditExport")
    # Cancelling the dialog does nothing.
    monkeypatch.setattr(view, "_ask_export_path", lambda: None)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not view.exporting and messages == []

    target = tmp_path / "done.csv"
    monkeypatch.setattr(view, "_ask_export_path", lambda: target)
    view.state_box.setCurrentText("done")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert view.exporting and button.text() == "Cancel export"
    qtbot.waitUntil(lambda: not view.exporting, timeout=10_000)
    assert button.text() == "Export CSV…"
    assert messages[-1] == f"Exported 4 audit entries to {target}"
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(AUDIT_COLUMNS)
    assert [(r[1], r[2], r[3], r[9]) for r in rows[1:]] == [
        ("Bob Moderator", "revoke", "Ann Lee (@user1)", "done"),
        ("Alice Moderator", "award", "Cy Diaz (@user3)", "done"),
        ("Alice Moderator", "award", "Bo Chen (@user2)", "done"),
        ("Alice Moderator", "award", "Ann Lee (@user1)", "done"),
    ]
    # The batch by its name for people, its id beside it for machines.
    assert rows[0][7:9] == ["batch", "batch_id"]
    assert [r[7:9] for r in rows[1:]] == [["", ""]] + [[seeded.speakers.name, seeded.speakers.id]] * 3

    # What was typed counts even before the table caught up; formulas stay text.
    view.state_box.setCurrentIndex(0)
    settle(view, qtbot)
    view.text_box.setText("hyperlink")
    formula = tmp_path / "formula.csv"
    view.export_to(formula)
    qtbot.waitUntil(lambda: not view.exporting, timeout=10_000)
    with formula.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[3] for r in rows[1:]] == [f"'{HYPERLINK} (@user6)"]
    assert messages[-1] == f"Exported 1 audit entry to {formula}"
    assert ids(view, qtbot) == [7]


def test_export_failure_is_reported(view: AuditLogView, qtbot: QtBot, tmp_path: Path) -> None:
    messages: list[str] = []
    view.message.connect(messages.append)
    view.export_to(tmp_path / "no such dir" / "log.csv")
    qtbot.waitUntil(lambda: not view.exporting, timeout=10_000)
    assert messages[-1].startswith("Export failed (No such file or directory: log.csv")
    assert messages[-1].endswith("check that the folder exists or choose another place.")


def test_member_text_shows_literally(view: AuditLogView) -> None:
    texts = [cell(view, r, MEMBER) for r in range(view.model.rowCount())]
    assert f"{HYPERLINK} (@user6)" in texts
    assert f"{BOLD} (@user7)" in texts
    row = texts.index(f"{BOLD} (@user7)")
    tooltip = cell(view, row, MEMBER, Qt.ItemDataRole.ToolTipRole)
    assert tooltip == plain_tooltip(f"{BOLD} (@user7)")
    assert "&lt;b&gt;bold&lt;/b&gt;" in str(tooltip)
    assert cell(view, row, WHO) == "Bob Moderator"
    assert cell(view, row, WHY) == "Helpful answers"
    assert cell(view, row, BADGE) == "Mentor"


def test_show_batch_clears_the_other_filters(view: AuditLogView, qtbot: QtBot, seeded: Seeded) -> None:
    view.kind_box.setCurrentText("Revoke")
    view.text_box.setText("ann")
    assert ids(view, qtbot) == [4]
    view.show_batch(seeded.speakers.id, seeded.speakers.name)
    assert view.batch_box.text() == seeded.speakers.name
    assert view.kind_box.currentIndex() == 0 and view.text_box.text() == ""
    assert ids(view, qtbot) == [3, 2, 1]
    assert view.count_label.text() == "3 entries"
    assert view.current_filter().batch_id == seeded.speakers.id
    # Without a name, the id shows; edited, the text matches names again.
    view.show_batch(seeded.helpers.id)
    assert view.batch_box.text() == seeded.helpers.id
    assert ids(view, qtbot) == [8, 7]
    view.batch_box.setText("Speaker")
    assert view.current_filter().batch_id is None
    assert ids(view, qtbot) == [3, 2, 1]


def test_ctrl_f_focuses_the_text_filter(view: AuditLogView, qtbot: QtBot) -> None:
    view.activateWindow()
    qtbot.waitUntil(lambda: view.isActiveWindow())
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.text_box.hasFocus()


def test_screenshot(view: AuditLogView, qtbot: QtBot, artifacts: Path) -> None:
    view.table.selectRow(1)
    qtbot.wait(100)
    view.grab().save(str(artifacts / "audit_log.png"))
