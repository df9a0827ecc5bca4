"""One BadgeDesk window per profile: a second start on it brings the first to the front.

The first process of a profile listens on a local socket (QLocalServer) named after
the user, the data folder and the profile id, in a folder only the user can enter
(:func:`server_name`); a later start on the same profile
connects, asks it to show its window and exits. A start on another profile finds no
one listening and opens normally. A start that finds the lock taken but nobody listening
(the first start of a double-click, between its lock and its listen) keeps asking for
about :data:`BUSY_WAIT_S` before it says the other one does not answer. A socket left
behind by a crash answers nobody: it is removed and listened on again.

The cache is guarded at the file level too: the running app holds a lock file in the
profile's folder (:func:`desktop.cache.locks.held`, released by the OS when the process
dies), so a copy that could not reach the socket (another temp folder, a socket
removed by hand) still does not open the cache twice.

Thread safety: the GUI thread.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import getpass
import hashlib
import logging
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from desktop import paths
from desktop.cache.locks import LockBusy, held

log = logging.getLogger(__name__)

#: The lock file the running app holds in its profile's folder.
LOCK_NAME = "app.lock"
#: What a second start sends, and what the first answers once its window is asked to show.
SHOW = b"show\n"
SHOWN = b"ok\n"
#: How long a second start waits for the first to answer (ms).
WAIT_MS = 2000
#: How long a start that finds the lock taken looks for the socket of the process holding it: a
#: first start takes the lock a moment before it listens (s).
BUSY_WAIT_S = 2.0
#: Each of those looks (ms).
RETRY_WAIT_MS = 200
#: The longest socket path used (a Unix socket's sun_path holds 108 bytes, 104 on macOS).
MAX_SOCKET_PATH = 100


class Claim(enum.Enum):
    #: This process is the profile's only one: it listens now.
    FIRST = "first"
    #: Another process has the profile open; its window was asked to come to the front.
    FOCUSED_OTHER = "focused other"
    #: Another process holds the profile's cache but did not answer on the socket.
    BUSY = "busy"
    #: The profile's folder or its lock file cannot be made (:attr:`SingleInstance.error` says why).
    UNAVAILABLE = "unavailable"


def server_name(profile: str) -> str:
    """Where the profile's process listens: the same for every start of one profile, and only this user's.

    On Unix a full path (not a name in the shared /tmp, which another local user could take first
    and answer "ok" on, so that BadgeDesk never starts): under ``$XDG_RUNTIME_DIR`` (the user's
    own, 0700 by the spec), else under the data folder's ``run`` folder (made 0700), else, where
    that path is too long for a socket (about 100 bytes), a 0700 folder of this user's own in the
    temporary folder. Windows: a named pipe's name. Raises OSError when no folder can be made.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name in the environment
        user = ""
    key = "\0".join([user, str(paths.data_dir()), paths.profile_id(profile)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return "badgedesk-" + digest
    name = f"badgedesk-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and Path(runtime).is_dir():
        return str(Path(runtime) / name)
    folder = paths.data_dir() / "run"
    if len(os.fsencode(folder / name)) > MAX_SOCKET_PATH:
        folder = Path(tempfile.gettempdir()) / f"badgedesk-{os.getuid()}"
    _private_folder(folder)
    return str(folder / name)


def _private_folder(folder: Path) -> None:
    """Make ``folder`` (0700) or check that it is this user's alone; OSError when it is someone else's."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = folder.lstat()
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid():
        raise PermissionError(errno.EPERM, "not a folder of this user's", str(folder))
    if stat.S_IMODE(status.st_mode) & 0o077:
        folder.chmod(0o700)


def tell_running(name: str, wait_ms: int = WAIT_MS) -> bool:
    """Ask the process listening on ``name`` to show its window; False when nobody answers within
    ``wait_ms`` (connecting and the answer together)."""
    deadline = time.monotonic() + wait_ms / 1000
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(wait_ms):
        return False
    socket.write(SHOW)
    socket.flush()
    left = max(1, round((deadline - time.monotonic()) * 1000))
    answered = socket.waitForReadyRead(left) and bytes(socket.readAll().data()).startswith(SHOWN)
    socket.disconnectFromServer()
    return answered


def bring_to_front(window: QWidget | None) -> None:
    """Show ``window`` (restored if minimised), raised and active, as far as the window system allows."""
    if window is None:
        return
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


class SingleInstance(QObject):
    """Holds the open profile's socket and lock; emits :attr:`show_requested` when a later start asks."""

    #: A second start on this profile asked for the window.
    show_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: Every profile this process holds, its socket and its lock: one, or two while switching.
        self._held: dict[str, tuple[QLocalServer, contextlib.ExitStack]] = {}
        #: The profile this process is open on (the one kept by :meth:`claim` or :meth:`keep_only`).
        self.profile: str | None = None
        #: Why the last claim was :attr:`Claim.UNAVAILABLE`.
        self.error: OSError | None = None

    def claim(self, profile: str) -> Claim:
        """Become ``profile``'s process, or tell the one that is (what was claimed before is kept then)."""
        claim = self.claim_also(profile)
        if claim is Claim.FIRST:
            self.keep_only(profile)
        return claim

    def claim_also(self, profile: str) -> Claim:
        """:meth:`claim` ``profile`` while keeping what this process holds (switching: the old
        community stays claimed until its cache is closed; then :meth:`keep_only` or :meth:`release`)."""
        if profile in self._held:
            return Claim.FIRST
        lock = contextlib.ExitStack()
        started = time.monotonic()
        try:
            name = server_name(profile)
            if tell_running(name):
                return Claim.FOCUSED_OTHER
            # The whole wait stays about BUSY_WAIT_S (this runs on the GUI thread when switching);
            # a first look that failed at once leaves the retries all of it, one that waited it out
            # (a process connected but not answering) leaves one more try.
            deadline = max(time.monotonic(), started + BUSY_WAIT_S)
            while True:
                try:
                    lock.enter_context(held(paths.profile_dir(profile) / LOCK_NAME))
                    break
                except LockBusy:
                    # Maybe a start that has the lock and is not listening yet (a double-click on the
                    # launcher): ask again for a moment before saying it does not answer.
                    if time.monotonic() >= deadline:
                        return Claim.BUSY
                    if tell_running(name, RETRY_WAIT_MS):
                        return Claim.FOCUSED_OTHER
                    time.sleep(0.1)
        except OSError as error:
            # Its folder under a file, read-only, a full disk: said by the caller, not a traceback.
            log.warning("Cannot hold the lock of %s: %s", profile, error)
            lock.close()
            self.error = error
            return Claim.UNAVAILABLE
        server = QLocalServer(self)
        # Only this user may connect (the name has the user in it too).
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            if server.serverError() == QAbstractSocket.SocketError.AddressInUseError and tell_running(name):
                # Another start got there between our two looks.
                lock.close()
                server.deleteLater()
                return Claim.FOCUSED_OTHER
            # Left behind by a crash (we hold the lock file, so no live process owns it). With
            # UserAccessOption Qt's Unix listen already replaces such a file; elsewhere it refuses.
            log.info("Removing a stale single-instance socket %s", name)
            QLocalServer.removeServer(name)
            if not server.listen(name):
                # Still guarded by the lock file; a later start will be told "busy" instead of focusing us.
                log.warning("Cannot listen on %s: %s", name, server.errorString())
        server.newConnection.connect(self._answer)
        self._held[profile] = (server, lock)
        return Claim.FIRST

    def keep_only(self, profile: str) -> None:
        """This process is open on ``profile`` (claimed) from now on: release every other one."""
        for other in [p for p in self._held if p != profile]:
            self._release(other)
        self.profile = profile if profile in self._held else None

    def release(self, profile: str | None = None) -> None:
        """Stop being ``profile``'s process (a switch that did not happen), or every one's (quitting)."""
        for other in [p for p in self._held if profile is None or p == profile]:
            self._release(other)
        if self.profile not in self._held:
            self.profile = None

    def _release(self, profile: str) -> None:
        server, lock = self._held.pop(profile)
        server.close()
        server.deleteLater()
        lock.close()

    def _answer(self) -> None:
        for server, _lock in list(self._held.values()):
            while (socket := server.nextPendingConnection()) is not None:
                socket.readyRead.connect(lambda s=socket: self._read(s))
                socket.disconnected.connect(socket.deleteLater)
                if socket.bytesAvailable():
                    self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(SHOW):
            self.show_requested.emit()
            socket.write(SHOWN)
            socket.flush()
