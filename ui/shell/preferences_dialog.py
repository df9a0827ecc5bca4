"""Preferences: the app's settings in one dialog (Settings ▸ Preferences…, the platform's Preferences key).

It edits what was scattered or only in the settings file: how often to sync, the
language, the size of the demo community; and opens the dialogs that already edit
the keyboard shortcuts and the deny and return templates (each applies its own
changes when it is accepted). OK writes :class:`~desktop.settings.Settings`, which
the app saves at exit as before; the sync interval applies at once, the language at
the next start, the demo size when the demo community is first created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import Settings
from ui.i18n import available_languages
from ui.widgets.text import plain_label

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

#: The longest sync interval offered (a day), in seconds.
MAX_SYNC_INTERVAL_S = 86_400
#: The demo community sizes offered.
DEMO_MEMBERS_RANGE = (100, 200_000)
#: The language code of BadgeDesk's own English (its source texts).
ENGLISH = "en"
#: Besides the platform's Preferences key (none on some key schemes), Ctrl+, everywhere.
PREFERENCES_KEY = "Ctrl+,"


@dataclass(frozen=True, slots=True)
class PreferenceHooks:
    """What the dialog asks of the app: the other settings dialogs, and applying the sync interval."""

    edit_shortcuts: Callable[[], object] | None = None
    edit_templates: Callable[[], object] | None = None
    #: Called with the new interval (seconds; 0: only by hand) when OK changed it.
    apply_sync_interval: Callable[[int], object] | None = None


def language_name(code: str) -> str:
    """A language as its speakers name it ("Deutsch", "français (Canada)"), for a translation's code."""
    locale = QLocale(code)
    name = locale.nativeLanguageName() or code
    if "_" in code and locale.nativeTerritoryName():
        return QCoreApplication.translate("PreferencesDialog", "{language} ({territory})").format(
            language=name, territory=locale.nativeTerritoryName()
        )
    return name


class PreferencesDialog(QDialog):
    """Edits ``settings`` on OK; Cancel (or Esc) leaves them as they were. GUI thread only."""

    def __init__(
        self, settings: Settings, hooks: PreferenceHooks | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle(self.tr("Preferences"))
        self.settings = settings
        self.hooks = hooks or PreferenceHooks()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.sync_interval = QSpinBox()
        self.sync_interval.setObjectName("syncInterval")
        self.sync_interval.setRange(0, max(MAX_SYNC_INTERVAL_S, settings.sync_interval_s))
        self.sync_interval.setSingleStep(30)
        self.sync_interval.setGroupSeparatorShown(True)
        self.sync_interval.setSuffix(self.tr(" s"))
        # Shown at 0, the minimum.
        self.sync_interval.setSpecialValueText(self.tr("Only by hand"))
        self.sync_interval.setValue(settings.sync_interval_s)
        self.sync_interval.setAccessibleName(self.tr("Sync interval in seconds"))
        self.sync_interval.setToolTip(
            self.tr(
                "How often BadgeDesk syncs with the server while it is online, in seconds;"
                " 0: only when you choose File ▸ Sync now. Applies at once."
            )
        )
        sync_label = QLabel(self.tr("Sync &interval:"))
        sync_label.setBuddy(self.sync_interval)
        form.addRow(sync_label, self.sync_interval)

        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem(self.tr("System default"), "")
        self.language.addItem(self.tr("English"), ENGLISH)
        for code in available_languages():
            if code != ENGLISH:
                self.language.addItem(language_name(code), code)
        if self.language.findData(settings.language) < 0:
            # Set by hand or by --language ("pseudo"): kept as it is unless another is chosen.
            self.language.addItem(settings.language, settings.language)  # i18n: not translated (a code)
        self.language.setCurrentIndex(self.language.findData(settings.language))
        self.language.setAccessibleName(self.tr("Language"))
        language_label = QLabel(self.tr("&Language:"))
        language_label.setBuddy(self.language)
        form.addRow(language_label, self.language)
        self.language_note = plain_label(
            self.tr("The language changes at the next start of BadgeDesk."), name="languageNote", wrap=True
        )
        self.language_note.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.language_note)

        self.demo_members = QSpinBox()
        self.demo_members.setObjectName("demoMembers")
        low, high = DEMO_MEMBERS_RANGE
        self.demo_members.setRange(min(low, settings.demo_members), max(high, settings.demo_members))
        self.demo_members.setSingleStep(1_000)
        self.demo_members.setGroupSeparatorShown(True)
        self.demo_members.setValue(settings.demo_members)
        self.demo_members.setAccessibleName(self.tr("Members of the demo community"))
        demo_label = QLabel(self.tr("&Demo community members:"))
        demo_label.setBuddy(self.demo_members)
        form.addRow(demo_label, self.demo_members)
        self.demo_note = plain_label(
            self.tr(
                "The demo community is made with this many members at its first start;"
                " one made already keeps its size."
            ),
            name="demoNote",
            wrap=True,
        )
        self.demo_note.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.demo_note)

        others = QHBoxLayout()
        self.shortcuts_button = QPushButton(self.tr("Keyboard &shortcuts…"))
        self.shortcuts_button.setObjectName("preferencesShortcuts")
        self.shortcuts_button.setToolTip(self.tr("Change the keys of the review queue's commands"))
        self.templates_button = QPushButton(self.tr("Deny and return &templates…"))
        self.templates_button.setObjectName("preferencesTemplates")
        self.templates_button.setToolTip(
            self.tr("Edit the reasons offered when denying or returning a request")
        )
        for button, opener in (
            (self.shortcuts_button, self.hooks.edit_shortcuts),
            (self.templates_button, self.hooks.edit_templates),
        ):
            button.setAutoDefault(False)
            button.setVisible(opener is not None)
            if opener is not None:
                button.clicked.connect(lambda _checked=False, run=opener: run())
            others.addWidget(button)
        others.addStretch(1)
        layout.addLayout(others)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.sync_interval.setFocus()

    def chosen_language(self) -> str:
        code = self.language.currentData()
        return code if isinstance(code, str) else ""

    def accept(self) -> None:
        interval = self.sync_interval.value()
        changed_interval = interval != self.settings.sync_interval_s
        self.settings.sync_interval_s = interval
        self.settings.language = self.chosen_language()
        self.settings.demo_members = self.demo_members.value()
        if changed_interval and self.hooks.apply_sync_interval is not None:
            self.hooks.apply_sync_interval(interval)
        super().accept()


def edit_preferences(window: MainWindow, run: Callable[[QDialog], bool] | None = None) -> bool:
    """Open the Preferences on ``window``'s settings; True when they were accepted."""
    queue = window.queue
    dialog = PreferencesDialog(
        queue.settings,
        PreferenceHooks(
            edit_shortcuts=queue.edit_shortcuts,
            edit_templates=queue.edit_templates,
            apply_sync_interval=window.session.set_sync_interval,
        ),
        window,
    )
    try:
        if run is not None:
            return run(dialog)
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def preferences_action(window: MainWindow) -> QAction:
    """Settings ▸ Preferences…, with the platform's Preferences key and Ctrl+, (on macOS: in the app menu)."""
    action = QAction(QCoreApplication.translate("PreferencesDialog", "&Preferences…"), window)
    action.setObjectName("preferencesAction")
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    keys = [QKeySequence(PREFERENCES_KEY)]
    keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) if k not in keys]
    action.setShortcuts(keys)
    action.setToolTip(
        QCoreApplication.translate(
            "PreferencesDialog", "Sync interval, language, demo community, keyboard shortcuts and templates"
        )
    )
    action.triggered.connect(lambda _checked=False: edit_preferences(window))
    return action
