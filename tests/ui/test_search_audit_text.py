"""The Members pane's and the Audit log's text: translatable, counted, dated by the locale.

Under a pseudo-translation of the messages lupdate finds in ``ui/search`` and
``ui/audit``, every text these panes show (labels, buttons, menus, placeholders,
accessible names, headers, tooltips, combo choices) comes out bracketed, so
none was left unwrapped or wrapped where lupdate cannot read it. In the tests'
US English, counts group thousands ("20,000 members") and take the singular
for one; dates are the locale's and sorting stays on the stored values.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionState, Award, Badge, BadgeState, Member, MemberStatus
from desktop.member_search import MemberQuery, SortKey
from desktop.settings import Settings
from tests.core.test_member_search import AWARDS, MEMBERS, NOW
from tests.ui.test_audit_view import seed
from ui.audit.audit_view import AuditLogView
from ui.audit.model import ACTION, BATCH, OUTCOME, STATE, WHEN, outcome_text, state_name
from ui.i18n import DATA_PROPERTY, format_date
from ui.i18n_catalog import UI_ROOT, extract, pseudo_translator, ui_sources
from ui.operations import TaskManager
from ui.search.filters import query_chips
from ui.search.member_search import MemberSearchView
from ui.search.model import Held, MemberRole
from ui.session.app_session import AppSession

_WORDS = re.compile(r"[A-Za-z]{2,}")
_TAGS = re.compile(r"<[^<>]*>")


def _badge(i: int, title: str) -> Badge:
    return Badge(i, f"b{i}", title, "d", "", "", "", BadgeState.PUBLISHED, "", 1)


@pytest.fixture()
def session(tmp_path: Path) -> Iterator[AppSession]:
    """Members with badges, and an outbox whose log has every kind of entry."""
    cache = Cache(tmp_path / "cache")
    seed(cache)  # the audit log's members (ids 1-7) and actions
    with cache.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
        Cache.upsert_badges(connection, [_badge(10, "MVP"), _badge(20, "Speaker")])
        Cache.upsert_awards(
            connection,
            [
                Award(i, mid, bid, NOW, "Alice", "great")
                for i, (mid, bid) in enumerate(AWARDS, 1)
                if bid != 30
            ],
        )
    tasks = TaskManager()
    community = Community("test", None, cache)
    session = AppSession(community, tasks)
    yield session
    tasks.shutdown()
    community.close()


@pytest.fixture()
def pseudo(tmp_path: Path) -> Iterator[None]:
    """The two panes' messages pseudo-translated ("[Šéårçh…~~~]"), from a template lupdate wrote."""
    template = tmp_path / "search_audit.ts"
    # With the shared widgets they show (the audit log's paging, the member detail's profile button).
    sources = ui_sources(UI_ROOT / "search") + ui_sources(UI_ROOT / "audit") + ui_sources(UI_ROOT / "widgets")
    extract(template, sources)
    translator = pseudo_translator(None, template)
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def _members(session: AppSession, qtbot: QtBot) -> MemberSearchView:
    view = MemberSearchView(session, Settings())
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    view.reload()
    qtbot.waitUntil(lambda: view.idle and view.model.rowCount() > 0)
    return view


def _audit(session: AppSession, qtbot: QtBot, page_size: int = 500) -> AuditLogView:
    view = AuditLogView(session, page_size=page_size)
    qtbot.addWidget(view)
    view.resize(1400, 520)
    view.show()
    qtbot.waitUntil(lambda: view.idle and view.shown_filter is not None, timeout=10_000)
    return view


def _headers(model: QAbstractItemModel) -> list[str]:
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


def _menu_texts(menu: QMenu) -> list[str]:
    texts = [menu.title()]
    for action in menu.actions():
        submenu = action.menu()
        texts += _menu_texts(submenu) if isinstance(submenu, QMenu) else [action.text(), action.toolTip()]
    return texts


def _english(widget: QWidget, texts: list[str]) -> list[str]:
    shown = [html.unescape(_TAGS.sub("", text)) for text in texts]  # a rich tooltip's plain text
    return [
        f"{type(widget).__name__} {widget.objectName()!r}: {text!r}"
        for text in shown
        if _WORDS.search(text) and not text.startswith("[")
    ]


def english_left(root: QWidget) -> list[str]:
    """Every text with words that ``root`` shows untranslated, besides the user's data."""
    left: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or widget.property(DATA_PROPERTY):
            continue
        texts = [widget.toolTip()]
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            texts.append(widget.accessibleName())
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            # The "Who" filter lists moderators' names after its first choice.
            shown = 1 if widget.objectName() == "auditActor" else widget.count()
            texts += [widget.itemText(i) for i in range(shown)]
            texts += [str(widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or "") for i in range(shown)]
        if isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            texts += [header.text(c) for c in range(header.columnCount())]
        left += _english(widget, texts)
    return left


