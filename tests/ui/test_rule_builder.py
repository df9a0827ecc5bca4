"""The rule builder (issue 16): a rule built by keyboard and counted as it is edited, saved rules kept,
a saved rule run into the Members table and on to the batch dialog's dry run, and the badge pickers
that filter as you type.

The cache is built here with dates a fixed distance from now, so "joined more than 10 years ago"
and "seen in the last 90 days" select the same members whatever day the test runs on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionKind, Award, Badge, BadgeState, ChangeSet, Member, MemberStatus, utc_now
from desktop.rules import (
    AllOf,
    AnyOf,
    BadgeRef,
    HoldsBadge,
    Joined,
    LastSeen,
    NeverSeen,
    Not,
    Unit,
    more_than_ago,
    save_rule,
    within_last,
)
from desktop.settings import Settings
from tests.ui.modal import inspect_modal
from ui.operations import TaskManager
from ui.outbox.batch_dialog import BatchDialog
from ui.search.member_search import MemberSearchView
from ui.search.rules.rule_builder import RuleBuilderDialog
from ui.session.app_session import AppSession
from ui.widgets.badge_picker import matching_titles

NOW = utc_now()
YEAR = timedelta(days=366)


def member(i: int, user: str, joined_years: int, seen_days: int | None) -> Member:
    seen = None if seen_days is None else NOW - timedelta(days=seen_days)
    return Member(
        i, user, user.title(), f"{user}@example.org", NOW - joined_years * YEAR, seen, MemberStatus.ACTIVE
    )


MEMBERS = [
    member(1, "alice", 11, 5),  # a veteran, active: matches
    member(2, "bob", 12, 30),  # matches
    member(3, "carol", 11, 200),  # a veteran, not seen lately
    member(4, "dave", 2, 1),  # seen lately, joined recently
    member(5, "erin", 15, None),  # never seen
]
VETERANS = AllOf((Joined(more_than_ago(10, Unit.YEARS)), LastSeen(within_last(90, Unit.DAYS))))


def badge(i: int, title: str, state: BadgeState = BadgeState.PUBLISHED) -> Badge:
    return Badge(i, f"b{i}", title, "d", "", "", "", state, "", 1)


BADGES = [
    badge(10, "Contest Winner"),
    badge(20, "Winter Speaker"),
    badge(30, "Old Winner", BadgeState.DISCONTINUED),
    badge(40, "Helper"),
]


@pytest.fixture()
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[MemberSearchView]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
        Cache.upsert_badges(connection, BADGES)
        Cache.upsert_awards(connection, [Award(1, 1, 10, NOW - YEAR, "Mod", "")])
    community = Community("test", None, cache)
    tasks = TaskManager()
    session = AppSession(community, tasks)
    widget = MemberSearchView(session, Settings())
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.reload()
    qtbot.waitUntil(lambda: widget.idle and widget.model.rowCount() == 5)
    yield widget
    if widget.rules.dialog is not None:
        widget.rules.dialog.reject()
    tasks.shutdown()
    community.close()


def settled(view: MemberSearchView, qtbot: QtBot) -> list[int]:
    qtbot.waitUntil(lambda: view.idle and view.session.tasks.active == 0)
    return list(view.model.ids)


def answer_text(opener: Callable[[], object], text: str) -> None:
    """Run ``opener``, type ``text`` into the name dialog it opens and press Enter."""
    typed: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog) or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        dialog.setTextValue(text)
        typed.append(text)
        dialog.accept()

    QTimer.singleShot(20, answer)
    opener()
    assert typed, "no name was asked for"


def open_builder(view: MemberSearchView, qtbot: QtBot) -> RuleBuilderDialog:
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.search_box.setFocus()
    qtbot.keyClick(
        view.search_box, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = view.rules.dialog
    assert dialog is not None, "Ctrl+Shift+F opened no rule builder"
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.editor.badge_combo.count() == len(BADGES))
    return dialog


def test_a_rule_built_by_keyboard_is_counted_saved_renamed_duplicated_and_deleted(
    view: MemberSearchView, qtbot: QtBot, artifacts: Path
) -> None:
    dialog = open_builder(view, qtbot)
    editor = dialog.editor
    # "joined more than 10 years ago": Insert adds a condition ("seen in the last 90 days") and
    # focuses its kind; Up makes it "Joined", then the span: "more than … ago", 10, years.
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Insert)
    assert editor.kind.hasFocus()
    qtbot.keyClick(editor.kind, Qt.Key.Key_Up)
    assert editor.kind.currentText() == "Joined"
    qtbot.keyClick(editor.kind, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # past "Not"
    assert editor.when.mode.hasFocus()
    qtbot.keyClick(editor.when.mode, Qt.Key.Key_Down)
    assert editor.when.mode.currentText() == "more than … ago"
    qtbot.keyClick(editor.when.mode, Qt.Key.Key_Tab)
    assert editor.when.amount.hasFocus()
    qtbot.keyClick(editor.when.amount, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.when.amount, "10")
    qtbot.keyClick(editor.when.amount, Qt.Key.Key_Tab)
    assert editor.when.unit.hasFocus()
    qtbot.keyClick(editor.when.unit, Qt.Key.Key_End)
    assert editor.when.unit.currentText() == "years"
    # "AND seen in the last 90 days": back to the tree, Insert again (the new condition's own question).
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Insert)
    root = dialog.root
    assert [root.child(i).text(0) for i in range(root.childCount())] == [  # type: ignore[union-attr]
        "Joined more than 10 years ago",
        "Seen in the last 90 days",
    ]
    assert root.text(0) == "All of these (AND)"
    assert dialog.rule() == VETERANS
    qtbot.waitUntil(lambda: dialog.idle and dialog.count is not None)
    assert dialog.count == 2
    assert dialog.count_label.text() == "2 members match this rule."

    # A condition added and removed by keys: the count follows.
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Insert)
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Delete)
    assert root.childCount() == 2
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 2)

    # Saved by name (Ctrl+S asks for it), kept relative.
    answer_text(
        lambda: qtbot.keyClick(dialog.tree, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier), "Veterans"
    )
    settings = view.settings
    assert list(settings.saved_rules) == ["Veterans"]
    assert settings.saved_rules["Veterans"]["rule"]["all"][0] == {
        "joined": {"since": None, "before": {"ago": 10, "unit": "years"}}
    }
    assert [dialog.saved.item(i).text() for i in range(dialog.saved.count())] == ["Veterans"]
    assert dialog.current_name == "Veterans"
    dialog.tree.setCurrentItem(root.child(1) or root)
    qtbot.wait(50)
    dialog.grab().save(str(artifacts / "rule_builder.png"))

    # Renamed, duplicated, the copy deleted; a taken name is refused with a sentence.
    dialog.saved.setFocus()
    answer_text(dialog.rename_button.click, "Active veterans")
    assert list(settings.saved_rules) == ["Active veterans"]
    dialog.duplicate_button.click()
    assert sorted(settings.saved_rules) == ["Active veterans", "Active veterans (copy)"]
    assert dialog.current_name == "Active veterans (copy)"
    assert not dialog.rename("Active veterans (copy)", "Active veterans")
    assert dialog.message_label.text() == "There is already a saved rule named “Active veterans”."
    dialog.delete_button.click()
    assert list(settings.saved_rules) == ["Active veterans"]
    assert dialog.saved.count() == 1


def test_a_saved_rule_runs_into_the_table_and_the_batch_dry_run_counts_who_holds_the_badge(
    view: MemberSearchView, qtbot: QtBot, artifacts: Path
) -> None:
    save_rule(view.settings, "Veterans", VETERANS)
    menu = view.rules.menu
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions() if a.text()] == ["Rule builder…", "Veterans"]
    next(a for a in menu.actions() if a.text() == "Veterans").trigger()
    assert sorted(settled(view, qtbot)) == [1, 2]
    # All selected, "Award badge…" focused: the usual selection → batch path.
    assert sorted(view.selected_ids()) == [1, 2]
    assert [chip.text() for chip in view.chips.chips] == ["Rule: Veterans  ✕"]
    view.grab().save(str(artifacts / "rule_members.png"))
    with qtbot.waitSignal(view.batch_requested) as requested:
        view.award_button.click()
    ids, kind = requested.args
    assert kind is ActionKind.AWARD

    dialog = BatchDialog(view.session, member_ids=ids, kind=kind)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0)
    dialog.select_badge(10)
    dialog.start_dry_run()
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert dialog.counts.count_titles["already"].text() == "Already hold the badge"
    assert dialog.count_values["already"].text() == "1"  # Alice holds Contest Winner
    assert dialog.count_values["to_send"].text() == "1"
    dialog.grab().save(str(artifacts / "rule_batch_dry_run.png"))
    dialog.reject()

    # The chip takes the rule off.
    qtbot.mouseClick(view.chips.chips[0], Qt.MouseButton.LeftButton)
    assert len(settled(view, qtbot)) == 5
    assert view.query.rule is None


def test_badge_pickers_filter_as_you_type_and_leave_discontinued_badges_out_of_awards(
    view: MemberSearchView, qtbot: QtBot
) -> None:
    dialog = BatchDialog(view.session, kind=ActionKind.AWARD)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0)
    combo = dialog.badge_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Contest Winner", "Helper", "Winter Speaker"]
    line = combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, "win")
    assert matching_titles(combo) == ["Contest Winner", "Winter Speaker"]
    qtbot.keyClicks(line, "ter")
    assert matching_titles(combo) == ["Winter Speaker"]
    popup = combo.completer().popup()  # type: ignore[union-attr]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.badge_id == 20
    # Revoking: a discontinued badge may still be held, so it is offered.
    dialog.kind_combo.setCurrentIndex(1)
    assert "Old Winner (discontinued)" in [combo.itemText(i) for i in range(combo.count())]
    dialog.reject()

    # The filters list every badge, discontinued ones too, and filter as you type.
    seen: list[list[str]] = []

    def read(picker: object) -> None:
        from PySide6.QtWidgets import QComboBox

        assert isinstance(picker, QInputDialog | object)
        box = picker.findChild(QComboBox, "badgePickerCombo")  # type: ignore[attr-defined]
        seen.append([box.itemText(i) for i in range(box.count())])
        box.lineEdit().selectAll()
        qtbot.keyClicks(box.lineEdit(), "old")
        seen.append(matching_titles(box))

    menu = view.bar.filter_button.menu()
    assert menu is not None
    holds = next(a for a in menu.actions() if a.text() == "Holds badge…")
    inspect_modal(holds.trigger, read)
    assert seen[0] == [
        "Contest Winner (published)",
        "Helper (published)",
        "Old Winner (discontinued)",
        "Winter Speaker (published)",
    ]
    assert seen[1] == ["Old Winner (discontinued)"]

    builder = open_builder(view, qtbot)
    rule_badges = builder.editor.badge_combo
    assert "Old Winner (discontinued)" in [rule_badges.itemText(i) for i in range(rule_badges.count())]


def test_nested_groups_and_not_read_back_from_a_saved_rule(view: MemberSearchView, qtbot: QtBot) -> None:
    """(Joined more than 10 years ago) AND NOT (holds Contest Winner OR never seen): Bob and Carol."""
    winner = BadgeRef(10, "Contest Winner")
    rule = AllOf(
        (
            Joined(more_than_ago(10, Unit.YEARS)),
            Not(AnyOf((HoldsBadge(winner), NeverSeen()))),
        )
    )
    dialog = open_builder(view, qtbot)
    dialog.set_rule(rule)
    root = dialog.root
    inner = root.child(1)
    assert inner is not None
    assert inner.text(0) == "None of these (NOT OR)"
    assert [inner.child(i).text(0) for i in range(inner.childCount())] == [  # type: ignore[union-attr]
        "Holds Contest Winner",
        "Never seen",
    ]
    assert dialog.rule() == rule
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 2)
    assert dialog.save_as("Veterans without a win")
    dialog.new_rule()
    assert dialog.rule() == AllOf(())
    dialog.open_saved("Veterans without a win")
    assert dialog.rule() == rule
    root = dialog.root
    inner = root.child(1)
    assert inner is not None

    # Edited by keys: the group becomes "any of" (NOT OR stays NOT), its first row "lacks".
    dialog.tree.setCurrentItem(inner)
    assert dialog.editor.currentIndex() == 0
    dialog.editor.combine.setCurrentIndex(0)
    assert inner.text(0) == "Not all of these (NOT AND)"
    first = inner.child(0)
    assert first is not None
    dialog.tree.setCurrentItem(first)
    dialog.editor.condition_not.setChecked(True)
    assert first.text(0) == "Not: Holds Contest Winner"
    # Removing the top group is not possible: it is the rule.
    dialog.tree.setCurrentItem(root)
    dialog.remove_current()
    assert dialog.tree.topLevelItemCount() == 1
    dialog.show_members()
    assert sorted(settled(view, qtbot)) == [1, 2, 3]
    # Edited since it was opened, not saved again.
    assert [chip.text() for chip in view.chips.chips] == ["Rule: Veterans without a win (changed)  ✕"]


def test_the_count_follows_a_sync(view: MemberSearchView, qtbot: QtBot) -> None:
    dialog = open_builder(view, qtbot)
    dialog.set_rule(VETERANS)
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 2)
    cache = view.session.community.cache
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(3, "carol", 11, 1)])  # Carol came back yesterday
    view.session.changed.emit(ChangeSet(members=frozenset({3})))
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 3)


def test_the_chip_says_when_the_rule_shown_is_not_the_saved_one(view: MemberSearchView, qtbot: QtBot) -> None:
    save_rule(view.settings, "Veterans", VETERANS)
    dialog = open_builder(view, qtbot)
    dialog.open_saved("Veterans")
    dialog.tree.setCurrentItem(dialog.root.child(1) or dialog.root)
    dialog.editor.when.amount.setValue(20)  # seen in the last 20 days, not saved
    dialog.show_members()
    assert settled(view, qtbot) == [1]
    assert [chip.text() for chip in view.chips.chips] == ["Rule: Veterans (changed)  ✕"]
    dialog = open_builder(view, qtbot)
    assert dialog.tree.hasFocus()
    assert dialog.current_name is None  # opening it does not open a saved rule
    dialog.set_rule(AllOf((NeverSeen(),)))
    dialog.show_members()
    assert settled(view, qtbot) == [5]
    assert [chip.text() for chip in view.chips.chips] == ["Rule (not saved)  ✕"]


def test_choosing_another_saved_rule_asks_before_dropping_changes(
    view: MemberSearchView, qtbot: QtBot
) -> None:
    save_rule(view.settings, "Veterans", VETERANS)
    save_rule(view.settings, "Never seen", AllOf((NeverSeen(),)))
    dialog = open_builder(view, qtbot)
    dialog.saved.setCurrentRow(1)
    assert dialog.current_name == "Veterans" and not dialog.unsaved
    dialog.add_condition()
    assert dialog.unsaved
    asked: list[str] = []
    inspect_modal(lambda: dialog.saved.setCurrentRow(0), lambda box: asked.append(box.text()))
    assert asked == ["Discard the changes to the rule “Veterans”?"]
    # Cancelled: the edits stay, and so does the list's row.
    assert dialog.current_name == "Veterans" and dialog.root.childCount() == 3
    assert dialog.saved.currentRow() == 1
    dialog.save()
    assert not dialog.unsaved
    dialog.saved.setCurrentRow(0)  # nothing unsaved: no question
    assert dialog.current_name == "Never seen"
