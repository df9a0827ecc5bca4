"""Every window and dialog of the app, opened in turn, for the walks that read them all.

The keyboard walk (tests/ui/test_keyboard_walk.py), the pseudo-translation walk
(tests/ui/test_pseudo_translation.py) and, through the keyboard walk, the screen
fit (tests/ui/test_screen_fit.py) go through these lists: a dialog added here is
checked by all three.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.domain import ActionKind
from desktop.settings import Settings
from tests.ui.test_batch_history import open_correction, open_revoke_from_batch
from tests.ui.test_group_check import open_group_check
from tests.ui.test_program_run import open_program_run
from tests.ui.test_title_holders import open_handover, open_title_holders, open_title_mark
from ui.connect.connect_dialog import ConnectDialog
from ui.programs.editor import ProgramEditorDialog
from ui.review.templates_dialog import DecisionTemplatesDialog
from ui.search.rules.rule_builder import RuleBuilderDialog
from ui.search.rules.rule_parts import Kind
from ui.search.saved_searches_dialog import SavedSearchesDialog
from ui.shell.connection_menus import ask_request_category_dialog
from ui.shell.main_window import MainWindow
from ui.shell.preferences_dialog import PreferenceHooks, PreferencesDialog
from ui.shell.profiles_dialog import ProfilesDialog
from ui.shell.quit_warning import ask_quit_with_actions_waiting
from ui.shortcuts.settings_dialog import ShortcutSettingsDialog


def _dialogs(qtbot: QtBot, window: MainWindow) -> list[tuple[str, Callable[[], QWidget]]]:
    """The windows and dialogs that do not run a loop of their own: name, opener."""
    return [
        ("batch dialog", lambda: window.new_batch((), ActionKind.AWARD)),
        ("batch correction", lambda: open_correction(qtbot, window)),
        ("revoke from a batch", lambda: open_revoke_from_batch(qtbot, window)),
        ("templates dialog", lambda: DecisionTemplatesDialog(window.queue.templates, window.queue)),
        ("shortcuts dialog", lambda: ShortcutSettingsDialog(window.queue.shortcuts, window.queue)),
        ("connect dialog", lambda: ConnectDialog(window)),
        (
            "preferences dialog",
            lambda: PreferencesDialog(
                window.queue.settings,
                PreferenceHooks(
                    edit_shortcuts=window.queue.edit_shortcuts, edit_templates=window.queue.edit_templates
                ),
                window,
            ),
        ),
        ("badge designer", window.badges.new_badge),
        ("rule builder", window.members.rules.open_builder),
        ("group check dialog", lambda: open_group_check(qtbot, window)),
        ("program run dialog", lambda: open_program_run(qtbot, window)),
        ("one holder at a time dialog", lambda: open_title_mark(qtbot, window)),
        ("hand-over dialog", lambda: open_handover(qtbot, window)),
        ("holders by period dialog", lambda: open_title_holders(qtbot, window)),
        (
            "saved searches dialog",
            lambda: SavedSearchesDialog(Settings(saved_searches={"Speakers": {}}), window.members),
        ),
        ("user guide", window.help.open_guide),
        ("program editor", window.programs.new_program),
        ("profiles dialog", lambda: ProfilesDialog(window.queue.settings or Settings(), "demo", window)),
    ]


def dialogs(qtbot: QtBot, window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """Each window and dialog (the main window's tabs apart) opened in turn: (name, the shown window).

    A window is hidden again once the caller has read it and asks for the next.
    The designer's family dialog follows the designer; the rule builder is read
    again with a condition of each fullest kind (a badge held, posts, trust level:
    posts and trust level are offered where the members carry them, so on a server
    without them the session is told it has them, for the texts' sake).
    """
    for name, opener in _dialogs(qtbot, window):
        dialog = opener()
        yield name, dialog
        if name == "badge designer":
            family = dialog.open_family_dialog()  # type: ignore[attr-defined]
            yield "family dialog", family
            family.reject()
        if name == "rule builder":
            assert isinstance(dialog, RuleBuilderDialog)
            dialog.add_condition()
            kinds = dialog.editor.kind
            kinds.setCurrentIndex(kinds.findData(Kind.HOLDS_BADGE))
            yield "rule builder, a condition", dialog
            session = dialog.session
            if kinds.findData(Kind.POSTS) < 0:
                assert session.capabilities is not None
                session._set_capabilities(replace(session.capabilities, member_activity=True))
            for kind in (Kind.POSTS, Kind.TRUST_LEVEL):
                index = kinds.findData(kind)
                assert index >= 0, f"the rule builder does not offer {kind} where members carry it"
                kinds.setCurrentIndex(index)
                yield f"rule builder, {kind.value}", dialog
        if name == "program editor":
            assert isinstance(dialog, ProgramEditorDialog)
            # Each source's parameters (a one-off's posters with their window).
            dialog.cadence_combo.setCurrentIndex(dialog.cadence_combo.findData("one-off"))
            sources = dialog.source.kind_combo
            for index in range(sources.count()):
                sources.setCurrentIndex(index)
                yield f"program editor, {sources.itemData(index)} source", dialog
        dialog.hide()


def modal_dialogs(window: MainWindow) -> list[tuple[str, Callable[[], object]]]:
    """The dialogs that run a loop of their own (read with tests.ui.modal.inspect_modal): name, opener."""
    return [
        ("paste-list dialog", window.members.bar.paste_button.click),
        ("save-search dialog", window.members.bar._save_dialog),
        ("badge picker", lambda: window.members.bar.filter_menu._pick_badge(holds=True)),
        ("request-category dialog", lambda: ask_request_category_dialog(window, "badge-requests")),
        ("About dialog", window._about),
        ("quit warning", lambda: ask_quit_with_actions_waiting(window, 3)),
    ]
