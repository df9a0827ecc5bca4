"""File ▸ Community ▸ Profiles…: the communities this BadgeDesk looks after; add, rename, remove, switch.

Add asks for the server as File ▸ Connect to a server… does (kind, address, user,
API key) and a name, then switches to it: the connection checks the key, and the
key is stored in the keyring once the server accepts it. Remove says that the
community's cache and its keyring entry will be deleted, and deletes both (on a
worker); it leaves the list only once both are gone, and stays there (the reason
said) when they cannot be deleted. The demo community is always there and cannot be removed; the open
community cannot be removed either (switch away first).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import paths, profiles
from desktop import settings as settings_store
from desktop.profiles import Profile, ProfileError
from desktop.settings import Settings
from ui.connect.connect_dialog import ConnectForm, Connection
from ui.connect.connect_dialog import ask_connection as ask_connection_dialog
from ui.widgets.small_screens import size_for_screen
from ui.widgets.text import ask_text, confirm, plain_label, tell

ID_ROLE = Qt.ItemDataRole.UserRole

log = logging.getLogger(__name__)


def save_profiles(
    settings: Settings,
    parent: QWidget | None,
    tell: Callable[[QWidget | None, str, str, QMessageBox.Icon], None],
) -> None:
    """Save the settings now that the list of communities changed (not only at exit: another BadgeDesk
    may save meanwhile, a crash would lose it); a failure is said, the list stays as it is here."""
    try:
        settings_store.save(settings)
    except OSError as error:
        log.warning("Saving the settings after a change of communities failed: %s", error)
        tell(
            parent,
            QCoreApplication.translate("ProfilesDialog", "Communities"),
            QCoreApplication.translate(
                "ProfilesDialog",
                "The list of communities could not be saved ({why}): BadgeDesk tries again when it closes.",
            ).format(why=error.strerror or error),
            QMessageBox.Icon.Warning,
        )


class ProfilesDialog(QDialog):
    """Lives on the GUI thread. Changes the profiles in ``settings``; says what to switch to,
    add or delete by its signals (the switcher acts)."""

    #: Open this profile (the dialog closes).
    switch_requested = Signal(object)
    #: A new profile was added for this connection (with the key typed): open it.
    added = Signal(object, object)
    #: Remove this profile: delete its cache and keyring entry, then its record (the switcher;
    #: :meth:`removal_finished` says how it went).
    removed = Signal(object)

    def __init__(self, settings: Settings, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        #: The open profile's id (not removable here).
        self.current = current
        #: Ids of the communities whose data is being deleted: listed, but not to switch to or remove.
        self.removing: set[str] = set()
        self.setWindowTitle(self.tr("Communities"))
        #: Replaceable in tests.
        self.ask_connection: Callable[[QWidget | None, ConnectForm], Connection | None] = (
            ask_connection_dialog
        )
        self.ask_text: Callable[..., str | None] = ask_text
        self.tell: Callable[[QWidget | None, str, str, QMessageBox.Icon], None] = tell
        # Enter keeps the community: deleting is the risky answer.
        self.confirm: Callable[[QWidget | None, str, str], bool] = lambda parent, title, text: confirm(
            parent, title, text, default=QMessageBox.StandardButton.No
        )
        layout = QVBoxLayout(self)
        intro = plain_label(
            self.tr(
                "Each community has its own cache, API key and saved searches and rules. Switch with "
                "File ▸ Community ▸ Switch to, or the list in the status bar."
            ),
            wrap=True,
        )
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Communities"))
        intro.setBuddy(self.list)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.switch_button = QPushButton(self.tr("&Switch to"))
        self.add_button = QPushButton(self.tr("&Add…"))
        self.rename_button = QPushButton(self.tr("Re&name…"))
        self.remove_button = QPushButton(self.tr("Re&move…"))
        for button in (self.switch_button, self.add_button, self.rename_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.switch_button.clicked.connect(self._switch)
        self.list.itemActivated.connect(lambda _item: self._switch())
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.remove_button.clicked.connect(self.remove)
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self._fill()
        size_for_screen(self, 620, 360)

    def _fill(self, select: str | None = None) -> None:
        self.list.clear()
        for profile in profiles.all_profiles(self.settings):
            if profile.is_demo:
                text = self.tr("{name} (the demo community)").format(name=profile.name)
            else:
                text = self.tr("{name} ({url})").format(name=profile.name, url=profile.url)
            if profile.id == self.current:
                text = self.tr("{community}, open").format(community=text)
            elif profile.id in self.removing:
                text = self.tr("{community}, being removed…").format(community=text)
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, profile.id)
            self.list.addItem(item)
            if profile.id == (select or self.current):
                self.list.setCurrentItem(item)
        self._enable()

    def selected(self) -> Profile | None:
        item = self.list.currentItem()
        if item is None:
            return None
        ident = item.data(ID_ROLE)
        return next((p for p in profiles.all_profiles(self.settings) if p.id == ident), None)

    def _enable(self) -> None:
        profile = self.selected()
        idle = profile is not None and profile.id not in self.removing
        self.switch_button.setEnabled(idle and profile is not None and profile.id != self.current)
        self.rename_button.setEnabled(idle)
        self.remove_button.setEnabled(
            idle and profile is not None and not profile.is_demo and profile.id != self.current
        )

    def _switch(self) -> None:
        profile = self.selected()
        if profile is not None and profile.id != self.current and profile.id not in self.removing:
            self.switch_requested.emit(profile)
            self.accept()

    def add(self) -> None:
        connection = self.ask_connection(self, ConnectForm())
        if connection is None:
            return
        suggested = connection.url.split("://", 1)[-1].split("/", 1)[0]
        name = self.ask_text(
            self, self.tr("New community"), self.tr("Name of the community:"), text=suggested
        )
        if name is None:
            return
        try:
            profile = profiles.add(self.settings, name, connection.url, connection.choice)
        except ProfileError as error:
            self.tell(self, self.tr("New community"), str(error), QMessageBox.Icon.Warning)
            return
        save_profiles(self.settings, self, self.tell)
        self.added.emit(profile, connection)
        self.accept()

    def rename(self) -> None:
        profile = self.selected()
        if profile is None:
            return
        name = self.ask_text(self, self.tr("Rename community"), self.tr("New name:"), text=profile.name)
        if name is None:
            return
        try:
            profiles.rename(self.settings, profile.id, name)
        except ProfileError as error:
            tell(self, self.tr("Rename community"), str(error), QMessageBox.Icon.Warning)
            return
        save_profiles(self.settings, self, self.tell)
        self._fill(select=profile.id)

    def remove(self) -> None:
        profile = self.selected()
        if profile is None or profile.is_demo or profile.id in (self.current, *self.removing):
            return
        question = self.tr(
            "Remove the community {name}?\n\nIts cache ({folder}) and its API key in the system keyring "
            "will be deleted, with any actions still queued there. The server is not changed."
        ).format(name=profile.name, folder=paths.profile_dir(profile.url))
        if not self.confirm(self, self.tr("Remove community"), question):
            return
        # Listed until its data is deleted (removal_finished): a failure leaves it there to retry.
        self.removing.add(profile.id)
        self.removed.emit(profile)
        self._fill()

    def removal_finished(self, ident: str, problem: str) -> None:
        """The switcher deleted a removed community's data (``problem`` "") or could not (it says why)."""
        self.removing.discard(ident)
        self._fill()
        if problem:
            self.tell(self, self.tr("Remove community"), problem, QMessageBox.Icon.Warning)
