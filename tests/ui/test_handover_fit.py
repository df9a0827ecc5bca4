"""The hand-over dialog's steps wrap with long display names and keep their lines (they sat in a group box
that squeezed them to one line now and then): on a 1024×700 screen nothing is cut."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.conftest import window_of
from tests.ui.screen_fit import SCREENS, place_on_screen, unfit
from tests.ui.test_title_holders import open_handover
from ui.badges.handover_dialog import HandoverDialog
from ui.shell.controller import AppController

LONG = "@" + "gwenaelle.dvorak.of.the.very.long.username.society" + " (Gwenaëlle Dvořák-Oyelaran-Montgomery)"


def test_long_names_wrap_the_steps_and_nothing_is_cut(qtbot: QtBot, discourse_demo: AppController) -> None:
    window = window_of(discourse_demo)
    window.show()
    qtbot.waitExposed(window)
    dialog = open_handover(qtbot, window)
    assert isinstance(dialog, HandoverDialog)
    dialog.steps = lambda: [  # type: ignore[method-assign]
        f"1. “Former Hero of the Quarter” is granted to {LONG}.",
        f"2. “Hero of the Quarter” is granted to {LONG}.",
        f"3. {LONG}'s “Hero of the Quarter” is revoked.",
    ]
    dialog.holder_label.setText(f"{LONG}, since 12/7/26 12:47 AM")
    dialog._update()
    screen = SCREENS["1024"]
    place_on_screen(dialog, screen)
    assert unfit(dialog, screen) == []
    dialog.close()
