"""Application start-up and shut-down.

Order on start: open the profile's cache (worker) → show the window with what
the cache holds → reach the server (start the demo sandbox, or read the token
from the keyring) on a worker → sync. Nothing blocks the GUI thread, and an
unreachable server leaves the app working offline on the cache.

Beside it: switching to another community (:mod:`ui.shell.community_switch`), the
demo's server started and restarted (:mod:`ui.shell.demo_restart`), the menus that
change how the server is reached (:mod:`ui.shell.connection_menus`).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import failures, paths, profiles
from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.dialects import registry
from desktop.net.errors import BadServerAddress
from desktop.net.server_address import ServerAddress, check_server_url
from desktop.sandbox.process import SandboxProcess
from desktop.secrets import NoKeyring, TokenStore
from desktop.settings import ConnectionChoice, Settings
from ui.connect.connect_dialog import ConnectForm, Connection
from ui.connect.connect_dialog import ask_connection as ask_connection_dialog
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell.community_switch import switch_community
from ui.shell.connection_menus import ConnectionMenus, ask_request_category_dialog
from ui.shell.demo import (
    DEMO_REQUEST_CATEGORY,
    demo_endpoint,
    demo_profile,
)
from ui.shell.demo_restart import DemoRestart
from ui.shell.main_window import MainWindow
from ui.shell.profile_switch import ProfileSwitcher
from ui.widgets.text import ask_text, tell

log = logging.getLogger(__name__)


class AppController(QObject):
    """Owns the window, the session, the task manager and the demo server.

    Lives on the GUI thread.
    """

    #: Emitted once the window is shown (the cache is open).
    window_ready = Signal(object)

    def __init__(
        self,
        settings: Settings,
        *,
        server: str | None = None,
        demo_members: int | None = None,
        tokens: TokenStore | None = None,
        ask_token: Any = None,
        insecure_http: bool = False,
        server_kind: str | None = registry.DEFAULT_KIND,
        username: str | None = None,
        request_category: str | None = None,
        demo_dialect: str = "v1",
        ask_connection: Any = None,
        ask_request_category: Any = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.server = server.rstrip("/") if server else None
        #: Which API the demo community speaks when there is no ``server``.
        self.demo_dialect = demo_dialect
        # None = not given (``badgedesk --server URL`` alone): as remembered for the profile,
        # and where that is not enough, the connect dialog asks.
        remembered = self._remembered()
        #: Which dialect speaks to ``server`` (None: unknown, the connect dialog asks).
        self.server_kind: str | None = server_kind
        if self.server is not None and server_kind is None and remembered is not None:
            self.server_kind = remembered.kind
        # What was chosen for another kind of server does not apply to this one.
        same_kind = remembered if remembered is not None and remembered.kind == self.kind else None
        #: The user the key acts as (Discourse).
        self.username = username if username is not None else (same_kind.username if same_kind else "")
        #: The forum category of badge requests (Discourse), "" for none.
        self.request_category = request_category if request_category is not None else ""
        if request_category is None and same_kind is not None:
            self.request_category = same_kind.request_category
        elif request_category is None and self.server is None and demo_dialect == "discourse":
            # The demo forum keeps its requests in "Badge requests": its review queue shows from
            # the first start (a choice made later in the Settings menu is remembered instead).
            self.request_category = DEMO_REQUEST_CATEGORY
        self.demo_members = demo_members or settings.demo_members
        #: ``--insecure-http``: plain http to a host that is not loopback is allowed (and shown).
        self.insecure_http = insecure_http
        self._address: ServerAddress | None = None
        self.tokens = tokens or TokenStore()
        #: Replaceable in tests: (parent, message) -> token or None.
        self.ask_token = ask_token or _ask_token_dialog
        #: Replaceable in tests: (parent, ConnectForm) -> Connection or None.
        self.ask_connection = ask_connection or ask_connection_dialog
        #: Replaceable in tests: (parent, current category) -> new category or None.
        self.ask_request_category = ask_request_category or ask_request_category_dialog
        self.menus = ConnectionMenus(self)
        #: The Community menu and the status bar's switcher (ui.shell.profile_switch).
        self.switcher = ProfileSwitcher(self)
        #: Restarts the demo's server when it stopped (demo only).
        self.demo_restart = DemoRestart(self)
        self.tasks = TaskManager(self)
        self.sandbox: SandboxProcess | None = None
        self.community: Community | None = None
        self.session: AppSession | None = None
        self.window: MainWindow | None = None
        self._closing = False
        self._forget_token = False
        #: A token typed by the user, kept in the keyring once the server accepts it.
        self._token_to_store: str | None = None
        self._no_keyring = False
        #: A key given in the connect dialog for the server about to open.
        self._typed_key: str | None = None
        #: The window of the community left for another (closed once the new one shows).
        self._old_window: MainWindow | None = None
        self._asking_token = False
        #: The user declined to give a new token: not asked again until they resume sending.
        self._token_declined = False

    @property
    def profile(self) -> str:
        if self.server:
            return self.server
        # Each demo kind has its own cache: one community, two servers' views of it.
        return demo_profile(self.demo_dialect)

    @property
    def kind(self) -> str | None:
        """The kind of server the open profile speaks to (None: not known yet)."""
        if self.server is None:
            return registry.DEFAULT_KIND if self.demo_dialect == "v1" else self.demo_dialect
        return self.server_kind

    def _remembered(self) -> ConnectionChoice | None:
        choice = self.settings.connection(self.profile)
        # A kind this BadgeDesk does not know (a newer one wrote it) is asked for again.
        return choice if choice is not None and choice.kind in registry.DIALECTS else None

    def _enough_to_connect(self) -> bool:
        """Everything but the key is known (the keyring has it, or it is asked for)."""
        if self.server_kind is None:
            return False
        return bool(self.username) or not registry.dialect(self.server_kind).needs_username

    # --- start ----------------------------------------------------------------

    def start(self) -> None:
        profile = self.profile
        # This community's own saved searches and rules from now on.
        self.settings.use_profile(profile)
        listed = profiles.listed_keys(self.settings)

        def open_cache(_cancel: Any, _report: Any) -> Community:
            # The window waits for this: a large mirror's integrity check (1-2 s at a million
            # members) runs later, in the background (AppSession.check_mirror).
            cache = Cache(paths.open_profile_dir(profile, listed), check_mirror=False)
            return Community(profile, None, cache)

        self.tasks.start(
            "open cache",
            open_cache,
            pool="writer",
            on_success=self._cache_open,
            on_failure=self._fatal,
        )

    def _cache_open(self, community: Community) -> None:
        self.community = community
        self.session = AppSession(community, self.tasks, self)
        self.window = MainWindow(self.session, self.settings)
        self.window.restore_geometry(self.settings.window_geometry)
        self.window.show()
        if self._old_window is not None:
            # Closed only now: closing the last window would have quit the app.
            self._old_window.close()
            self._old_window = None
        if community.cache.notices:
            self.window.show_cache_repairs(community.cache.notices)
        self.window_ready.emit(self.window)
        self.session.token_accepted.connect(self._token_accepted)
        self.session.token_refused.connect(self._token_refused)
        self.session.paused_changed.connect(self._paused_changed)
        self.menus.attach()
        self.switcher.attach(self.window)
        self.session.start(sync_interval_s=self.settings.sync_interval_s)
        if self.server is None:
            self._welcome_to_demo(self.window)
            self.demo_restart.start_first()
            return
        try:
            self._address = check_server_url(self.server, allow_insecure_http=self.insecure_http)
        except BadServerAddress as error:
            # No token is asked for, let alone sent: the cache is all there is.
            self.window.status.show_message(
                self.tr("{error} Working offline on the cache.").format(error=error)
            )
            return
        if self._address.insecure:
            self.window.show_insecure_http(self._address.url)
        self._read_token()

    def _fatal(self, error: Exception) -> None:
        folder = paths.profile_dir(self.profile)
        message = failures.describe(error, failures.OPEN, folder=folder).message
        tell(None, self.tr("BadgeDesk cannot start"), message, QMessageBox.Icon.Critical)
        from PySide6.QtWidgets import QApplication

        QApplication.exit(1)

    # --- the demo community ---------------------------------------------------

    def _welcome_to_demo(self, window: MainWindow) -> None:
        """The demo's Help ▸ Getting started (opened by itself the first time) and its server's restart."""
        window.help.set_demo(True)
        self.demo_restart.attach(window)
        if not self.settings.getting_started_shown:
            self.settings.getting_started_shown = True
            window.help.show_getting_started()

    def use_demo_server(self, process: SandboxProcess) -> None:
        """The demo's server serves (started, or restarted): reach it and sync."""
        if self._closing:
            process.stop()
            return
        self.sandbox = process
        self._connect(demo_endpoint(process, self.demo_dialect, self.request_category))

    # --- another server -------------------------------------------------------

    def forget_token(self) -> None:
        """Drop the stored token of ``--server`` before reading it (done on a worker)."""
        self._forget_token = True

    def _read_token(self) -> None:
        server = self.server
        assert server is not None
        forget = self._forget_token

        def work(_cancel: Any, _report: Any) -> tuple[str | None, str | None]:
            try:
                if forget:
                    self.tokens.delete(server)
                return self.tokens.get(server), None
            except NoKeyring as error:
                return None, str(error)

        self.tasks.start("read token", work, pool="network", on_success=self._got_token)

    def _got_token(self, found: tuple[str | None, str | None]) -> None:
        token, no_keyring = found
        assert self.server is not None and self.window is not None
        typed, self._typed_key = self._typed_key, None
        if typed:
            # Given in the connect dialog (File menu) for this server: stored once accepted.
            self._use_typed_key(typed, keyring=not no_keyring)
            return
        if not self._enough_to_connect():
            self._complete_connection(token, no_keyring)
            return
        if token:
            self._connect(self._endpoint(token))
            return
        message = self.tr("API token for {server}:").format(server=self.server)
        assert self.server_kind is not None
        key_help = registry.dialect(self.server_kind).key_help
        if key_help:
            message = f"{key_help}\n\n{message}"
        if no_keyring:
            message = f"{no_keyring}\n\n{message}"
            self.window.status.show_message(
                self.tr("No system keyring: the token is kept for this session only.")
            )
        token = self.ask_token(self.window, message)
        if not token:
            self.window.status.show_message(self.tr("No token given: working offline on the cache."))
            return
        self._no_keyring = bool(no_keyring)
        if not no_keyring:
            # Kept only once the server has accepted it: a mistyped token is
            # asked for again next time instead of being stored.
            self._token_to_store = token
        self.settings.remember_server(self.server)
        self._connect(self._endpoint(token))

    def _complete_connection(self, token: str | None, no_keyring: str | None) -> None:
        """``--server`` without the kind or the username: the connect dialog asks, the address fixed."""
        assert self.server is not None and self.window is not None
        form = ConnectForm(
            url=self.server,
            choice=ConnectionChoice(
                self.server_kind or registry.DEFAULT_KIND, self.username, self.request_category
            ),
            url_fixed=True,
            key_stored=bool(token),
            keyring_note=no_keyring or "",
            allow_insecure_http=self.insecure_http,
            message=(
                self.tr("BadgeDesk needs the kind of server to connect to {server}.")
                if self.server_kind is None
                else self.tr("BadgeDesk needs the username the API key acts as to connect to {server}.")
            ).format(server=self.server),
        )
        connection = self.ask_connection(self.window, form)
        if connection is None:
            self.window.status.show_message(self.tr("Not connected: working offline on the cache."))
            return
        self._take_choice(connection.choice)
        if connection.key:
            self._use_typed_key(connection.key, keyring=not no_keyring)
        else:
            assert token is not None  # the dialog wants a key unless one is stored
            self._connect(self._endpoint(token))

    def _take_choice(self, choice: ConnectionChoice) -> None:
        self.server_kind = choice.kind
        self.username = choice.username
        self.request_category = choice.request_category
        self.menus.show_actions()

    def _use_typed_key(self, key: str, *, keyring: bool) -> None:
        assert self.server is not None and self.window is not None
        self._no_keyring = not keyring
        if not keyring:
            self.window.status.show_message(
                self.tr("No system keyring: the key is kept for this session only.")
            )
        else:
            # Kept only once the server has accepted it, as a key typed at the prompt.
            self._token_to_store = key
        self.settings.remember_server(self.server)
        self._connect(self._endpoint(key))

    def _endpoint(self, token: str) -> Endpoint:
        assert self.server is not None and self._address is not None
        assert self.server_kind is not None
        return Endpoint(
            self.server,
            token,
            insecure_http=self._address.insecure,
            kind=self.server_kind,
            username=self.username,
            request_category=self.request_category,
        )

    def _token_accepted(self) -> None:
        self._remember_choice()
        token, self._token_to_store = self._token_to_store, None
        server = self.server
        if token is None or server is None:
            return
        self.tasks.start(
            "store token", lambda _c, _p: self.tokens.set(server, token), on_failure=self._token_not_stored
        )

    def _token_not_stored(self, error: Exception) -> None:
        if self.window is not None:
            task = failures.changing(self.tr("storing the token in the keyring"))
            why = failures.describe(error, task).message
            self.window.status.show_message(
                self.tr("The token works but was not stored. {why}").format(why=why)
            )

    def _token_refused(self) -> None:
        # Asked once the failed operation has finished: the sync the new token
        # starts must not find the refused one still running.
        if self._asking_token or self._token_declined or self._closing:
            return
        self._asking_token = True
        QTimer.singleShot(0, self._ask_new_token)

    def _paused_changed(self, paused: bool) -> None:
        if not paused:
            # Resuming by hand is the way to be asked for a token again.
            self._token_declined = False

    def _ask_new_token(self) -> None:
        if self._closing or self.window is None or self.session is None or self.community is None:
            self._asking_token = False
            return
        if self.server:
            question = self.tr(
                "The server refused the API token for {server}: it may have expired or been revoked. "
                "Sending is paused; nothing queued is lost.\n\nNew API token:"
            ).format(server=self.server)
        else:
            question = self.tr(
                "The server refused the API token for the demo community: it may have expired or been "
                "revoked. Sending is paused; nothing queued is lost.\n\nNew API token:"
            )
        try:
            token = self.ask_token(self.window, question)
        finally:
            self._asking_token = False
        refused = self.community.endpoint.token if self.community.endpoint is not None else None
        if not token or token == refused:
            self._token_declined = True
            self.window.status.show_message(
                self.tr(
                    "The token was refused and no new one was given: sending stays paused; click Resume "
                    "sending in the Outbox pane to give a new token."
                )
                if not token
                else self.tr(
                    "The token was refused and that is the same token: sending stays paused; click Resume "
                    "sending in the Outbox pane to give a new token."
                )
            )
            return
        if not self._no_keyring:
            self._token_to_store = token
        self.session.use_new_token(token)

    def _connect(self, endpoint: Endpoint) -> None:
        assert self.community is not None and self.session is not None
        self.community.endpoint = endpoint
        # A sync already running (File → Connect… on this server) began with the old endpoint.
        self.session.resync()

    def _remember_choice(self) -> None:
        """The server accepted the key: ``--server URL`` alone connects the same way next time."""
        if self.server is None or self.server_kind is None:
            return
        choice = ConnectionChoice(self.server_kind, self.username, self.request_category)
        if self.settings.connection(self.profile) != choice:
            self.settings.remember_connection(self.profile, choice)

    # --- changed from the menus (ui.shell.connection_menus) --------------------

    @property
    def closing(self) -> bool:
        return self._closing

    def reconnect(self, connection: Connection) -> None:
        """The same server (the same cache), with another kind, username, category or key."""
        assert self.community is not None and self.window is not None
        self._take_choice(connection.choice)
        self._token_declined = False
        if self._address is None:
            # Refused at start, but the dialog (checking the same way) let it through.
            self._address = ServerAddress(url=connection.url, insecure=connection.insecure_http)
        if connection.key:
            self._use_typed_key(connection.key, keyring=not self._no_keyring)
            return
        if self.community.endpoint is None:
            self._read_token()
            return
        self._connect(self._endpoint(self.community.endpoint.token))

    def switch_to(self, connection: Connection | None) -> bool:
        """Leave this community for another server's (None: the demo's); False when this one could
        not be closed (it stays open). See :mod:`ui.shell.community_switch`."""
        return switch_community(self, connection)

    def set_request_category(self, category: str) -> None:
        """Use ``category`` from now on, remembered for this community (:mod:`ui.shell.connection_menus`)."""
        self.menus.set_request_category(category)

    # --- stop -----------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop work, the demo server and the cache. Blocks briefly; call once, on exit."""
        if self._closing:
            return
        self._stop()

    def _stop(self) -> bool:
        """Stop the open community; False when a worker kept its cache open."""
        self._closing = True
        self.demo_restart.stop()
        if self.window is not None:
            self.settings.window_geometry = self.window.saved_geometry()
        if self.session is not None:
            self.session.shutdown()
        stopped = self.tasks.shutdown()
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None
        if not stopped:
            # A worker is still inside the cache: closing it under the worker
            # would fail its write; the process exit ends it instead.
            log.warning("Background work did not stop in time; leaving the cache open")
            return False
        if self.community is not None:
            self.community.close()
        return True


def _ask_token_dialog(parent: QWidget | None, message: str) -> str | None:
    # The message quotes the server's address and the keyring's complaint: plain text.
    title = QCoreApplication.translate("AppController", "BadgeDesk: API token")
    token = ask_text(parent, title, message, secret=True)
    return token.strip() if token and token.strip() else None
