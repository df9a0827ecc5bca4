"""The due programs strip on the demo: a program whose period ended unrun is listed above the panes,
its button opens the dry run at once, running it takes it off the strip; Dismiss puts the strip away."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.domain import BadgeState, utc_now
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, latest_ended, today_in
from desktop.programs.store import ProgramStore
from tests.ui.conftest import community_of, window_of
from tests.ui.test_main_window import wait_synced
from tests.ui.test_program_run import wait_loaded
from ui.programs.due import FOCUS_KEY
from ui.programs.run_dialog import ProgramRunDialog
from ui.programs.run_reading import user_zone
from ui.shell.controller import AppController


def test_a_due_program_is_listed_and_its_button_opens_the_dry_run(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=300)
    wait_synced(qtbot, controller)
    window, community = window_of(controller), community_of(controller)
    strip = window.due_programs
    assert strip.isHidden()  # no program yet
    cache = community.cache
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    store = ProgramStore(cache)
    store.create(ProgramSpec("Ten Year Club", SourceSpec("tenure", {"years": 10}), badge.id, Cadence.MONTHLY))
    weekly = store.create(
        ProgramSpec("Top contributor", SourceSpec("tenure", {"years": 5}), badge.id, Cadence.WEEKLY)
    )
    today = today_in(user_zone(), utc_now())
    month, week = latest_ended(Cadence.MONTHLY, today).key, latest_ended(Cadence.WEEKLY, today).key

    window.session.sync()  # after each sync, as after the community opened
    qtbot.waitUntil(lambda: not strip.isHidden() and len(strip.buttons) == 2, timeout=20_000)
    assert strip.text.text() == f"2 programs are due: Ten Year Club ({month}), Top contributor ({week})"
    assert [b.text() for b in strip.buttons] == [
        f"Run Ten Year Club ({month})…",
        f"Run Top contributor ({week})…",
    ]
    assert strip.more_button.isHidden()
    Path("artifacts").mkdir(exist_ok=True)
    window.grab().save("artifacts/programs-due.png")

    # The keyboard reaches it: Ctrl+Shift+D moves to its first program.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    QTest.keySequence(window, QKeySequence(FOCUS_KEY))
    qtbot.waitUntil(lambda: strip.buttons[0].hasFocus(), timeout=5_000)

    # One click: the run dialog, its dry run read at once, for the period that is due.
    opened: list[ProgramRunDialog] = []
    strip.dialog_opened.connect(opened.append)
    qtbot.mouseClick(strip.buttons[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    dialog = opened[0]
    qtbot.addWidget(dialog)
    assert dialog.program.id == weekly.id and dialog.period.key == week
    wait_loaded(qtbot, dialog)

    # Run (recorded, with or without awards): it leaves the strip.
    runs: list[object] = []
    dialog.queued.connect(runs.append)
    assert dialog.queue_button.isEnabled()
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(runs), timeout=10_000)
    qtbot.waitUntil(lambda: len(strip.buttons) == 1, timeout=10_000)
    assert strip.text.text() == f"1 program is due: Ten Year Club ({month})"

    # Dismissed, it stays away after the next sync while the same programs are due.
    qtbot.mouseClick(strip.dismiss_button, Qt.MouseButton.LeftButton)
    assert strip.isHidden()
    window.session.sync()
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=20_000)
    qtbot.wait(100)
    assert strip.isHidden()


def test_more_than_four_due_programs_put_the_others_in_a_menu(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=300)
    wait_synced(qtbot, controller)
    window, community = window_of(controller), community_of(controller)
    cache = community.cache
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    store = ProgramStore(cache)
    made = [
        store.create(
            ProgramSpec(f"Club {years}", SourceSpec("tenure", {"years": years}), badge.id, Cadence.YEARLY)
        )
        for years in (1, 2, 3, 5, 10)
    ]
    strip = window.due_programs
    strip.check()
    qtbot.waitUntil(lambda: not strip.isHidden() and len(strip.due) == 5, timeout=10_000)
    assert [b.text().split(" (")[0] for b in strip.buttons] == [
        "Run Club 1",
        "Run Club 10",
        "Run Club 2",
        "Run Club 3",
    ]
    assert not strip.more_button.isHidden()
    [last] = strip.more_menu.actions()
    assert last.text().startswith("Run Club 5 (")
    opened: list[ProgramRunDialog] = []
    strip.dialog_opened.connect(opened.append)
    last.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    qtbot.addWidget(opened[0])
    assert opened[0].program.id == made[3].id
    wait_loaded(qtbot, opened[0])
