"""The Members pane and groups: the "in group" filter, the detail's groups, and a batch from a group.

On a cache filled by hand: the members of ``tests.core.test_member_search``
(two carry "speakers" in their own row, as v1 sends them) and a group listed
by the server (``mentors``, as Discourse's are synced into ``member_groups``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMenu
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.cache.groups import upsert_groups
from desktop.community import Community
from desktop.domain import ActionKind, ChangeSet, Group
from desktop.settings import Settings
from tests.core.test_member_search import MEMBERS
from ui.operations import TaskManager
from ui.search.member_search import MemberSearchView
from ui.session.app_session import AppSession

MENTORS = Group(41, "mentors", "Mentors", 3, frozenset({1, 3, 6}))


@pytest.fixture()
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[MemberSearchView]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
        upsert_groups(connection, [MENTORS])
    community = Community("test", None, cache)
    tasks = TaskManager()
    widget = MemberSearchView(AppSession(community, tasks), Settings())
    qtbot.addWidget(widget)
    widget.resize(1300, 600)
    widget.show()
    widget.reload()
    qtbot.waitUntil(lambda: widget.idle and widget.model.rowCount() == len(MEMBERS) and bool(widget.groups))
    yield widget
    tasks.shutdown()
    community.close()


def shown(view: MemberSearchView, qtbot: QtBot) -> list[int]:
    qtbot.waitUntil(lambda: view.idle and view.session.tasks.active == 0)
    return list(view.model.ids)


def choose(view: MemberSearchView, monkeypatch: pytest.MonkeyPatch, entry: str, group: str) -> list[str]:
    """Trigger the "Add filter" menu's ``entry``, answering its group question with ``group``;
    returns the groups it offered."""
    offered: list[str] = []

    def answer(
        _parent: object, _title: str, _label: str, items: list[str], *_args: object
    ) -> tuple[str, bool]:
        offered.extend(items)
        return group, True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(answer))
    menu = view.bar.filter_button.menu()
    assert isinstance(menu, QMenu)
    action = next(a for a in menu.actions() if a.text() == entry)
    action.trigger()
    return offered


def test_the_group_filter_offers_every_group_and_finds_its_members(
    view: MemberSearchView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, artifacts: Path
) -> None:
    offered = choose(view, monkeypatch, "Group…", "mentors")
    # The server's groups and those member rows carry, together.
    assert offered == ["mentors", "speakers", "staff"]
    assert sorted(shown(view, qtbot)) == [1, 3, 6]
    assert [c.text() for c in view.chips.chips] == ["Group: mentors  ✕"]
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.detail.detail is not None)
    detail = view.detail.detail
    assert detail is not None and detail.groups == ["mentors"]
    assert view.detail.fields["Groups"].text() == "mentors"
    qtbot.wait(100)
    view.grab().save(str(artifacts / "member_group_filter.png"))

    # Both kinds of group at once cannot be asked (one group a query); the other kind works alike.
    choose(view, monkeypatch, "Group…", "speakers")
    assert sorted(shown(view, qtbot)) == [2, 5]
    menu = view.bar.filter_button.menu()
    menu.popup(view.bar.filter_button.mapToGlobal(view.bar.filter_button.rect().bottomLeft()))
    qtbot.waitExposed(menu)
    menu.grab().save(str(artifacts / "member_filter_menu.png"))
    menu.hide()


def test_everyone_in_a_group_is_selected_and_one_key_opens_the_batch(
    view: MemberSearchView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.search_box.setText("zoe")  # whatever was typed before does not narrow the group
    choose(view, monkeypatch, "Everyone in a group…", "mentors")
    qtbot.waitUntil(lambda: view.idle and len(view.selected_ids()) == 3)
    assert view.search_box.text() == ""
    assert sorted(view.selected_ids()) == [1, 3, 6]
    assert view.award_button.hasFocus()
    with qtbot.waitSignal(view.batch_requested) as requested:
        qtbot.keyClick(view.award_button, Qt.Key.Key_Space)
    assert sorted(requested.args[0]) == [1, 3, 6] and requested.args[1] is ActionKind.AWARD


def test_a_sync_that_changed_groups_refreshes_the_filtered_results(
    view: MemberSearchView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose(view, monkeypatch, "Group…", "mentors")
    assert sorted(shown(view, qtbot)) == [1, 3, 6]
    cache = view.session.community.cache
    with cache.write() as connection:
        upsert_groups(
            connection, [Group(41, "mentors", "Mentors", 1, frozenset({7})), Group(42, "new", "New", 0)]
        )
    view.on_changed(ChangeSet(groups=True))
    qtbot.waitUntil(lambda: view.idle and list(view.model.ids) == [7])
    qtbot.waitUntil(lambda: "new" in view.groups)
