"""The Review queue's and the Badges pane's own text, pseudo-translated (issue 19, translation-ready).

A pseudo-translation built from these two folders' messages only (what lupdate reads
in ``ui/review`` and ``ui/badges``) is installed before the app starts: every text
those panes and their dialogs show of their own must come out bracketed. A text left
English was never wrapped, or wrapped where lupdate cannot read it; both would stay
English in a real translation. The community's data (names, notes, badge titles)
and the core's sentences (translated by gettext, not here) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.i18n import PSEUDO_OPEN
from tests.ui.conftest import DISCOURSE_MEMBERS, wait_idle_after_sync, window_of
from ui.i18n import DATA_PROPERTY
from ui.i18n_catalog import UI_ROOT, PseudoTranslator, extract, messages
from ui.review.templates_dialog import DecisionTemplatesDialog
from ui.shell.controller import AppController
from ui.shortcuts.help_overlay import ShortcutHelpOverlay
from ui.widgets.load_failure import LoadFailure

#: Labels that show the core's words (gettext's, not this pseudo-translation's).
CORE_TEXT = {"cardProblem", "cardStatus"}
#: Shared widgets inside the panes whose text is their own folder's (tested there).
SHARED = (LoadFailure, ShortcutHelpOverlay)
_WORDS = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture()
def pseudo_panes(tmp_path: Path) -> Iterator[PseudoTranslator]:
    template = tmp_path / "panes.ts"
    extract(template, sorted([*(UI_ROOT / "review").glob("*.py"), *(UI_ROOT / "badges").glob("*.py")]))
    translator = PseudoTranslator(messages(template))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def pseudo(text: str) -> bool:
    return text.startswith(PSEUDO_OPEN)


def english_left(root: QWidget) -> list[str]:
    """Texts of ``root``'s own widgets (not the user's data) that are not pseudo-translated."""
    found: list[str] = []
    shared = [w for kind in SHARED for w in root.findChildren(kind)]
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.property(DATA_PROPERTY) or widget.objectName() in CORE_TEXT:
            continue
        if any(other is widget or other.isAncestorOf(widget) for other in shared):
            continue
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        texts = [("accessible name", widget.accessibleName())]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(("text", widget.text()))
        if isinstance(widget, QAbstractButton) and widget.toolTip():
            texts.append(("tooltip", widget.toolTip()))
        if widget.isWindow():
            texts.append(("title", widget.windowTitle()))
        found += [
            f"{where} {what}: {text!r}" for what, text in texts if _WORDS.search(text) and not pseudo(text)
        ]
    return found


def test_the_queue_badges_and_their_dialogs_show_no_english_of_their_own(
    qtbot: QtBot,
    pseudo_panes: PseudoTranslator,
    make_controller: Callable[..., AppController],
    artifacts: Path,
) -> None:
    controller = make_controller(demo_members=DISCOURSE_MEMBERS, demo_dialect="discourse")
    wait_idle_after_sync(qtbot, controller)
    window = window_of(controller)
    queue, badges = window.queue, window.badges
    assert queue.current_group() is not None, "the demo has no request to decide"
    left = [f"queue: {problem}" for problem in english_left(queue)]
    left += [f"badges: {problem}" for problem in english_left(badges)]

    # Headers, fixed combo items, the queue's status column and the badges' states.
    for name, model in (("queue", queue.model), ("badges", badges.model)):
        for column in range(model.columnCount()):
            header = model.headerData(column, Qt.Orientation.Horizontal)
            if not pseudo(header):
                left.append(f"{name} header {column}: {header!r}")
    combos: list[tuple[QComboBox, range]] = [
        (queue.order, range(queue.order.count())),
        (queue.badge_filter, range(1)),
        (badges.state_filter, range(badges.state_filter.count())),
        (badges.category_filter, range(1)),
    ]
    for combo, rows in combos:
        left += [
            f"{combo.objectName()} item {i}: {combo.itemText(i)!r}"
            for i in rows
            if not pseudo(combo.itemText(i))
        ]
    statuses = [queue.model.status_text(group) for group in queue.model.groups()]
    left += [f"queue status {text!r}" for text in statuses if text and not pseudo(text)]
    states = [badges.model.index(row, 1).data() for row in range(badges.model.rowCount())]
    left += [f"badge state {text!r}" for text in states if not pseudo(text)]
    assert badges.model.rowCount() > 0 and any(statuses)
    # The card's status line is ours while the request is pending (the core's once decided).
    group = queue.current_group()
    assert group is not None and group.pending
    for text in (queue.card.status.text(), queue.count_label.text(), badges.count_label.text()):
        if not pseudo(text):
            left.append(f"count or status line {text!r}")
    window.resize(1400, 820)
    window.tabs.setCurrentWidget(queue)
    window.grab().save(str(artifacts / "review_queue_pseudo.png"))
    window.tabs.setCurrentWidget(badges)
    window.grab().save(str(artifacts / "badges_pseudo.png"))
    queue.skip()
    if not pseudo(queue.model.status_text(group).split(" · ")[-1]):
        left.append(f"skipped status {queue.model.status_text(group)!r}")

    # The deny and return dialogs as the queue opens them (then cancelled), and the templates.
    def check_and_cancel(dialog: QDialog) -> bool:
        left.extend(f"{dialog.objectName()}: {problem}" for problem in english_left(dialog))
        return False

    queue.run_dialog = check_and_cancel
    queue.deny()
    queue.return_request()
    templates = DecisionTemplatesDialog(queue.templates, queue)
    left += [f"templates dialog: {problem}" for problem in english_left(templates)]
    templates.deleteLater()
    assert left == [], "\n".join(left)
