"""The menu actions that change how the open community is reached.

File → Connect to a server… (this server another way, or another server) and
Settings → Request category… (where the forum keeps badge requests; offered only
where the server kind keeps them in a category). They ask; the controller acts
(the request category is changed here).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import paths
from desktop.dialects import registry
from desktop.settings import ConnectionChoice
from ui.connect.connect_dialog import ConnectForm, category_problem
from ui.widgets.text import ask_text, tell

if TYPE_CHECKING:
    from ui.shell.controller import AppController


class ConnectionMenus(QObject):
    """Lives on the GUI thread, beside its controller."""

    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self.controller = controller

    def attach(self) -> None:
        """Wire the actions of the controller's (new) window."""
        window = self.controller.window
        assert window is not None
        window.connect_action.triggered.connect(self.connect_to_server)
        window.request_category_action.triggered.connect(self.change_request_category)
        self.show_actions()

    def show_actions(self) -> None:
        window, kind = self.controller.window, self.controller.kind
        if window is not None:
            in_category = kind is not None and registry.dialect(kind).requests_in_category
            window.request_category_action.setVisible(in_category)

    def connect_to_server(self) -> None:
        """File → Connect to a server…: the dialog starts from how this server is reached."""
        controller = self.controller
        if controller.window is None or controller.closing:
            return
        server = controller.server
        form = ConnectForm(
            url=server or "",
            choice=(
                ConnectionChoice(
                    controller.server_kind or registry.DEFAULT_KIND,
                    controller.username,
                    controller.request_category,
                )
                if server
                else None
            ),
            # The key in use (or in the keyring) serves unless another is given.
            key_stored=server is not None,
            allow_insecure_http=controller.insecure_http,
        )
        connection = controller.ask_connection(controller.window, form)
        if connection is None:
            return
        if server is not None and paths.profile_id(connection.url) == paths.profile_id(server):
            # The same community (its cache, its keyring entry), reached another way.
            controller.reconnect(connection)
        else:
            controller.switcher.open_server(connection)

    def change_request_category(self) -> None:
        """Settings → Request category…: where the forum keeps badge requests, for this community."""
        controller = self.controller
        kind = controller.kind
        if controller.window is None or kind is None or not registry.dialect(kind).requests_in_category:
            return
        answer = controller.ask_request_category(controller.window, controller.request_category)
        if answer is None:
            return
        category = answer.strip()
        problem = category_problem(category)
        if problem is not None:
            title = self.tr("BadgeDesk: request category")
            tell(controller.window, title, problem, QMessageBox.Icon.Warning)
            return
        controller.set_request_category(category)

    def set_request_category(self, category: str) -> None:
        """Use ``category`` from now on (remembered for this community); the review queue follows."""
        controller = self.controller
        kind = controller.kind
        assert kind is not None and controller.window is not None
        controller.request_category = category
        controller.settings.remember_connection(
            controller.profile,
            ConnectionChoice(kind, controller.username if controller.server else "", category),
        )
        community, session = controller.community, controller.session
        endpoint = community.endpoint if community is not None else None
        if endpoint is not None and session is not None and community is not None:
            community.endpoint = dataclasses.replace(endpoint, request_category=category)
            session.refresh_capabilities()
            session.resync()
        # After the sync has said it started, so that this is read first.
        if category:
            controller.window.status.show_message(
                self.tr("Badge requests: the open topics of the category {category}.").format(
                    category=repr(category)
                )
            )
        else:
            controller.window.status.show_message(self.tr("No request category: no review queue."))


def ask_request_category_dialog(parent: QWidget | None, current: str) -> str | None:
    return ask_text(
        parent,
        QCoreApplication.translate("ConnectionMenus", "BadgeDesk: request category"),
        QCoreApplication.translate(
            "ConnectionMenus",
            "The forum category whose open topics are badge requests: its slug, as in /c/badge-requests, "
            "or its number. Empty: no review queue.",
        ),
        text=current,
    )
