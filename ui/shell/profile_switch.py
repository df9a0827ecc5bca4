"""The community switcher: File ▸ Community and a combo in the status bar.

File ▸ Community ▸ Switch to ▸ (each profile) and ▸ Switch community… (``Ctrl+Shift+K``
unless rebound, :data:`SWITCH_ID`: opens the status bar's list) leave the open community
for another; ▸ Profiles… adds, renames and removes them (:mod:`ui.shell.profiles_dialog`).
Switching closes the open community as the controller does for another server (its queued
actions stay in its work file; background work is stopped first) and opens the other one;
a profile open in another BadgeDesk is brought to the front there instead
(:mod:`ui.single_instance`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QMenu, QMessageBox, QWidget

from desktop import failures, paths, profiles
from desktop.cache.database import PROFILE_LOCK_NAME
from desktop.cache.locks import LockBusy, held
from desktop.profiles import Profile, ProfileError
from desktop.settings import ConnectionChoice
from ui.connect.connect_dialog import Connection
from ui.shell.demo import demo_profile
from ui.shell.main_window import MainWindow
from ui.shortcuts.app_keys import SWITCH_COMMUNITY
from ui.single_instance import LOCK_NAME, Claim, SingleInstance
from ui.widgets.text import tell

if TYPE_CHECKING:
    from ui.shell.controller import AppController

#: The switch's shortcut id (its key: Ctrl+Shift+K unless rebound in Settings ▸ Keyboard shortcuts).
SWITCH_ID = SWITCH_COMMUNITY


class ProfileSwitcher(QObject):
    """Lives on the GUI thread, beside its controller; rebuilt into each new window."""

    #: A removed profile's data was deleted (id, "") and its record dropped, or not (id, why: it stays).
    removal_finished = Signal(str, str)

    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self.controller = controller
        #: Set by the app (``ui.app``): which profile this process holds. None in tests of the window.
        self.single_instance: SingleInstance | None = None
        self.menu: QMenu | None = None
        self.combo: QComboBox | None = None
        self._switch_menu: QMenu | None = None
        self.switch_action: QAction | None = None
        #: Profiles whose data is being deleted (on a worker): listed until it is gone, not opened.
        self._removing: set[str] = set()
        #: The Profiles dialog is open: it says how a removal went.
        self._dialog_open = False
        #: Replaceable in tests: (parent, title, text, icon) says something that needs acknowledging.
        self.tell: Callable[[QWidget | None, str, str, QMessageBox.Icon], None] = tell

    def current(self) -> Profile:
        """The open profile (the demo whatever its dialect)."""
        server = self.controller.server
        settings = self.controller.settings
        if server is None:
            return profiles.demo(settings)
        found = profiles.find(settings, server)
        return found or Profile(id=paths.profile_id(server), name=server, url=server)

    def key(self, profile: Profile) -> str:
        """What the controller names ``profile`` by (the demo's depends on the demo's kind)."""
        return demo_profile(self.controller.demo_dialect) if profile.is_demo else profile.url

    def attach(self, window: MainWindow) -> None:
        """File ▸ Community and the status bar's combo of the controller's new window."""
        menu = QMenu(self.tr("Co&mmunity"), window)
        # In the File menu: the menu bar has no letter left for a menu of its own.
        window.file_menu.insertMenu(window.sync_action, menu)
        self._switch_menu = menu.addMenu(self.tr("S&witch to"))
        switch = QAction(self.tr("Switch &community…"), window)
        window.shortcuts.bind(SWITCH_ID, switch)
        switch.triggered.connect(self.pick)
        menu.addAction(switch)
        manage = QAction(self.tr("&Profiles…"), window)
        manage.triggered.connect(self.manage)
        menu.addAction(manage)
        self.switch_action = switch
        self.menu = menu
        combo = QComboBox(window)
        combo.setObjectName("community_switcher")
        combo.setAccessibleName(self.tr("Community"))
        window.statusBar().addPermanentWidget(combo)
        self.combo = combo
        self._combo_tooltip(window)
        # Rebound in Settings ▸ Keyboard shortcuts: the tooltip follows (the action does by itself).
        window.shortcuts.changed.connect(lambda: self._combo_tooltip(window))
        self.refresh()
        combo.activated.connect(self._chosen)

    def _combo_tooltip(self, window: MainWindow) -> None:
        if self.combo is None:
            return
        key = window.shortcuts.text(SWITCH_ID)
        self.combo.setToolTip(
            self.tr("The open community ({shortcut} to switch)").format(shortcut=key)
            if key
            else self.tr("The open community")
        )

    def refresh(self) -> None:
        """List the profiles again (added, renamed or removed)."""
        if self.menu is None or self.combo is None or self._switch_menu is None:
            return
        listed = profiles.all_profiles(self.controller.settings)
        current = self.current()
        self.combo.blockSignals(True)
        self.combo.clear()
        for profile in listed:
            self.combo.addItem(profile.name, profile.id)
        index = self.combo.findData(current.id)
        if index < 0:
            self.combo.addItem(current.name, current.id)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self._switch_menu.clear()
        group = QActionGroup(self._switch_menu)
        for profile in listed:
            action = self._switch_menu.addAction(profile.name)
            action.setCheckable(True)
            action.setChecked(profile.id == current.id)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, p=profile: self.switch(p))

    def pick(self) -> None:
        """Switch community… (Ctrl+Shift+K): the status bar's list, open, with the keyboard in it."""
        if self.combo is not None:
            self.combo.setFocus()
            self.combo.showPopup()

    def _chosen(self, index: int) -> None:
        assert self.combo is not None
        ident = self.combo.itemData(index)
        profile = next((p for p in profiles.all_profiles(self.controller.settings) if p.id == ident), None)
        if profile is not None:
            self.switch(profile)

    def manage(self) -> None:
        """File ▸ Community ▸ Profiles…: the dialog changes the list; switching and deleting happen here."""
        from ui.shell.profiles_dialog import ProfilesDialog

        window = self.controller.window
        if window is None:
            return
        dialog = ProfilesDialog(self.controller.settings, self.current().id, window)
        chosen: list[tuple[Profile, Connection | None]] = []
        dialog.switch_requested.connect(lambda profile: chosen.append((profile, None)))
        dialog.added.connect(lambda profile, connection: chosen.append((profile, connection)))
        dialog.removed.connect(self.delete_data)
        self.removal_finished.connect(dialog.removal_finished)
        self._dialog_open = True
        try:
            dialog.exec()
        finally:
            self._dialog_open = False
            self.removal_finished.disconnect(dialog.removal_finished)
        dialog.deleteLater()
        self.refresh()
        for profile, connection in chosen:
            self.switch(profile, connection)

    def delete_data(self, profile: Profile) -> None:
        """Delete a profile the user removed: its cache and keyring entry on a worker, then (only
        then) its record. On failure it stays listed and the user is told what was left and why."""
        if profile.id in self._removing:
            return
        tokens = self.controller.tokens
        self._removing.add(profile.id)

        def work(_cancel: object, _report: object) -> None:
            folder = paths.profile_dir(profile.url)
            # Held for the whole deletion, so that nothing opens it meanwhile: app.lock (another
            # BadgeDesk has it open) and profile.lock alone (every open cache holds it shared: a window,
            # badgedesk sync/award/program --profile). Either taken: LockBusy, nothing deleted.
            with held(folder / LOCK_NAME), held(folder / PROFILE_LOCK_NAME):
                profiles.delete_data(profile, tokens)

        started = self.controller.tasks.start(
            "remove profile",
            work,
            pool="network",
            on_success=lambda _none: self._deleted(profile),
            on_failure=lambda error: self._not_deleted(profile, error),
        )
        if started is None:
            self._removing.discard(profile.id)

    def _deleted(self, profile: Profile) -> None:
        self._removing.discard(profile.id)
        profiles.forget(self.controller.settings, profile)
        from ui.shell.profiles_dialog import save_profiles

        save_profiles(self.controller.settings, self.controller.window, self.tell)
        self.refresh()
        self.removal_finished.emit(profile.id, "")
        self._said(
            self.tr("The community {name} was removed: its cache and keyring entry are deleted.").format(
                name=profile.name
            )
        )

    def _not_deleted(self, profile: Profile, error: Exception) -> None:
        self._removing.discard(profile.id)
        if isinstance(error, LockBusy):
            why = self.tr(
                "It is open in another BadgeDesk or a command is running on it: close it there, or let "
                "the command finish, first."
            )
        elif isinstance(error, ProfileError):
            why = str(error)
        else:
            why = failures.describe(error, failures.changing(self.tr("deleting its cache"))).message
        text = self.tr(
            "The community {name} was not removed: {why} It stays in the list: remove it again once that "
            "is fixed."
        ).format(name=profile.name, why=why)
        self.refresh()
        self._said(text)
        self.removal_finished.emit(profile.id, text)
        if not self._dialog_open and self.controller.window is not None:
            # Else the Profiles dialog says it (removal_finished).
            self.tell(self.controller.window, self.tr("Remove community"), text, QMessageBox.Icon.Warning)

    def _said(self, text: str) -> None:
        if self.controller.window is not None:
            self.controller.window.status.show_message(text)

    def switch(self, profile: Profile, connection: Connection | None = None) -> bool:
        """Leave the open community for ``profile`` (``connection``: as just added, with the key typed);
        False when it stays (the same one, open elsewhere)."""
        controller = self.controller
        window = controller.window
        if window is None or controller.closing or profile.id == self.current().id:
            self.refresh()
            return False
        if profile.id in self._removing:
            window.status.show_message(
                self.tr("The community {name} is being removed.").format(name=profile.name)
            )
            return False
        key = self.key(profile)
        if self.single_instance is not None:
            # The new one claimed beside the old one: the old one is released only once its cache is
            # closed (switch_to), so that no other BadgeDesk opens it meanwhile.
            claim = self.single_instance.claim_also(key)
            if claim is not Claim.FIRST:
                self.refresh()
                if claim is Claim.FOCUSED_OTHER:
                    window.status.show_message(
                        self.tr("{name} is open in another BadgeDesk window: brought to the front.").format(
                            name=profile.name
                        )
                    )
                else:
                    tell(
                        window,
                        self.tr("BadgeDesk cannot switch"),
                        claim_refused(profile.name, claim, self.single_instance),
                        QMessageBox.Icon.Warning,
                    )
                return False
        if profile.is_demo:
            switched = controller.switch_to(None)
        else:
            choice = ConnectionChoice(profile.kind, profile.username, profile.request_category)
            switched = controller.switch_to(connection or Connection(profile.url, choice, ""))
        if self.single_instance is not None:
            if switched:
                self.single_instance.keep_only(key)
            else:
                # Still open here: this process keeps answering for it, not for the other one.
                self.single_instance.release(key)
        return switched

    def open_server(self, connection: Connection) -> bool:
        """File ▸ Connect to a server… with another server: switch to it as to a profile (it becomes
        one once it accepts the key), so that a server open in another BadgeDesk is not opened twice."""
        url = connection.url.strip().rstrip("/")
        known = profiles.find(self.controller.settings, url)
        profile = known or Profile(id=paths.profile_id(url), name=url, url=url)
        return self.switch(profile, connection)


def claim_refused(name: str, claim: Claim, single: SingleInstance) -> str:
    """Why community ``name`` cannot open in this process (``claim``: BUSY or UNAVAILABLE)."""
    if claim is Claim.UNAVAILABLE and single.error is not None:
        error = single.error
        return QCoreApplication.translate(
            "ProfileSwitcher",
            "BadgeDesk cannot open the community {name}: its folder {folder} cannot be used ({why}).",
        ).format(
            name=name,
            folder=os.fsdecode(error.filename) if error.filename else "?",
            why=error.strerror or type(error).__name__,
        )
    return busy_message(name)


def busy_message(name: str) -> str:
    return QCoreApplication.translate(
        "ProfileSwitcher",
        "Another BadgeDesk has the community {name} open and did not answer. Close it (or wait for it "
        "to finish), then try again.",
    ).format(name=name)
