"""Leaving the open community for another: the controller's side of a switch.

The switcher (:mod:`ui.shell.profile_switch`) decides where to go and claims the
profile for this process; here the open community is closed (its background work
stopped first, its queued actions left in its work file), what the controller knew
about reaching its server is forgotten, and the other community is opened as at
start. The old window stays, disabled, until the new one shows: closing the last
window would quit the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from desktop.dialects import registry
from desktop.settings import ConnectionChoice
from ui.connect.connect_dialog import Connection
from ui.operations import TaskManager
from ui.shell.demo import DEMO_REQUEST_CATEGORY, demo_profile
from ui.widgets.text import tell

if TYPE_CHECKING:
    from ui.shell.controller import AppController


def switch_community(controller: AppController, connection: Connection | None) -> bool:
    """Leave ``controller``'s community for another server's (None: the demo's): its own cache,
    window and session. False when this one could not be closed (it stays open). GUI thread."""
    assert controller.window is not None
    old_window = controller.window
    if not controller._stop():
        tell(
            old_window,
            QCoreApplication.translate("AppController", "BadgeDesk cannot switch servers"),
            QCoreApplication.translate(
                "AppController",
                "Background work did not stop in time, so this community's cache could not be closed. "
                "Quit BadgeDesk and start it with --server to connect to the other server.",
            ),
            QMessageBox.Icon.Warning,
        )
        return False
    old_window.setEnabled(False)
    controller._old_window = old_window
    if connection is None:
        controller.server = None
        demo = controller.settings.connection(demo_profile(controller.demo_dialect))
        category = DEMO_REQUEST_CATEGORY if controller.demo_dialect == "discourse" else ""
        controller._take_choice(
            ConnectionChoice(
                controller.kind or registry.DEFAULT_KIND, "", demo.request_category if demo else category
            )
        )
        controller._typed_key = None
    else:
        controller.server = connection.url
        controller.insecure_http = controller.insecure_http or connection.insecure_http
        controller._take_choice(connection.choice)
        # A profile whose kind was never chosen: the connect dialog asks.
        controller.server_kind = connection.choice.kind or None
        controller._typed_key = connection.key or None
    controller._address = None
    controller._token_to_store = None
    controller._no_keyring = False
    controller._asking_token = False
    controller._token_declined = False
    controller._forget_token = False
    controller.community = None
    controller.session = None
    controller.window = None
    controller.tasks = TaskManager(controller)
    controller._closing = False
    controller.start()
    return True
