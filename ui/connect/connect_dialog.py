"""The connect dialog: which kind of server, where, with which key, acting as whom.

It asks only what the chosen kind needs (a username where the server wants one
beside the key, a request category where the forum keeps requests in one) and
checks the form before it closes. It never stores anything: the controller keeps
the choice in the settings and the key in the keyring once the server accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import i18n as core_i18n
from desktop.dialects import registry
from desktop.net.errors import BadServerAddress
from desktop.net.server_address import check_server_url
from desktop.settings import ConnectionChoice
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.text import plain_label

_BLANK = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class Connection:
    """What the dialog gave: the server, how to reach it, and the key ("" = the stored one)."""

    url: str
    choice: ConnectionChoice
    key: str
    #: Plain http to a host that is not loopback (allowed only with ``--insecure-http``).
    insecure_http: bool = False

    def __repr__(self) -> str:
        # Never let the key reach a log or a traceback.
        return (
            f"Connection(url={self.url!r}, choice={self.choice!r}, key=***,"
            f" insecure_http={self.insecure_http})"
        )


@dataclass(frozen=True, slots=True)
class ConnectForm:
    """What the dialog starts from (see :class:`ConnectDialog` for each field)."""

    url: str = ""
    choice: ConnectionChoice | None = None
    url_fixed: bool = False
    key_stored: bool = False
    keyring_note: str = ""
    allow_insecure_http: bool = False
    message: str = ""


def ask_connection(parent: QWidget | None, form: ConnectForm) -> Connection | None:
    """Run the dialog; the connection given, or None when cancelled."""
    dialog = ConnectDialog(
        parent,
        url=form.url,
        choice=form.choice,
        url_fixed=form.url_fixed,
        key_stored=form.key_stored,
        keyring_note=form.keyring_note,
        allow_insecure_http=form.allow_insecure_http,
        message=form.message,
    )
    try:
        return dialog.connection if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def category_problem(category: str) -> str | None:
    """Why ``category`` cannot name a forum category (None: it can, or it is empty = none)."""
    if _BLANK.search(category) or "/" in category:
        return QCoreApplication.translate(
            "ConnectDialog",
            "{category} is not a category: give its slug, as in /c/badge-requests,"
            " or its number (or nothing, for no review queue).",
        ).format(category=repr(category))
    return None


class ConnectDialog(QDialog):
    """Lives on the GUI thread.

    ``url_fixed``: the server is the open profile's (``--server``): shown, not editable.
    ``key_stored``: the keyring holds a key for this server; an empty key field keeps it.
    ``keyring_note``: why keys cannot be stored here (no keyring), shown as given.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        url: str = "",
        choice: ConnectionChoice | None = None,
        url_fixed: bool = False,
        key_stored: bool = False,
        keyring_note: str = "",
        allow_insecure_http: bool = False,
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to a server"))
        self.setMinimumWidth(520)
        self._allow_insecure_http = allow_insecure_http
        self._key_stored = key_stored
        #: The accepted form (set when the dialog closes with Connect).
        self.connection: Connection | None = None

        layout = QVBoxLayout(self)
        self.message_label = plain_label(message, name="connectMessage", wrap=True)
        self.message_label.setVisible(bool(message))
        layout.addWidget(self.message_label)
        form = QFormLayout()
        layout.addLayout(form)

        self.kind_combo = QComboBox()
        for dialect in registry.DIALECTS.values():
            self.kind_combo.addItem(dialect.title, dialect.kind)
        form.addRow(self.tr("Server k&ind:"), self.kind_combo)

        self.url_edit = QLineEdit(url)
        self.url_edit.setPlaceholderText("https://forum.example.org")  # i18n: not translated (an address)
        self.url_edit.setReadOnly(url_fixed)
        form.addRow(self.tr("Server &address:"), self.url_edit)

        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(
            self.tr("Stored in the keyring: leave empty to keep it")
            if key_stored
            else self.tr("Paste the API key")
        )
        form.addRow(self.tr("API &key:"), self.key_edit)
        self.key_help = plain_label(name="keyHelp", wrap=True)
        self.key_help.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.key_help)

        self.username_label = QLabel(self.tr("Acting &username:"))
        self.username_edit = QLineEdit(choice.username if choice else "")
        self.username_edit.setPlaceholderText(self.tr("the user the key acts as"))
        self.username_label.setBuddy(self.username_edit)
        form.addRow(self.username_label, self.username_edit)

        self.category_label = QLabel(self.tr("Request ca&tegory:"))
        self.category_edit = QLineEdit(choice.request_category if choice else "")
        self.category_edit.setPlaceholderText(self.tr("e.g. badge-requests (empty: no review queue)"))
        self.category_edit.setToolTip(
            self.tr(
                "The forum category whose open topics are badge requests: its slug, as in /c/badge-requests,"
                " or its number. Leave it empty to work without a review queue; it can be changed later."
            )
        )
        self.category_label.setBuddy(self.category_edit)
        form.addRow(self.category_label, self.category_edit)

        self.keyring_label = plain_label(keyring_note, name="keyringNote", wrap=True)
        self.keyring_label.setVisible(bool(keyring_note))
        layout.addWidget(self.keyring_label)
        self.error_label = plain_label(name="connectError", wrap=True)
        set_status_style(self.error_label, text_style("error"))
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.connect_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText(self.tr("&Connect"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        if choice is not None:
            self.select_kind(choice.kind)
        self._kind_changed()
        (self.key_edit if url_fixed else self.url_edit).setFocus()

    @property
    def kind(self) -> str:
        kind = self.kind_combo.currentData()
        assert isinstance(kind, str)
        return kind

    def select_kind(self, kind: str) -> None:
        index = self.kind_combo.findData(kind)
        if index >= 0:
            self.kind_combo.setCurrentIndex(index)

    def _kind_changed(self) -> None:
        dialect = registry.dialect(self.kind)
        # The core's sentence (a module-level table there): translated where shown.
        self.key_help.setText(core_i18n._(dialect.key_help) if dialect.key_help else "")
        self.key_help.setVisible(bool(dialect.key_help))
        # setVisible on the field and its label: QFormLayout.setRowVisible needs Qt 6.4.
        for widget in (self.username_label, self.username_edit):
            widget.setVisible(dialect.needs_username)
        for widget in (self.category_label, self.category_edit):
            widget.setVisible(dialect.requests_in_category)
        self.error_label.setVisible(False)
        self.adjustSize()

    def problem(self) -> str | None:
        """What is wrong with the form, in words for the user (None: it can be used)."""
        dialect = registry.dialect(self.kind)
        url = self.url_edit.text().strip()
        if not url:
            return self.tr("Give the server's address, e.g. https://forum.example.org.")
        try:
            check_server_url(url, allow_insecure_http=self._allow_insecure_http)
        except BadServerAddress as error:
            return str(error)
        key = self.key_edit.text().strip()
        if not key and not self._key_stored:
            return self.tr("Give the API key (it is kept in the system keyring, never in the settings).")
        if _BLANK.search(key):
            return self.tr("An API key has no spaces: copy it again, whole.")
        if dialect.needs_username:
            username = self.username_edit.text().strip()
            if not username:
                return self.tr(
                    "A {kind} server needs the username the API key acts as"
                    ' (for an "All users" key, your own username).'
                ).format(kind=dialect.title)
            if _BLANK.search(username):
                return self.tr("{username} cannot be a {kind} username: usernames have no spaces.").format(
                    username=repr(username), kind=dialect.title
                )
        if dialect.requests_in_category:
            return category_problem(self.category_edit.text().strip())
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.error_label.setText(problem)
            self.error_label.setVisible(True)
            self.adjustSize()
            return
        dialect = registry.dialect(self.kind)
        address = check_server_url(self.url_edit.text(), allow_insecure_http=self._allow_insecure_http)
        self.connection = Connection(
            url=address.url,
            choice=ConnectionChoice(
                dialect.kind,
                username=self.username_edit.text().strip() if dialect.needs_username else "",
                request_category=self.category_edit.text().strip() if dialect.requests_in_category else "",
            ),
            key=self.key_edit.text().strip(),
            insecure_http=address.insecure,
        )
        super().accept()
