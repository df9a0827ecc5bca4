"""The Members pane with qtbot, on a cache filled by hand (no server)."""

from __future__ import annotations

import csv
import threading
import time
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.community import Community
from desktop.domain import ActionKind, Award, Badge, BadgeState, ChangeSet, MemberStatus
from desktop.member_search import MemberQuery, SortKey
from desktop.settings import Settings
from tests.core.test_member_search import AWARDS, MEMBERS, NOW, m
from ui.operations import Operation, TaskManager, Work
from ui.search.member_search import MemberSearchView
from ui.search.result_loading import WINDOW
from ui.session.app_session import AppSession

HOSTILE = m(8, "mallory", "<b>Mallory</b> <img src=x>", "mallory@example.org", 2020, 1)


def badge(i: int, title: str) -> Badge:
    return Badge(i, f"b{i}", title, "d", "", "", "", BadgeState.PUBLISHED, "", 1)


@pytest.fixture()
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[MemberSearchView]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [*MEMBERS, HOSTILE])
        Cache.upsert_badges(connection, [badge(10, "MVP"), badge(20, "Speaker"), badge(30, "Ten Year Club")])
        Cache.upsert_awards(
            connection, [Award(i, mid, bid, NOW, "Alice", "great") for i, (mid, bid) in enumerate(AWARDS, 1)]
        )
    community = Community("test", None, cache)
    tasks = TaskManager()
    session = AppSession(community, tasks)
    widget = MemberSearchView(session, Settings())
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.reload()
    qtbot.waitUntil(lambda: widget.idle and widget.model.rowCount() == 8)
    yield widget
    tasks.shutdown()
    community.close()


def shown(view: MemberSearchView, qtbot: QtBot) -> list[int]:
    qtbot.waitUntil(lambda: view.idle and view.session.tasks.active == 0)
    return list(view.model.ids)


def test_typing_filters_the_table_and_the_latest_query_wins(
    view: MemberSearchView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    original = view.session.tasks.start

    def counting_start(name: str, work: Work, **kwargs: Any) -> Operation | None:
        started.append(name)
        return original(name, work, **kwargs)

    monkeypatch.setattr(view.session.tasks, "start", counting_start)
    qtbot.keyClicks(view.search_box, "annik")
    assert view._debounce.isActive()
    assert shown(view, qtbot) == [3]
    # Debounced: five keystrokes, one search (a first window and the full list).
    assert started.count("search members") == 1
    assert view.count_label.text().startswith("1 match")
    view.search_box.clear()
    qtbot.keyClicks(view.search_box, "maria garc")
    assert set(shown(view, qtbot)) == {6, 7}
    # Queries with different answers, started back to back: only the last one shows.
    for text in ("zoe", "bob", "maria", "jose"):
        view.search_box.setText(text)
        view.run_query()
    assert shown(view, qtbot) == [1]
    assert view.count_label.text().startswith("1 match")


def test_filters_are_chips_and_combine(view: MemberSearchView, qtbot: QtBot) -> None:
    view.add_filter(holds=10)
    assert set(shown(view, qtbot)) == {1, 2, 6}
    view.add_filter(lacks=20)
    assert set(shown(view, qtbot)) == {1, 6}
    view.add_filter(status=MemberStatus.ACTIVE)
    assert [chip.text() for chip in view.chips.chips] == [
        "Holds: MVP  ✕",
        "Lacks: Speaker  ✕",
        "Status: active  ✕",
    ]
    qtbot.mouseClick(view.chips.chips[0], Qt.MouseButton.LeftButton)
    assert set(shown(view, qtbot)) == {1, 3, 6, 7, 8}
    assert len(view.chips.chips) == 2


def test_header_click_sorts_and_toggles(view: MemberSearchView, qtbot: QtBot) -> None:
    header = view.table.horizontalHeader()
    view._header_clicked(3)  # Joined
    assert view.query.sort is SortKey.JOINED
    assert shown(view, qtbot)[:3] == [5, 7, 3]  # newest first
    view._header_clicked(3)
    assert shown(view, qtbot)[:3] == [4, 1, 6]
    assert header.sortIndicatorSection() == 3
    view._header_clicked(6)  # Badges
    assert shown(view, qtbot)[0] == 2


def test_selection_shows_the_detail_as_plain_text(view: MemberSearchView, qtbot: QtBot) -> None:
    view.set_query(view.query.__class__(text="mallory"))
    shown(view, qtbot)
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.detail.detail is not None)
    assert view.detail.title.text() == "<b>Mallory</b> <img src=x>"
    assert view.detail.title.textFormat() == Qt.TextFormat.PlainText
    view.set_query(view.query.__class__(text="annmarie"))
    shown(view, qtbot)
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.detail.detail is not None and view.detail.detail.member.id == 2)
    assert view.detail.badges.topLevelItemCount() == 3
    assert view.detail.badges_label.text() == "Badges (3)"
    assert "1 selected" in view.count_label.text()


