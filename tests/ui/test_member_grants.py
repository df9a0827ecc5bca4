"""A badge held several times in the Members pane: the count, every grant, a grant revoked by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.designer.drafts import BadgeDrafts
from desktop.domain import ActionKind, Award, Badge, BadgeState
from desktop.settings import Settings
from tests.core.test_member_search import MEMBERS, NOW
from ui.badges.model import COLUMNS, BadgeTableModel, load_badge_rows
from ui.i18n import format_date, format_datetime
from ui.operations import TaskManager
from ui.outbox.batch_dialog import BatchDialog
from ui.search.member_search import MemberSearchView
from ui.session.app_session import AppSession

HELPFUL, MVP = 40, 10
ToolTip = Qt.ItemDataRole.ToolTipRole
GRANTS = [
    Award(501, 1, HELPFUL, NOW - timedelta(days=300), "Alice Moderator", "/t/first-answer/11"),
    Award(502, 1, HELPFUL, NOW - timedelta(days=200), "Bob Moderator", "/t/second-answer/12"),
    Award(503, 1, HELPFUL, NOW - timedelta(days=100), "system", ""),
    Award(504, 1, MVP, NOW - timedelta(days=50), "Alice Moderator", "great"),
    Award(505, 2, HELPFUL, NOW - timedelta(days=10), "Alice Moderator", ""),
]


def _badge(i: int, title: str, multiple: bool = False) -> Badge:
    return dataclasses.replace(
        Badge(i, f"b{i}", title, "d", "", "", "", BadgeState.PUBLISHED, "", 1), multiple_grant=multiple
    )


@pytest.fixture()
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[MemberSearchView]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
        Cache.upsert_badges(connection, [_badge(HELPFUL, "Helpful", multiple=True), _badge(MVP, "MVP")])
        Cache.upsert_awards(connection, GRANTS)
    community = Community("test", None, cache)
    tasks = TaskManager()
    session = AppSession(community, tasks)
    # Queued here, never sent (no server): the test reads the outbox.
    session.send_outbox = lambda *args, **kwargs: None  # type: ignore[method-assign]
    widget = MemberSearchView(session, Settings())
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.reload()
    qtbot.waitUntil(lambda: widget.idle and widget.model.rowCount() == len(MEMBERS))
    yield widget
    tasks.shutdown()
    community.close()


def _open(view: MemberSearchView, qtbot: QtBot, member_id: int) -> None:
    row = view.model.ids.index(member_id)
    view.table.selectRow(row)
    qtbot.waitUntil(lambda: view.detail.detail is not None and view.detail.detail.member.id == member_id)


def _badge_items(view: MemberSearchView) -> dict[str, QTreeWidgetItem]:
    tree = view.detail.badges
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return {item.text(0): item for item in items if item is not None}


def _cells(item: QTreeWidgetItem | None) -> list[str]:
    assert item is not None
    return [item.text(column) for column in range(4)]


def _child(item: QTreeWidgetItem, row: int) -> QTreeWidgetItem:
    child = item.child(row)
    assert child is not None
    return child


def test_the_detail_shows_a_badge_held_three_times_with_every_grant(
    view: MemberSearchView, qtbot: QtBot, artifacts: Path
) -> None:
    _open(view, qtbot, 1)
    items = _badge_items(view)
    assert set(items) == {"Helpful ×3", "MVP"}
    helpful = items["Helpful ×3"]
    assert helpful.isExpanded()
    assert _cells(helpful) == ["Helpful ×3", "3 grants", "", ""]
    # Newest first: date and time (the locale's, local), granter and reason of each grant.
    grants = [_cells(helpful.child(i)) for i in range(helpful.childCount())]
    assert grants == [
        ["", format_datetime(GRANTS[2].granted_at), "system", ""],
        ["", format_datetime(GRANTS[1].granted_at), "Bob Moderator", "/t/second-answer/12"],
        ["", format_datetime(GRANTS[0].granted_at), "Alice Moderator", "/t/first-answer/11"],
    ]
    assert _cells(items["MVP"]) == ["MVP", format_date(GRANTS[3].granted_at), "Alice Moderator", "great"]
    assert view.detail.badges_label.text() == "Badges (2, 4 grants)"
    view.detail.grab().save(str(artifacts / "member_detail_grants.png"))


def test_the_member_list_counts_badges_and_grants_apart(view: MemberSearchView, qtbot: QtBot) -> None:
    column = view.model.headers.index("Badges")

    def cell(member_id: int) -> str:
        return str(view.model.index(view.model.ids.index(member_id), column).data())

    qtbot.waitUntil(lambda: cell(1) != "…" and cell(2) != "…")
    assert cell(1) == "2 (4 grants)"
    assert cell(2) == "1"


def _queued_revokes(view: MemberSearchView) -> list[dict[str, object]]:
    return [a.payload for a in view.session.community.outbox.actions() if a.kind is ActionKind.REVOKE]


def test_revoking_the_selected_second_grant_queues_that_grant(
    view: MemberSearchView, qtbot: QtBot, artifacts: Path
) -> None:
    asked: list[str] = []

    def confirm(text: str) -> bool:
        asked.append(text)
        return True

    view.detail.confirm_revoke = confirm
    _open(view, qtbot, 1)
    assert not view.detail.revoke_button.isEnabled()
    helpful = _badge_items(view)["Helpful ×3"]
    view.detail.badges.setCurrentItem(_child(helpful, 1))
    assert view.detail.revoke_button.isEnabled()
    view.detail.grab().save(str(artifacts / "member_detail_grant_selected.png"))
    messages: list[str] = []
    view.message.connect(messages.append)
    view.detail.revoke_button.click()
    qtbot.waitUntil(lambda: bool(messages))
    (payload,) = _queued_revokes(view)
    assert (payload["member_id"], payload["badge_id"], payload["award_id"]) == (1, HELPFUL, 502)
    day = f"{GRANTS[1].granted_at:%Y-%m-%d}"
    assert asked and day in asked[0] and "Bob Moderator" in asked[0]
    assert "queued" in messages[-1] and day in messages[-1]
    # Until the server confirms it, the grant says its revoke is queued, and is not revoked twice.

    def marked() -> bool:
        items = _badge_items(view)
        return "Helpful ×3" in items and _child(items["Helpful ×3"], 1).text(0) == "revoke queued"

    qtbot.waitUntil(marked)
    view.detail.badges.setCurrentItem(_child(_badge_items(view)["Helpful ×3"], 1))
    assert not view.detail.revoke_button.isEnabled()
    view.detail.badges.setCurrentItem(_child(_badge_items(view)["Helpful ×3"], 0))
    assert view.detail.revoke_button.isEnabled()


def test_revoking_a_badge_held_several_times_asks_which_grant(view: MemberSearchView, qtbot: QtBot) -> None:
    offered: list[list[Award]] = []

    def choose(grants: list[Award]) -> Award | None:
        offered.append(grants)
        return grants[2]

    view.detail.choose_grant = choose
    view.detail.confirm_revoke = lambda _text: True
    _open(view, qtbot, 1)
    view.detail.badges.setCurrentItem(_badge_items(view)["Helpful ×3"])
    view.detail.revoke_button.click()
    qtbot.waitUntil(lambda: bool(_queued_revokes(view)))
    assert [[a.id for a in grants] for grants in offered] == [[503, 502, 501]]
    (payload,) = _queued_revokes(view)
    assert payload["award_id"] == 501


def test_cancelling_the_choice_queues_nothing(view: MemberSearchView, qtbot: QtBot) -> None:
    view.detail.choose_grant = lambda _grants: None
    view.detail.confirm_revoke = lambda _text: True
    _open(view, qtbot, 1)
    view.detail.badges.setCurrentItem(_badge_items(view)["Helpful ×3"])
    view.detail.revoke_button.click()
    qtbot.wait(50)
    qtbot.waitUntil(lambda: view.session.tasks.active == 0)
    assert _queued_revokes(view) == []


def test_a_batch_revoke_says_which_grant_goes_for_a_member_holding_it_several_times(
    view: MemberSearchView, qtbot: QtBot, artifacts: Path
) -> None:
    session = view.session
    dialog = BatchDialog(session, member_ids=[1, 2, 3], kind=ActionKind.REVOKE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.badge_combo.count() == 2)
    dialog.select_badge(HELPFUL)
    dialog.start_dry_run()
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert dialog.counts.count_titles["already"].text() == "Do not hold it: skipped"
    assert not dialog.notify_check.isEnabled()
    rule = dialog.counts.grant_rule.text()
    assert "1 member holds Helpful several times" in rule and "newest grant" in rule
    problems = dialog.counts.problems.toPlainText()
    assert f"jose.garcia holds it ×3: the grant of {GRANTS[2].granted_at:%Y-%m-%d} by system" in problems
    dialog.grab().save(str(artifacts / "batch_revoke_grants.png"))
    queued: list[object] = []
    dialog.queued.connect(queued.append)
    dialog.reason_edit.setText("Given twice by mistake")  # a revoke needs a reason
    dialog.queue()
    qtbot.waitUntil(lambda: bool(queued))
    named = {p["member_id"]: p["award_id"] for p in _queued_revokes(view)}
    assert named == {1: 503, 2: 505}


def test_the_badges_pane_counts_holders_and_grants_apart(view: MemberSearchView, qtbot: QtBot) -> None:
    community = view.session.community
    rows, _categories = load_badge_rows(community.cache, BadgeDrafts(community.cache, community.outbox))
    model = BadgeTableModel()
    model.set_rows(rows)
    column = COLUMNS.index("Holders")
    shown = {
        model.index(r, 0).data(): (model.index(r, column).data(), model.index(r, column).data(ToolTip))
        for r in range(model.rowCount())
    }
    assert shown["Helpful"] == ("2 (4 grants)", "2 members hold it, 4 grants: some hold it several times")
    assert shown["MVP"] == ("1", None)


def test_filtered_by_a_badge_held_several_times_the_list_shows_its_count(
    view: MemberSearchView, qtbot: QtBot
) -> None:
    column = view.model.headers.index("Badges")
    view.add_filter(holds=HELPFUL)
    qtbot.waitUntil(lambda: view.idle and sorted(view.model.ids) == [1, 2])

    def cell(member_id: int) -> str:
        return str(view.model.index(view.model.ids.index(member_id), column).data())

    qtbot.waitUntil(lambda: cell(1) != "…" and cell(2) != "…")
    assert cell(1) == "2 (4 grants) · Helpful ×3"
    assert cell(2) == "1"
