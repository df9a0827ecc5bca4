"""The app under a pseudo-translation: no English left, nothing cut (issue 19, "Translation-ready").

``--language pseudo`` translates every message of the views' template
(``./dev i18n``) and of the core's catalogue into ``[Åççéñtéd téxt~~~]``. Every
window and dialog of the demo community is opened and read: a text with English
outside the brackets was never wrapped (or wrapped where lupdate cannot read
it); a button or label narrower than its grown text is a layout that breaks.
Screenshots of the main window, the designer and the batch dialog under the
pseudo-translation go to ``artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop.i18n import _, pseudo
from tests.ui import every_window
from tests.ui.conftest import wait_idle_after_sync, window_of
from tests.ui.modal import inspect_modal
from tests.ui.translation_walk import clipped, english_left, untranslated
from ui.i18n import english_form, install_translations
from ui.shell.controller import AppController

#: The smallest screen BadgeDesk is laid out for (a 1366×768 laptop, less the panel).
SMALL_SCREEN = (1366, 740)


@pytest.fixture()
def pseudo_language(qapp: QApplication) -> Iterator[None]:
    install_translations(qapp, "pseudo")
    yield
    install_translations(qapp, "en_US")  # the suite's language again (tests/ui/conftest.py)


@pytest.fixture()
def pseudo_demo(
    pseudo_language: None, qtbot: QtBot, make_controller: Callable[..., AppController]
) -> AppController:
    """The app on the demo community, built after the pseudo-translation was installed."""
    controller = make_controller(demo_members=300)
    wait_idle_after_sync(qtbot, controller)
    return controller


def test_pseudo_translation_keeps_placeholders_and_mnemonics() -> None:
    # The mnemonic's letter stays (Alt+A still approves); fields and Qt's %n, %1 stay.
    assert pseudo("&Approve {count} requests") == "[&Apprövé {count} réqüéštš~~~~~~~~]"
    assert pseudo("%n member(s) at %1").startswith("[%n mémbér(š) åt %1~")
    assert english_left(pseudo("Granted by {who}").format(who="Ann Lee")) == ""
    assert english_left(f"{pseudo('Members')}: 20,000") == ""
    assert english_left(f"Pending: {pseudo('none')}") == "Pending"


def test_english_counts_read_naturally() -> None:
    assert english_form("%n member(s) (is|are) waiting", 1) == "%n member is waiting"
    assert english_form("%n member(s) (is|are) waiting", 3) == "%n members are waiting"
    assert QCoreApplication.translate("Any", "%Ln entry(ies)", "", 20000) != ""


def test_the_core_messages_are_pseudo_translated_too(pseudo_language: None) -> None:
    assert _("Cannot read {path}") == pseudo("Cannot read {path}")


def _walk(qtbot: QtBot, name: str, window: QWidget, shots: Path | None = None) -> list[str]:
    window.show()
    qtbot.waitExposed(window)
    if shots is not None:
        qtbot.wait(400)  # pictures render in the background (the designer's canvas and previews)
    found = [f"{name}: English left: {problem}" for problem in untranslated(window)]
    found += [f"{name}: cut: {problem}" for problem in clipped(window)]
    if shots is not None:  # name_x1.png, name_x2.png under QT_SCALE_FACTOR=2 (./dev screenshots)
        window.grab().save(str(shots.with_name(f"{shots.stem}_x{window.devicePixelRatioF():g}.png")))
    return found


def test_every_window_and_dialog_is_translated_and_fits(
    qtbot: QtBot, pseudo_demo: AppController, artifacts: Path
) -> None:
    window = window_of(pseudo_demo)
    window.resize(*SMALL_SCREEN)
    problems: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        problems += _walk(
            qtbot, f"main window, tab {index}", window, artifacts / f"pseudo_main_window_tab{index}.png"
        )
    hint = window.minimumSizeHint()
    if hint.width() > SMALL_SCREEN[0] or hint.height() > SMALL_SCREEN[1]:
        problems.append(f"main window: needs {hint.width()}×{hint.height()}, more than a small screen")

    for name, dialog in every_window.dialogs(qtbot, window):
        problems += _walk(
            qtbot, name, dialog, artifacts / f"pseudo_{re.sub(r'[^a-z0-9]+', '_', name.lower())}.png"
        )

    modal = every_window.modal_dialogs(window)
    for name, run in modal:
        inspect_modal(run, lambda dialog, name=name: problems.extend(_walk(qtbot, name, dialog)))  # type: ignore[misc]

    window.tabs.setCurrentWidget(window.queue)
    assert window.queue.current_group() is not None, "the demo has no request to decide"

    def walk_and_cancel(dialog: QDialog) -> bool:
        problems.extend(_walk(qtbot, "decision dialog", dialog))
        return False

    window.queue.run_dialog = walk_and_cancel
    window.queue.deny()
    window.queue.return_request()
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