def test_select_all_and_paste_a_list(view: MemberSearchView, qtbot: QtBot) -> None:
    view.select_all_results()
    assert len(view.selected_ids()) == 8
    messages: list[str] = []
    view.message.connect(messages.append)
    view.select_pasted("jose@EXAMPLE.org\nbob\nnobody\n@maria2")
    qtbot.waitUntil(lambda: view.last_resolution is not None)
    assert set(shown(view, qtbot)) == {1, 4, 7}
    assert sorted(view.selected_ids()) == [1, 4, 7]
    assert messages[-1] == "1 not found: nobody"
    assert view.chips.chips[-1].text().startswith("Pasted list (3)")
    view.clear_pasted()
    assert len(shown(view, qtbot)) == 8


def test_export_results_and_selection(view: MemberSearchView, qtbot: QtBot, tmp_path: Path) -> None:
    view.add_filter(holds=10)
    shown(view, qtbot)
    target = tmp_path / "mvp.csv"
    view.export_to(target, ["display_name", "email", "joined_at"])
    # One export at a time: the next starts once this one has finished.
    qtbot.waitUntil(lambda: not view.export.running)
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Name", "Email", "Joined"]
    assert {r[1] for r in rows[1:]} == {"jose@example.org", "am@example.org", "maria1@example.com"}
    view.table.selectRow(0)
    only = tmp_path / "one.csv"
    view.export_to(only, ["username"], selection_only=True)
    qtbot.waitUntil(lambda: not view.export.running)
    assert len(only.read_text(encoding="utf-8-sig").splitlines()) == 2


def test_saved_searches(view: MemberSearchView, qtbot: QtBot) -> None:
    view.add_filter(holds=20)
    view.set_query(view.query.__class__(text="zoe", holds=frozenset({20})))
    view.save_search("Speaker Zoë")
    view.set_query(view.query.__class__())
    assert len(shown(view, qtbot)) == 8
    view.open_saved("Speaker Zoë")
    assert shown(view, qtbot) == [5]
    assert view.search_box.text() == "zoe"


def test_award_buttons_work_on_the_selection(view: MemberSearchView, qtbot: QtBot) -> None:
    shown(view, qtbot)
    assert not view.award_button.isEnabled() and not view.revoke_button.isEnabled()
    view.table.selectRow(2)
    assert view.award_button.isEnabled() and view.revoke_button.isEnabled()
    with qtbot.waitSignal(view.batch_requested) as requested:
        view.revoke_button.click()
    assert requested.args == [view.selected_ids(), ActionKind.REVOKE]


def test_screenshot(view: MemberSearchView, qtbot: QtBot, artifacts: Path) -> None:
    view.add_filter(holds=10)
    shown(view, qtbot)
    view.table.selectRow(1)
    qtbot.waitUntil(lambda: view.detail.detail is not None)
    qtbot.wait(100)
    view.grab().save(str(artifacts / "member_search.png"))


def test_a_sync_keeps_the_selection_and_current_member(view: MemberSearchView, qtbot: QtBot) -> None:
    view.set_query(MemberQuery(sort=SortKey.NAME))
    shown(view, qtbot)
    view.table.selectRow(3)
    chosen = view.selected_ids()
    qtbot.waitUntil(lambda: view.detail.detail is not None)
    # Another moderator renamed someone else; the results are asked for again.
    with view.session.community.cache.write() as connection:
        Cache.upsert_members(connection, [m(7, "maria2", "Aaron Maria", "maria.garcia@example.com", 2022, 4)])
    view.on_changed(ChangeSet(members=frozenset({7})))
    order = shown(view, qtbot)
    assert order.index(7) < order.index(2)  # re-sorted: "Aaron Maria" now comes before "Ann-Marie"
    assert view.selected_ids() == chosen
    qtbot.waitUntil(lambda: view.detail.detail is not None and view.detail.detail.member.id == chosen[0])


def test_select_all_counts_from_ranges(view: MemberSearchView, qtbot: QtBot) -> None:
    view.select_all_results()
    assert view._selected_count() == 8
    assert "8 selected" in view.count_label.text()
    assert not view.select_all_button.isVisible()


