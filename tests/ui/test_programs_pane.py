"""The Programs pane on the demo community: the list (last run, due), duplicate, delete, run, and the
selected program's history: its runs and winners by period, a run's batch shown in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.domain import BadgeState
from desktop.programs.dry_run import program_dry_run
from desktop.programs.history import ProgramHistory, ProgramRow, RunRow
from desktop.programs.model import Program, ProgramRun, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.runs import queue_run
from desktop.programs.sources.base import Candidate, SourceResult
from desktop.programs.store import ProgramStore
from desktop.settings import Settings
from tests.ui.conftest import community_of, wait_idle_after_sync, window_of
from tests.ui.test_dark_palette import AA, assert_readable, contrast, dark_palette
from tests.ui.test_plain_text import window  # noqa: F401  (the main window on a small cache)
from tests.ui.test_program_editor import open_programs
from ui.programs.editor import BADGE, ProgramEditorDialog
from ui.programs.pane import ProgramsPane
from ui.programs.run_dialog import ProgramRunDialog
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow

W48 = from_key(Cadence.WEEKLY, "2026-W48")
W49 = from_key(Cadence.WEEKLY, "2026-W49")
NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
TODAY = date(2026, 12, 7)


@pytest.fixture()
def demo(qtbot: QtBot, make_controller: Callable[..., AppController]) -> AppController:
    controller = make_controller(demo_members=300)
    wait_idle_after_sync(qtbot, controller)
    return controller


def badge_and_winners(cache: Cache, count: int) -> tuple[int, list[tuple[int, str, str]]]:
    """A published badge and ``count`` active members who do not hold it: (id, username, display name)."""
    badge_id = min(b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, username, display_name FROM members WHERE status = 'active' AND id NOT IN"
            " (SELECT member_id FROM awards WHERE badge_id = ?) ORDER BY id LIMIT ?",
            (badge_id, count),
        ).all()
    return badge_id, [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def leaderboard(name: str, badge_id: int, cadence: Cadence = Cadence.WEEKLY) -> ProgramSpec:
    source = SourceSpec("leaderboard", {"measure": "likes_received", "top": 2})
    return ProgramSpec(name, source, badge_id, cadence)


def shown(pane: ProgramsPane) -> list[list[str]]:
    model = pane.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def reload(qtbot: QtBot, pane: ProgramsPane) -> None:
    pane.reload()
    qtbot.waitUntil(lambda: pane.idle, timeout=10_000)


def test_the_list_says_what_is_due_and_programs_are_duplicated_deleted_and_run(
    qtbot: QtBot, demo: AppController
) -> None:
    cache = community_of(demo).cache
    badge_id, winners = badge_and_winners(cache, 1)
    store = ProgramStore(cache)
    weekly = store.create(leaderboard("Top contributor", badge_id))
    store.create(ProgramSpec("Ten Year Club", SourceSpec("tenure", {"years": 10}), badge_id, Cadence.YEARLY))
    board = SourceResult((Candidate(winners[0][0], "120 likes received this week", 120),))
    queue_run(community_of(demo).outbox, program_dry_run(cache, weekly, W48, board, now=NOW))
    pane = open_programs(qtbot, demo)
    pane.today = lambda: TODAY
    reload(qtbot, pane)
    rows = shown(pane)
    assert [row[0] for row in rows] == ["Ten Year Club", "Top contributor"]
    assert rows[0][1:3] == ["10 years a member", "Yearly"] and rows[0][4:] == ["never", "due: 2025"]
    assert rows[1][1:3] == ["Top 2 by likes received", "Weekly"]
    assert rows[1][4].startswith("2026-W48, ") and rows[1][5] == "due: 2026-W49"
    assert pane.summary.text() == "2 programs; 2 due to run."
    # Nothing selected: nothing to edit, duplicate, delete or run.
    assert not any(b.isEnabled() for b in (pane.edit_button, pane.delete_button, pane.run_button))
    assert pane.new_button.isEnabled()

    # Run… (Ctrl+Return) asks for the run of the selected program.
    pane.select_program(weekly.id)
    assert pane.run_button.isEnabled()
    with qtbot.waitSignal(pane.run_requested) as asked:
        qtbot.keyClick(pane.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked.args == [weekly.id]
    # The window opens the program's run dialog (its dry run): closed here, the pane goes on.
    main = window_of(demo)
    qtbot.waitUntil(lambda: bool(main.findChildren(ProgramRunDialog)), timeout=10_000)
    for dialog in main.findChildren(ProgramRunDialog):
        qtbot.waitUntil(lambda d=dialog: d._reading is None, timeout=30_000)  # type: ignore[misc]
        dialog.close()
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    pane.table.setFocus()

    # Duplicate (Ctrl+D): the copy is listed and selected, without the original's runs.
    qtbot.keyClick(pane.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pane.idle and pane.model.rowCount() == 3, timeout=10_000)
    copy = pane.selected()
    assert copy is not None and copy.name == "Top contributor (copy)"
    assert shown(pane)[2][4] == "never"

    # Delete asks first; No keeps it.
    asked_about: list[str] = []

    def answer(yes: bool) -> Callable[[QWidget | None, str, str], bool]:
        def ask(_parent: QWidget | None, _title: str, text: str) -> bool:
            asked_about.append(text)
            return yes

        return ask

    pane.confirm = answer(False)
    qtbot.keyClick(pane.table, Qt.Key.Key_Delete)
    assert len(asked_about) == 1 and "“Top contributor (copy)”" in asked_about[0]
    reload(qtbot, pane)
    assert pane.model.rowCount() == 3
    # Yes deletes the copy; the original keeps its runs.
    pane.select_program(weekly.id)
    pane.confirm = answer(True)
    pane.delete_button.click()
    qtbot.waitUntil(lambda: pane.idle and pane.model.rowCount() == 2, timeout=10_000)
    assert [row[0] for row in shown(pane)] == ["Ten Year Club", "Top contributor (copy)"]
    deleted = store.get(weekly.id)
    assert deleted is not None and deleted.deleted_at is not None
    assert [r.period_key for r in store.runs(weekly.id)] == ["2026-W48"]

    # Enter on a program opens it in the editor.
    pane.table.setFocus()
    pane.select_program(store.programs()[0].id)
    qtbot.keyClick(pane.table, Qt.Key.Key_Return)
    assert pane.editor is not None and pane.editor.name_edit.text() == "Ten Year Club"
    pane.editor.reject()


def test_the_history_shows_the_runs_and_the_winners_by_period_and_a_runs_batch(
    qtbot: QtBot, demo: AppController, artifacts: Path
) -> None:
    cache = community_of(demo).cache
    outbox = community_of(demo).outbox
    badge_id, members = badge_and_winners(cache, 3)
    (first, first_name, first_display), (second, second_name, _display), (third, _third, _d) = members
    store = ProgramStore(cache)
    program: Program = store.create(leaderboard("Top contributor", badge_id))
    week48 = SourceResult(
        (
            Candidate(first, "142 likes received this week", 142),
            Candidate(second, "90 likes received this week", 90),
        )
    )
    week49 = SourceResult((Candidate(third, "77 likes received this week", 77),))
    queued48 = queue_run(outbox, program_dry_run(cache, program, W48, week48, now=NOW))
    queued49 = queue_run(outbox, program_dry_run(cache, program, W49, week49, now=NOW))
    assert queued48.batch is not None and queued49.batch is not None
    pane = open_programs(qtbot, demo)
    pane.today = lambda: TODAY
    reload(qtbot, pane)
    assert pane.history.summary.text() == "Choose a program to see its runs and winners."
    pane.select_program(program.id)
    qtbot.waitUntil(lambda: pane.idle and pane.history.runs_model.rowCount() == 2, timeout=10_000)
    history = pane.history
    assert history.summary.text() == "2 runs, 3 winners."
    runs = history.runs_model
    assert [[runs.index(r, c).data() for c in range(1, 5)] for r in range(2)] == [
        ["2026-W49", "1", "", queued49.batch.name],
        ["2026-W48", "2", "", queued48.batch.name],
    ]
    assert queued48.batch.name == "Top contributor · 2026-W48 · 2 members"
    winners = history.winners_model
    table = [[winners.index(r, c).data() for c in range(4)] for r in range(winners.rowCount())]
    assert [row[0] for row in table] == ["2026-W49", "2026-W48", "2026-W48"]
    by_reason = {row[2]: row for row in table}
    assert by_reason["142 likes received this week"][1] == f"{first_display} (@{first_name})"
    assert second_name in by_reason["90 likes received this week"][1]
    # Not shown as awarded before the server confirmed it.
    assert {row[3] for row in table} <= {"pending", "sending", "done"}
    main = window_of(demo)
    main.resize(1366, 740)
    pane.grab().save(str(artifacts / "programs-pane.png"))

    # Enter on a run shows its batch in the audit log.
    history.runs.setFocus()
    history.runs.setCurrentIndex(runs.index(1, 0))
    qtbot.keyClick(history.runs, Qt.Key.Key_Return)
    assert main.tabs.currentWidget() is main.audit
    assert main.audit.current_filter().batch_id == queued48.batch.id


def test_the_pane_and_the_editor_read_on_a_dark_palette(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    qapp: QApplication,
    artifacts: Path,
) -> None:
    previous = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        editor = ProgramEditorDialog(window.session, Settings(), parent=window)
        qtbot.addWidget(editor)
        editor.name_edit.setText("Top contributor")
        editor.source.kind_combo.setCurrentIndex(editor.source.kind_combo.findData("tenure"))
        editor.save()  # no badge chosen: said next to the badge
        editor.error_label.setText("The badges could not be read.")
        editor.show()
        assert editor.error_of(BADGE) != ""
        assert_readable(editor, at_least=2)
        editor.grab().save(str(artifacts / "program-editor-dark.png"))

        spec = ProgramSpec("Top contributor", SourceSpec("tenure", {"years": 1}), 1, Cadence.WEEKLY)
        due = Program(1, spec, NOW, NOW)
        broken = Program(2, spec, NOW, NOW, problem="Its rule conditions cannot be read.")
        rows = [ProgramRow(due, "Welcome", "", None, W49), ProgramRow(broken, "Welcome", "", None, None)]
        model = window.programs.model
        model.set_rows(rows)
        base = dark_palette().color(QPalette.ColorRole.Base)
        brushes = [model.index(row, model.DUE).data(Qt.ItemDataRole.ForegroundRole) for row in (0, 1)]
        assert all(brush is not None for brush in brushes)
        assert all(contrast(brush.color(), base) >= AA for brush in brushes), [
            b.color().name() for b in brushes
        ]
        assert [model.index(row, model.DUE).data() for row in (0, 1)] == ["due: 2026-W49", "cannot run"]
    finally:
        qapp.setPalette(previous)


def test_a_runs_revokes_have_a_column_and_enter_there_shows_their_batch(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
) -> None:
    run = ProgramRun(
        1, 1, "2026-W49", NOW, "awards-1", {"queued": 2, "revoked": 1}, revoke_batch_id="revokes-1"
    )
    only_revokes = ProgramRun(
        2, 1, "2026-W50", NOW, None, {"queued": 0, "revoked": 3}, revoke_batch_id="revokes-2"
    )
    rows = (
        RunRow(run, 2, "Certified · 2026-W49 · 2 members", 1, "Certified · 2026-W49 · revokes · 1 member"),
        RunRow(only_revokes, 0, "", 3, "Certified · 2026-W50 · revokes · 3 members"),
    )
    history = window.programs.history
    history._show(ProgramHistory(1, rows, ()))
    model = history.runs_model
    assert [model.index(0, c).data() for c in (model.AWARDED, model.REVOKED)] == ["2", "1"]
    assert model.index(1, model.BATCH).data() == "nothing new to award"
    assert "revokes · 1 member" in model.index(0, model.REVOKED).data(Qt.ItemDataRole.ToolTipRole)
    shown: list[tuple[str, str]] = []
    history.show_batch.connect(lambda batch_id, name: shown.append((batch_id, name)))
    for row, column in ((0, model.PERIOD), (0, model.REVOKED), (1, model.PERIOD)):
        history.runs.activated.emit(model.index(row, column))
    assert [batch_id for batch_id, _name in shown] == ["awards-1", "revokes-1", "revokes-2"]
    assert shown[1][1] == "Certified · 2026-W49 · revokes · 1 member"
