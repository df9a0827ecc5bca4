"""The program editor on the demo community: a weekly "most likes received" leaderboard made through it,
the sources a server offers, a topic found on the server, and refusals shown next to their field."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.domain import BadgeState
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence
from desktop.programs.store import ProgramStore
from desktop.rules import LastSeen, Unit, save_rule, within_last
from desktop.settings import Settings
from tests.ui.conftest import community_of, session_of, wait_idle_after_sync, window_of
from ui.programs.editor import ALUMNI, BADGE, MESSAGE, NAME, SOURCE, ProgramEditorDialog, ProgramFieldError
from ui.programs.pane import ProgramsPane
from ui.shell.controller import AppController


@pytest.fixture()
def demo(qtbot: QtBot, make_controller: Callable[..., AppController]) -> AppController:
    controller = make_controller(demo_members=300)
    wait_idle_after_sync(qtbot, controller)
    return controller


def open_programs(qtbot: QtBot, controller: AppController) -> ProgramsPane:
    window = window_of(controller)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    pane = window.programs
    window.view_actions[window.tabs.indexOf(pane)].trigger()  # View ▸ Programs (Ctrl+8)
    assert window.tabs.currentWidget() is pane
    qtbot.waitUntil(lambda: pane.idle and pane.loaded, timeout=10_000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    pane.table.setFocus()
    return pane


def published(cache: Cache) -> list[tuple[int, str]]:
    return sorted((b.id, b.title) for b in cache.badges() if b.state is BadgeState.PUBLISHED)


def wait_ready(qtbot: QtBot, editor: ProgramEditorDialog) -> None:
    qtbot.waitUntil(lambda: editor.idle and editor.badge_combo.count() > 0, timeout=10_000)


def kinds(editor: ProgramEditorDialog) -> list[str]:
    combo = editor.source.kind_combo
    return [str(combo.itemData(i)) for i in range(combo.count())]


def test_a_weekly_most_likes_leaderboard_is_made_through_the_editor_and_listed(
    qtbot: QtBot, demo: AppController, artifacts: Path
) -> None:
    pane = open_programs(qtbot, demo)
    assert pane.model.rowCount() == 0
    qtbot.keyClick(pane.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N: New…
    editor = pane.editor
    assert editor is not None and editor.isVisible()
    wait_ready(qtbot, editor)
    # The demo's server tells its activity: every kind of source is offered.
    assert kinds(editor) == ["list", "tenure", "leaderboard", "liked-posts", "topic", "posters"]

    badges = published(community_of(demo).cache)
    (badge_id, badge_title), (alumni_id, _alumni_title) = badges[0], badges[1]
    qtbot.keyClicks(editor.name_edit, "Top contributor")
    source = editor.source
    source.kind_combo.setCurrentIndex(source.kind_combo.findData("leaderboard"))
    assert source.stack.currentWidget() is source.pages["leaderboard"]
    source.measure_combo.setCurrentIndex(source.measure_combo.findData("likes_received"))
    assert source.measure_combo.currentText() == "likes received"
    source.board_top.setValue(3)
    source.board_winners.setValue(2)
    source.usernames_edit.setText("@admin, moderator")
    group_items = [source.groups_list.item(i) for i in range(source.groups_list.count())]
    assert group_items, "the demo has groups"
    group_items[0].setCheckState(Qt.CheckState.Checked)
    excluded_group = group_items[0].data(Qt.ItemDataRole.UserRole + 1)
    assert source.excluded_groups() == [excluded_group]
    editor.select_badge(badge_id)
    editor.select_badge(alumni_id, alumni=True)
    editor.message_edit.setPlainText("Well done {member}: top of the week!")
    editor.cadence_combo.setCurrentIndex(editor.cadence_combo.findData("weekly"))
    assert editor.cadence_combo.currentText() == "Weekly"
    QApplication.processEvents()  # the form's layout follows the source's page
    editor.grab().save(str(artifacts / "program-editor.png"))

    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save_button.click()
    qtbot.waitUntil(lambda: pane.idle and pane.model.rowCount() == 1, timeout=10_000)
    assert pane.editor is None  # closed (and deleted) once saved

    program = ProgramStore(community_of(demo).cache).named("Top contributor")
    assert program is not None
    spec = program.spec
    assert spec.source == SourceSpec(
        "leaderboard",
        {
            "measure": "likes_received",
            "top": 3,
            "exclude_groups": [excluded_group],
            "exclude_usernames": ["admin", "moderator"],
            "exclude_winners": 2,
        },
    )
    assert (spec.badge_id, spec.alumni_badge_id, spec.cadence) == (badge_id, alumni_id, Cadence.WEEKLY)
    assert spec.message == "Well done {member}: top of the week!" and spec.rule is None
    # Listed, with its source in words, and selected.
    model = pane.model
    assert [model.index(0, c).data() for c in range(4)] == [
        "Top contributor",
        "Top 3 by likes received",
        "Weekly",
        badge_title,
    ]
    assert model.index(0, model.LAST_RUN).data() == "never"
    assert model.index(0, model.DUE).data().startswith("due: ")
    assert pane.selected() is not None and pane.selected().id == program.id  # type: ignore[union-attr]

    # Edit…: the form shows what was saved; a change is saved as the program's next version.
    edit = pane.edit_program()
    assert edit is not None
    wait_ready(qtbot, edit)
    assert edit.name_edit.text() == "Top contributor"
    assert edit.source.kind == "leaderboard" and edit.source.board_top.value() == 3
    assert edit.source.excluded_groups() == spec.source.params["exclude_groups"]
    assert edit.badge_combo.currentData() == badge_id and edit.alumni_combo.currentData() == alumni_id
    edit.source.board_top.setValue(5)
    with qtbot.waitSignal(edit.saved, timeout=10_000):
        edit.save_button.click()
    qtbot.waitUntil(
        lambda: pane.idle and model.index(0, 1).data() == "Top 5 by likes received", timeout=10_000
    )
    changed = ProgramStore(community_of(demo).cache).get(program.id)
    assert changed is not None and changed.version == 2 and changed.spec.source.params["top"] == 5


def test_a_server_without_activity_offers_only_a_list_and_tenure(qtbot: QtBot, demo: AppController) -> None:
    session = session_of(demo)
    assert session.capabilities is not None
    without = dataclasses.replace(session.capabilities, activity_sources=())
    editor = ProgramEditorDialog(session, Settings(), capabilities=without)
    qtbot.addWidget(editor)
    wait_ready(qtbot, editor)
    assert kinds(editor) == ["list", "tenure"]
    assert [editor.source.kind_combo.itemText(i) for i in range(2)] == [
        "A list from another system",
        "Tenure: anniversaries in the period",
    ]
    # A program of a kind the server cannot read keeps its source when edited, and says so.
    cache = community_of(demo).cache
    badge_id = published(cache)[0][0]
    store = ProgramStore(cache)
    program = store.create(
        ProgramSpec("Outage", SourceSpec("topic", {"topic_id": 7, "min_posts": 2}), badge_id, Cadence.ONE_OFF)
    )
    edit = ProgramEditorDialog(session, Settings(), program, capabilities=without)
    qtbot.addWidget(edit)
    wait_ready(qtbot, edit)
    assert edit.source.kind == "topic"
    assert (
        edit.source.kind_combo.currentText() == "Everyone who posted in a topic (this server cannot read it)"
    )
    assert edit.spec().source == SourceSpec("topic", {"topic_id": 7, "min_posts": 2})


def test_refusals_are_shown_next_to_their_field_and_what_was_typed_stays(
    qtbot: QtBot, demo: AppController
) -> None:
    cache = community_of(demo).cache
    (badge_id, _title), (other_id, _other) = published(cache)[:2]
    ProgramStore(cache).create(
        ProgramSpec("Ten Year Club", SourceSpec("tenure", {"years": 10}), badge_id, Cadence.YEARLY)
    )
    editor = ProgramEditorDialog(session_of(demo), Settings())
    qtbot.addWidget(editor)
    editor.show()
    wait_ready(qtbot, editor)
    source = editor.source

    def save_refused(field: str) -> str:
        editor.save()
        qtbot.waitUntil(lambda: editor.idle and editor.error_of(field) != "", timeout=10_000)
        assert editor.isVisible()
        others = [f for f in (NAME, SOURCE, BADGE, ALUMNI, MESSAGE) if f != field]
        assert all(editor.error_of(f) == "" for f in others)
        return editor.error_of(field)

    # No badge chosen (none is, until the user picks one).
    source.kind_combo.setCurrentIndex(source.kind_combo.findData("list"))
    assert save_refused(SOURCE) == "Choose the file or folder the other system writes."
    # Browse… (and Choose folder…) fill the path with what the user picked.
    picked: list[bool] = []

    def pick(folder: bool) -> Path:
        picked.append(folder)
        return Path("exports") if folder else Path("exports") / "certified.csv"

    source.ask_path = pick
    source.folder_button.click()
    assert source.path_edit.text() == "exports"
    source.browse_button.click()
    assert picked == [True, False]
    assert source.path_edit.text() == str(Path("exports") / "certified.csv")
    assert save_refused(BADGE) == "Choose the badge the program awards."
    editor.select_badge(badge_id)
    # The store's refusals: an empty name, a name taken (any case), the alumni badge the same.
    assert save_refused(NAME) == "A program needs a name."
    qtbot.keyClicks(editor.name_edit, "ten year club")
    assert save_refused(NAME) == "There is already a program named “ten year club”."
    editor.name_edit.setText("Certified Admin")
    editor.select_badge(badge_id, alumni=True)
    assert save_refused(ALUMNI) == "The alumni badge must be another badge than the one the program awards."
    editor.select_badge(other_id, alumni=True)
    editor.message_edit.setPlainText("Hi {nobody}")
    assert "nobody" in save_refused(MESSAGE)
    # What was typed is all still there.
    assert editor.name_edit.text() == "Certified Admin"
    assert source.path_edit.text().endswith("certified.csv")
    editor.message_edit.setPlainText("Hi {member}")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    saved = ProgramStore(cache).named("Certified Admin")
    assert saved is not None and saved.spec.source == SourceSpec(
        "list", {"path": str(Path("exports") / "certified.csv"), "column": ""}
    )

    # Cancel keeps nothing.
    other = ProgramEditorDialog(session_of(demo), Settings())
    qtbot.addWidget(other)
    other.show()
    wait_ready(qtbot, other)
    other.name_edit.setText("Never saved")
    other.select_badge(badge_id)
    other.source.kind_combo.setCurrentIndex(other.source.kind_combo.findData("tenure"))
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert not other.isVisible()
    assert [p.name for p in ProgramStore(cache).programs()] == ["Certified Admin", "Ten Year Club"]


def test_a_topic_is_found_on_the_server_by_its_title(qtbot: QtBot, demo: AppController) -> None:
    editor = ProgramEditorDialog(session_of(demo), Settings())
    qtbot.addWidget(editor)
    editor.show()
    wait_ready(qtbot, editor)
    source = editor.source
    source.kind_combo.setCurrentIndex(source.kind_combo.findData("topic"))
    editor.cadence_combo.setCurrentIndex(editor.cadence_combo.findData("one-off"))
    qtbot.keyClicks(source.topic_query, "great outage")
    qtbot.keyClick(source.topic_query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not source.finding, timeout=20_000)
    assert source.topic_combo.count() >= 1, source.topic_status.text()
    assert source.topic_combo.currentText().startswith("The great outage of ")
    assert source.topic_status.text().endswith("found.")
    topic_id, title = source.topic_combo.currentData()
    source.topic_min.setValue(2)
    editor.select_badge(published(community_of(demo).cache)[0][0])
    spec = editor.spec().source
    assert spec == SourceSpec("topic", {"topic_id": topic_id, "min_posts": 2, "topic_title": title})


def test_conditions_are_a_saved_rule_and_a_programs_own_rule_stays(qtbot: QtBot, demo: AppController) -> None:
    cache = community_of(demo).cache
    badge_id = published(cache)[0][0]
    settings = Settings()
    recent = LastSeen(within_last(30, Unit.DAYS))
    save_rule(settings, "Seen this month", recent)
    editor = ProgramEditorDialog(session_of(demo), settings)
    qtbot.addWidget(editor)
    wait_ready(qtbot, editor)
    combo = editor.conditions_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "None: every candidate of the source",
        "Seen this month",
    ]
    editor.source.kind_combo.setCurrentIndex(editor.source.kind_combo.findData("tenure"))
    with pytest.raises(ProgramFieldError, match="Choose the badge"):
        editor.spec()
    editor.select_badge(badge_id)
    assert editor.spec().rule is None
    combo.setCurrentIndex(1)
    assert editor.spec().rule == recent

    # A program whose rule is no saved rule (renamed or deleted since) keeps it when edited.
    own = ProgramStore(cache).create(
        ProgramSpec(
            "Active veterans", SourceSpec("tenure", {"years": 5}), badge_id, Cadence.YEARLY, rule=recent
        )
    )
    edit = ProgramEditorDialog(session_of(demo), Settings(), own)
    qtbot.addWidget(edit)
    wait_ready(qtbot, edit)
    assert edit.conditions_combo.currentText() == "As saved with the program"
    assert edit.spec().rule == recent
    edit.conditions_combo.setCurrentIndex(0)
    assert edit.spec().rule is None


def test_a_one_off_posters_program_reads_between_two_times(qtbot: QtBot, demo: AppController) -> None:
    editor = ProgramEditorDialog(session_of(demo), Settings())
    qtbot.addWidget(editor)
    wait_ready(qtbot, editor)
    editor.select_badge(published(community_of(demo).cache)[0][0])
    source = editor.source
    source.kind_combo.setCurrentIndex(source.kind_combo.findData("posters"))
    # A weekly program reads its week: no window of its own.
    editor.cadence_combo.setCurrentIndex(editor.cadence_combo.findData("weekly"))
    assert source.starts_edit.isHidden()
    assert editor.spec().source == SourceSpec("posters", {"min_posts": 1})
    editor.cadence_combo.setCurrentIndex(editor.cadence_combo.findData("one-off"))
    assert not source.starts_edit.isHidden()
    source.starts_edit.setDateTime(QDateTime(QDate(2026, 3, 12), QTime(8, 0)))
    source.ends_edit.setDateTime(QDateTime(QDate(2026, 3, 12), QTime(20, 30)))
    params = editor.spec().source.params
    starts, ends = (datetime.fromisoformat(params[key]) for key in ("starts", "ends"))
    assert starts.tzinfo is not None and (ends - starts).total_seconds() == 12.5 * 3600
    assert (starts.hour, starts.minute) == (8, 0)
    source.ends_edit.setDateTime(QDateTime(QDate(2026, 3, 11), QTime(20, 30)))
    with pytest.raises(ProgramFieldError, match="The window must end after it starts"):
        editor.spec()


def test_a_list_matches_by_external_id_only_where_the_server_finds_members_by_one(
    qtbot: QtBot, demo: AppController, tmp_path: Path
) -> None:
    session = session_of(demo)
    assert session.capabilities is not None and not session.capabilities.external_ids
    listing = str(tmp_path / "passed.csv")

    def list_editor(external_ids: bool, program: object = None) -> ProgramEditorDialog:
        known = dataclasses.replace(session.capabilities, external_ids=external_ids)  # type: ignore[type-var]
        editor = ProgramEditorDialog(session, Settings(), program, capabilities=known)  # type: ignore[arg-type]
        qtbot.addWidget(editor)
        wait_ready(qtbot, editor)
        editor.source.kind_combo.setCurrentIndex(editor.source.kind_combo.findData("list"))
        return editor

    # BadgeDesk's own server has no external ids: rows match by email or username only.
    plain = list_editor(False)
    match = plain.source.match_combo
    assert [match.itemData(i) for i in range(match.count())] == ["identifier"]
    plain.source.path_edit.setText(listing)
    assert plain.source.spec(one_off=False) == SourceSpec("list", {"path": listing, "column": ""})

    # A server that finds members by another system's id (Discourse's single sign-on) offers it.
    sso = list_editor(True)
    match = sso.source.match_combo
    assert [match.itemData(i) for i in range(match.count())] == ["identifier", "external_id"]
    sso.source.path_edit.setText(listing)
    sso.source.column_edit.setText("lms_id")
    match.setCurrentIndex(match.findData("external_id"))
    spec = SourceSpec("list", {"path": listing, "column": "lms_id", "match": "external_id"})
    assert sso.source.spec(one_off=False) == spec

    # Stored so, shown so; where the server cannot, the choice stays and says why.
    cache = community_of(demo).cache
    program = ProgramStore(cache).create(
        ProgramSpec("Certified Admin", spec, published(cache)[0][0], Cadence.MONTHLY)
    )
    again = list_editor(False, program)
    assert again.source.match_combo.currentData() == "external_id"
    assert again.source.match_combo.currentText() == "external id (this server cannot find members by one)"
    assert again.source.spec(one_off=False) == spec