def test_many_matches_count_as_1000_plus_at_once_then_exactly(
    view: MemberSearchView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with view.session.community.cache.write() as connection:
        Cache.upsert_members(
            connection,
            [m(100 + i, f"crowd{i}", f"Crowd {i}", f"c{i}@crowd.example", 2020) for i in range(1500)],
        )
    release = threading.Event()
    ranked = view.search.packed_ids

    def held_back(query: MemberQuery, **kwargs: Any) -> array[int]:
        release.wait(10)
        return ranked(query, **kwargs)

    monkeypatch.setattr(view.search, "packed_ids", held_back)
    view.search_box.setText("crowd")
    qtbot.waitUntil(lambda: view.model.rowCount() == WINDOW)
    assert view.count_label.text() == "1,000+ matches, counting…"
    assert not view.export_button.isEnabled()  # not all of them yet
    release.set()
    qtbot.waitUntil(lambda: view.idle)
    assert view.model.rowCount() == 1500
    assert view.count_label.text() == "1,500 matches"
    assert view.export_button.isEnabled()


def test_a_keystroke_stops_the_older_query_and_its_results_never_show(
    view: MemberSearchView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ranked = view.search.packed_ids
    stopped: list[str] = []

    def slow_for_ann(query: MemberQuery, *, cancel: CancelToken | None = None, **kwargs: Any) -> array[int]:
        if query.text == "ann" and cancel is not None:
            while not cancel.cancelled:
                time.sleep(0.005)
            stopped.append(query.text)
            cancel.raise_if_cancelled()
        return ranked(query, cancel=cancel, **kwargs)

    monkeypatch.setattr(view.search, "packed_ids", slow_for_ann)
    view.search_box.setText("ann")
    view.run_query()
    # The first window of "ann" shows; its ranked list is still being made when a key is typed.
    qtbot.waitUntil(lambda: set(view.model.ids) == {2, 3, 4})
    shown_ids: list[list[int]] = []
    view.model.modelReset.connect(lambda: shown_ids.append(list(view.model.ids)))
    view.search_box.setText("annik")
    qtbot.waitUntil(lambda: stopped == ["ann"])
    assert shown(view, qtbot) == [3]
    assert all(ids == [3] for ids in shown_ids)


def test_a_complete_list_failing_after_the_window_leaves_counts_that_agree_with_the_rows(
    view: MemberSearchView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with view.session.community.cache.write() as connection:
        Cache.upsert_members(
            connection,
            [m(100 + i, f"crowd{i}", f"Crowd {i}", f"c{i}@crowd.example", 2020) for i in range(1500)],
        )
    release = threading.Event()

    def broken(query: MemberQuery, **kwargs: Any) -> Any:
        release.wait(10)
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(view.search, "packed_ids", broken)
    view.search_box.setText("crowd")
    qtbot.waitUntil(lambda: view.model.rowCount() == WINDOW)
    assert view.select_all_button.text() == "Select all 100"  # the rows shown, while more are counted
    release.set()
    qtbot.waitUntil(lambda: view.idle)
    assert view.select_all_button.text() == f"Select all {WINDOW}"
    view.select_all_results()
    assert not view.select_all_button.isVisible()
    assert view.exporter.total() == len(list(view.exporter.shown())) == WINDOW


def row_texts(view: MemberSearchView, column: int = 0) -> list[Any]:
    return [view.model.data(view.model.index(row, column)) for row in range(view.model.rowCount())]


def test_the_results_come_with_their_rows_and_keep_them_for_the_next_query(
    view: MemberSearchView, qtbot: QtBot
) -> None:
    """No placeholder painted, then the row after a read: the first rows come with the ids."""
    painted: list[list[Any]] = []
    # What a paint right after the reset would show, before any block of rows is read.
    view.model.modelReset.connect(lambda: painted.append(row_texts(view)))
    reads: list[str] = []
    start = view.session.tasks.start

    def counting(name: str, work: Work, **options: Any) -> Operation | None:
        reads.append(name)
        return start(name, work, **options)

    view.session.tasks.start = counting  # type: ignore[method-assign]
    view.search_box.setText("an")
    shown(view, qtbot)
    view.search_box.setText("ann")
    shown(view, qtbot)
    assert painted and all("…" not in texts for texts in painted)
    assert "Annika Svensson" in painted[-1]
    assert "load members" not in reads


def test_a_changed_member_and_changed_badge_counts_are_read_again(
    view: MemberSearchView, qtbot: QtBot
) -> None:
    view.set_query(MemberQuery(sort=SortKey.NAME))
    shown(view, qtbot)
    assert "José García" in row_texts(view)
    with view.session.community.cache.write() as connection:
        Cache.upsert_members(
            connection, [m(1, "jose.garcia", "José Garcia-Lopez", "jose@example.org", 2017, 1)]
        )
    view.on_changed(ChangeSet(members=frozenset({1})))
    shown(view, qtbot)
    qtbot.waitUntil(lambda: "José Garcia-Lopez" in row_texts(view))
    assert "José García" not in row_texts(view)

    row = list(view.model.ids).index(1)
    assert view.model.data(view.model.index(row, 6)) == "1"
    with view.session.community.cache.write() as connection:
        Cache.upsert_awards(connection, [Award(99, 1, 20, NOW, "Alice", "again")])
    # Badge counts are not part of this query (no badge filter, not sorted by them).
    view.on_changed(ChangeSet(awards=True))
    shown(view, qtbot)
    qtbot.waitUntil(lambda: view.model.data(view.model.index(row, 6)) == "2")