def test_the_members_pane_pseudo_translated_shows_no_english(
    pseudo: None, session: AppSession, qtbot: QtBot, artifacts: Path
) -> None:
    view = _members(session, qtbot)
    view.add_filter(holds=10, status=MemberStatus.ACTIVE, seen_within_days=36500)
    qtbot.waitUntil(lambda: view.idle and len(view.chips.chips) == 3 and view.model.rowCount() > 0)
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.detail.detail is not None)
    view.bar._fill_saved_menu()

    left = english_left(view)
    left += _english(view.table, _headers(view.model))
    qtbot.waitUntil(lambda: view.model.index(0, 5).data() != "…")
    left += _english(view.table, [str(view.model.index(0, c).data()) for c in (3, 5)])
    for button in (view.bar.filter_button, view.bar.saved_button):
        left += _english(button, _menu_texts(button.menu()))
    assert left == []
    view.grab().save(str(artifacts / "members_pseudo.png"))


def test_the_audit_log_pseudo_translated_shows_no_english(
    pseudo: None, session: AppSession, qtbot: QtBot, artifacts: Path
) -> None:
    view = _audit(session, qtbot, page_size=4)
    assert view.more_button.isVisible()
    left = english_left(view)
    left += _english(view.table, _headers(view.model))
    model = view.model
    for row in range(model.rowCount()):
        # The Action column's kinds are translated by ui.widgets.action_labels, not here.
        for column in range(model.columnCount()):
            if column in (STATE, OUTCOME):
                left += _english(view.table, [str(model.index(row, column).data() or "")])
            if column != ACTION:
                tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
                # Tooltips of the member, badge, reason and detail columns show the user's data.
                if column in (WHEN, BATCH, STATE):
                    left += _english(view.table, [str(tip or "")])
    assert left == []
    view.grab().save(str(artifacts / "audit_log_pseudo.png"))


def test_member_counts_group_thousands_and_say_one_in_the_singular(session: AppSession, qtbot: QtBot) -> None:
    view = _members(session, qtbot)
    view._total = 20_000  # as many as the demo community has
    view._update_count()
    assert view.count_label.text() == "20,000 members"
    assert view.select_all_button.text() == "Select all 20,000"
    view._total = 1
    view._update_count()
    assert view.count_label.text() == "1 member"
    view.query = replace(view.query, text="jose")
    view._update_count()
    assert view.count_label.text() == "1 match"
    view._total, view._more = 1000, True
    view._update_count()
    assert view.count_label.text() == "1,000+ matches, counting…"

    assert Held(20_000, 20_000).text() == "20,000"
    assert Held(2, 4, (("Helpful", 3),)).text() == "2 (4 grants) · Helpful ×3"


def test_the_chips_read_the_locale_s_dates_and_count_days() -> None:
    query = MemberQuery(
        joined_after=datetime(2024, 1, 5, tzinfo=UTC),
        joined_before=datetime(2024, 12, 31, tzinfo=UTC),
        seen_within_days=1,
    )
    assert [text for text, _remove in query_chips(query, str)] == [
        "Joined after 1/5/24",
        "Joined before 12/31/24",
        "Seen within 1 day",
    ]
    assert query_chips(replace(query, seen_within_days=20_000), str)[-1][0] == "Seen within 20,000 days"


def test_the_members_table_shows_the_locale_s_dates_and_sorts_by_the_stored_ones(
    session: AppSession, qtbot: QtBot
) -> None:
    view = _members(session, qtbot)
    view.set_query(MemberQuery(sort=SortKey.JOINED, descending=False))
    qtbot.waitUntil(lambda: view.idle and view.model.index(0, 3).data() != "…")
    qtbot.waitUntil(
        lambda: all(view.model.index(r, 0).data(MemberRole) for r in range(view.model.rowCount()))
    )
    members: list[Member] = [view.model.index(r, 0).data(MemberRole) for r in range(view.model.rowCount())]
    joined = [member.joined_at for member in members]
    assert joined == sorted(joined)
    assert view.model.index(0, 3).data() == format_date(joined[0])


def test_audit_states_and_outcomes_read_in_english_as_stored() -> None:
    assert [state_name(state) for state in ActionState] == [state.value for state in ActionState]
    assert outcome_text("already_held") == "already held"
    assert outcome_text("one-by-one") == "one-by-one"
    # An outcome the table does not know yet still shows, as stored.
    assert outcome_text("some_new_outcome") == "some new outcome"


def test_the_audit_count_groups_thousands(session: AppSession, qtbot: QtBot) -> None:
    view = _audit(session, qtbot, page_size=4)
    view.total = 20_000
    view._update_count()
    assert view.count_label.text() == "20,000 entries · showing the newest 4"
    assert view.more_button.text() == "Load 4 more"
