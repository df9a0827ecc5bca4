"""The editor's "Rank by" offers solutions only where the server counts them (Discourse with the Solved
plugin's directory column), and a stored program ranking by solutions keeps its measure where the
server does not, saying so, as a kind the server cannot read does."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.dialects.capabilities import Capabilities
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence
from desktop.programs.store import ProgramStore
from desktop.settings import Settings
from tests.ui.conftest import community_of, session_of
from tests.ui.test_program_editor import demo, open_programs, published, wait_ready
from ui.programs.editor import ProgramEditorDialog
from ui.shell.controller import AppController

__all__ = ["demo"]  # the fixture, shared with the editor's other tests


def _editor(
    qtbot: QtBot, controller: AppController, known: Capabilities, program: object = None
) -> ProgramEditorDialog:
    editor = ProgramEditorDialog(session_of(controller), Settings(), program, capabilities=known)  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    wait_ready(qtbot, editor)
    source = editor.source
    source.kind_combo.setCurrentIndex(source.kind_combo.findData("leaderboard"))
    return editor


def _measures(editor: ProgramEditorDialog) -> list[str]:
    combo = editor.source.measure_combo
    return [str(combo.itemData(i)) for i in range(combo.count())]


def test_solutions_are_offered_only_where_the_server_counts_them(
    qtbot: QtBot, demo: AppController, artifacts: Path
) -> None:
    known = session_of(demo).capabilities
    assert known is not None
    # BadgeDesk's own server keeps no accepted answers.
    assert "solutions" not in known.activity_measures
    plain = _editor(qtbot, demo, known)
    assert _measures(plain) == ["likes_received", "replies", "topics", "days_visited"]

    solved = dataclasses.replace(known, activity_measures=(*known.activity_measures, "solutions"))
    session_of(demo).capabilities = solved  # as a sync with a Discourse forum with Solved on stores
    pane = open_programs(qtbot, demo)
    qtbot.keyClick(pane.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N: New…
    editor = pane.editor
    assert editor is not None
    wait_ready(qtbot, editor)
    assert _measures(editor) == ["likes_received", "replies", "topics", "days_visited", "solutions"]
    qtbot.keyClicks(editor.name_edit, "Most solutions")
    combo = editor.source.measure_combo
    combo.setCurrentIndex(combo.findData("solutions"))
    assert combo.currentText() == "solutions"
    editor.cadence_combo.setCurrentIndex(editor.cadence_combo.findData("monthly"))
    assert editor.source.spec(one_off=False).params["measure"] == "solutions"
    QApplication.processEvents()  # the form's layout follows the source's page
    editor.grab().save(str(artifacts / "program-editor-solutions.png"))
    editor.reject()


def test_a_stored_solutions_program_keeps_its_measure_where_not_counted(
    qtbot: QtBot, demo: AppController
) -> None:
    known = session_of(demo).capabilities
    assert known is not None
    cache = community_of(demo).cache
    spec = SourceSpec("leaderboard", {"measure": "solutions", "top": 1})
    program = ProgramStore(cache).create(
        ProgramSpec("Most solutions", spec, published(cache)[0][0], Cadence.MONTHLY)
    )
    editor = _editor(qtbot, demo, known, program)
    combo = editor.source.measure_combo
    assert combo.currentData() == "solutions"
    assert combo.currentText() == "solutions (this server does not count them)"
    assert editor.source.spec(one_off=False).params["measure"] == "solutions"
