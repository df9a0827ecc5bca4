"""The Outbox pane and the batch builder, ready for translation.

In English (the tests' en_US): counts by the locale and with their plural forms
("1 action", "20,000"), dates by the locale, stored values shown in words. Under
the pseudo-translation of a template made from ``ui/outbox`` alone: every text
these views show is bracketed, so none was left unwrapped or wrapped where
lupdate cannot read it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop import i18n as core_i18n
from desktop.audit import AuditEntry
from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionKind, ActionState, Badge, BadgeState, ChangeSet
from desktop.outbox import Batch, BatchSummary, HoldReason, SendReport
from tests.core.test_member_search import MEMBERS
from ui.i18n import DATA_PROPERTY, format_datetime
from ui.i18n_catalog import extract, pseudo_translator, ui_sources
from ui.operations import TaskManager
from ui.outbox.batch_dialog import BatchDialog
from ui.outbox.model import ActionTableModel, BatchTableModel
from ui.outbox.outbox_view import OutboxView, format_eta
from ui.session.app_session import AppSession
from ui.widgets.load_failure import LoadFailure

QUEUED = datetime(2024, 1, 5, 15, 4, tzinfo=UTC)
HELPFUL = 40
Horizontal = Qt.Orientation.Horizontal


def _badge(i: int, title: str, state: BadgeState = BadgeState.PUBLISHED) -> Badge:
    return Badge(i, f"b{i}", title, "d", "", "", "", state, "", 1)


def _batch(**changes: object) -> Batch:
    batch = Batch("3f2a9c0d", ActionKind.AWARD, HELPFUL, "", True, None, "pasted list", "alice", QUEUED)
    return dataclasses.replace(batch, **changes)  # type: ignore[arg-type]


def _entry(state: ActionState, outcome: str = "", hold_reason: str | None = None) -> AuditEntry:
    return AuditEntry(
        1, QUEUED, "alice", ActionKind.AWARD, "jose.garcia", "Helpful", None, "", "3f2a9c0d",
        state, outcome, "", None, None, hold_reason,
    )  # fmt: skip


@pytest.fixture()
def session(tmp_path: Path) -> Iterator[AppSession]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
        Cache.upsert_badges(connection, [_badge(HELPFUL, "Helpful"), _badge(50, "Old", BadgeState.DISABLED)])
    community = Community("test", None, cache)
    tasks = TaskManager()
    yield AppSession(community, tasks)
    tasks.shutdown()
    community.close()


def test_the_tables_show_counts_dates_and_stored_values_in_the_users_words() -> None:
    batches = BatchTableModel()
    undo = _batch(undo_of="aaaaaa", source="undo of batch aaaaaa", undone_by="-")
    batches.set_rows([BatchSummary(undo, total=20_000, applied=1)], {HELPFUL: _badge(HELPFUL, "Helpful")})
    shown = [batches.index(0, column).data() for column in range(batches.columnCount())]
    assert shown[:5] == [format_datetime(QUEUED), "Award (undo)", "Helpful", "undo of batch aaaaaa", "alice"]
    assert shown[5:7] == ["20,000", "1"]
    assert "-01-" not in shown[0] and shown[0].endswith(("AM", "PM"))
    assert batches.headerData(7, Horizontal) == "No-op"
    assert "Undone" in batches.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)

    actions = ActionTableModel()
    actions.set_rows(
        [
            _entry(ActionState.DONE, "awarded"),
            _entry(ActionState.HELD, "", HoldReason.MEMBER_SUSPENDED.value),
            _entry(ActionState.DISCARDED, "skipped"),
            _entry(ActionState.DONE, "member_gone"),
        ]
    )
    assert [actions.index(row, 4).data() for row in range(4)] == ["done", "held", "discarded", "done"]
    why = [actions.index(row, 5).data() for row in range(4)]
    assert why[0] == "awarded" and why[2] == "skipped" and why[3] == "member gone"
    assert why[1].endswith(" (apply anyway or skip)")
    assert actions.headerData(5, Horizontal) == "Outcome / why"


def test_the_pane_counts_with_plural_forms_and_the_locales_digits(session: AppSession, qtbot: QtBot) -> None:
    view = OutboxView(session)
    qtbot.addWidget(view)
    view._got_items([_entry(ActionState.HELD)])
    assert view.items_label.text() == "1 action"
    view._got_items([_entry(ActionState.HELD)] * 2)
    assert view.items_label.text() == "2 actions"
    view._show_counts({ActionState.PENDING: 20_000, ActionState.HELD: 1})
    assert view.counts_label.text() == (
        "Outbox: Pending 20,000 · Sending 0 · Failed 0 · Conflict 0 · Held 1 · Done 0 · Discarded 0"
    )
    report = SendReport(queued=3, done=2, conflicts=1, failed=0, changes=ChangeSet(), applied=1_500, noop=1)
    view._send_finished(report)
    assert view.progress.format() == "Sent: 1,500 applied · 1 no-op · 1 conflict"
    view._send_finished(dataclasses.replace(report, conflicts=2, paused=True))
    assert view.progress.format() == "Paused after 1,500 applied · 1 no-op · 2 conflicts"
    assert [format_eta(s) for s in (None, 0.5, 1, 30, 600)] == [
        "estimating time left…",
        "less than a second left",
        "about 1 s left",
        "about 30 s left",
        "about 10 min left",
    ]


def _shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything ``root`` shows that our code wrote (not the user's data)."""
    found: list[tuple[str, str]] = [("window title", root.windowTitle())]
    for widget in root.findChildren(QWidget):
        if widget.property(DATA_PROPERTY) or any(isinstance(w, LoadFailure) for w in _ancestors(widget)):
            continue  # the user's data, or another folder's widget
        name = f"{type(widget).__name__} {widget.objectName()}"
        found += [(f"{name} tooltip", widget.toolTip()), (f"{name} name", widget.accessibleName())]
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((name, widget.text()))
        if isinstance(widget, QGroupBox):
            found.append((name, widget.title()))
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            found.append((f"{name} placeholder", widget.placeholderText()))
        if isinstance(widget, QProgressBar):
            found.append((name, widget.format()))
        if isinstance(widget, QComboBox):
            found += [(f"{name} item", widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, QTableView):
            model = widget.model()
            found += [(f"{name} header", model.headerData(c, Horizontal)) for c in range(model.columnCount())]
    return [(where, text) for where, text in found if any(c.isalpha() for c in text)]


def _ancestors(widget: QWidget) -> Iterator[QWidget]:
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


def test_every_text_of_the_outbox_and_the_batch_builder_is_wrapped(
    session: AppSession, qtbot: QtBot, tmp_path: Path
) -> None:
    template = tmp_path / "outbox.ts"
    extract(template, [path for path in ui_sources() if "outbox" in path.parts])
    translator = pseudo_translator(None, template)
    QCoreApplication.installTranslator(translator)
    before = core_i18n.use_translation(core_i18n.PseudoTranslations())
    try:
        view = OutboxView(session)
        qtbot.addWidget(view)
        dialog = BatchDialog(session, member_ids=[1, 2, 3], kind=ActionKind.REVOKE)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.badge_combo.count() == 2)
        # The disabled badge can be revoked: its title is data, the words around it ours.
        assert dialog.badge_combo.itemText(1).startswith("[Old (")
        view._got_items([_entry(ActionState.HELD)] * 3)
        texts = _shown_texts(view) + _shown_texts(dialog)
        assert len(texts) > 60
        unwrapped = [(where, text) for where, text in texts if not text.startswith("[")]
        assert unwrapped == []
    finally:
        QCoreApplication.removeTranslator(translator)
        core_i18n.use_translation(before)
