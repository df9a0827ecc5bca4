"""The log: a rotating file in the platform's log directory, and the console.

Used by the window and by the core commands alike (no Qt here). Every handler
gets :class:`~desktop.failure_logs.RedactingFilter` (no SQL parameters, no exception
text) and :class:`SecretFilter` (nothing that looks like a token); the HTTP
libraries stay at WARNING even with ``--debug``, because their debug lines are
per request and carry addresses and headers.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

from desktop import failure_logs, failures, paths
from desktop.file_lock import waiting_lock

LOG_FILE_NAME = "badgedesk.log"
#: One file of this size, and this many older ones: a few weeks of normal use.
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Libraries whose debug output is one line per request, with headers.
_CHATTY = ("httpx", "httpcore", "hpack", "urllib3", "asyncio")

# A credential after the name it is usually given: HTTP headers, query strings, JSON.
_SECRET = re.compile(
    r"(?i)(\b(?:api[-_]?key|api[-_]?token|token|authorization|bearer|password|secret)"
    r"[\"']?\s*[:=]?\s*[\"']?(?:bearer\s+)?)([^\s\"',;&}]{6,})"
)


def scrub(text: str) -> str:
    """``text`` with every value that follows a credential's name replaced by ``[withheld]``."""
    return _SECRET.sub(lambda m: m.group(1) + "[withheld]", text)


class SecretFilter(logging.Filter):
    """For log handlers: values named like credentials never reach the file.

    Runs after :class:`~desktop.failure_logs.RedactingFilter` has formatted the
    message, so arguments are covered too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class _LogFile(logging.handlers.RotatingFileHandler):
    """BadgeDesk's log file handler: a class of its own so that setting up again replaces it.

    Several processes write the one file (a window per community, the commands): each notices
    when another has rotated it (the name no longer leads to the file it has open) and opens the
    new one, instead of writing on into the renamed file or rotating again (which would shift
    every backup once per process); rotating itself happens under a lock file, re-checked there.
    """

    #: Set once a write failed (a full disk, a folder gone): the file is left alone from then on.
    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def shouldRollover(self, record: logging.LogRecord) -> int:
        if self._moved():
            self._reopen()
        return super().shouldRollover(record)

    def doRollover(self) -> None:
        with waiting_lock(self.baseFilename + ".lock"):
            if self._moved():
                # Another process rotated it meanwhile: the file it started is the one to write.
                self._reopen()
                return
            super().doRollover()

    def _moved(self) -> bool:
        """Whether the file's name no longer leads to the file this handler has open."""
        if self.stream is None:
            return False
        try:
            return os.stat(self.baseFilename).st_ino != os.fstat(self.stream.fileno()).st_ino
        except FileNotFoundError:
            return True
        except (OSError, ValueError):
            return False

    def _reopen(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.stream = self._open()

    def handleError(self, record: logging.LogRecord) -> None:
        # A log that cannot be written must not become the user's problem: logging's default
        # prints a traceback to stderr at every record (a full disk: every line of a sync). The
        # console handler still shows what matters; the file stops until the next start.
        self.failed = True

    def flush(self) -> None:
        try:
            super().flush()
        except OSError:
            # What is buffered cannot be written (the same full disk): dropped, as above.
            self.failed = True

    def close(self) -> None:
        try:
            super().close()
        except OSError:
            self.failed = True


class _Console(logging.StreamHandler):  # type: ignore[type-arg]
    """To whatever ``sys.stderr`` is now (a test's capture, a redirected stream), not at setup."""

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(sys.stderr)
        super().emit(record)


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE_NAME


def setup_logging(
    *, debug: bool = False, console_level: int = logging.INFO, to_file: bool = True
) -> Path | None:
    """Log to the rotating file (DEBUG with ``debug``, else INFO) and to stderr; the file's path.

    Returns None when the log directory cannot be written (a read-only home):
    BadgeDesk then logs to the console only and says so there. Calling it again
    (tests, a second ``main``) replaces the handlers it added before. ``to_file`` False:
    the console only (the app until it knows it is the one to open its community).
    """
    stop_logging()
    root = logging.getLogger()
    file_level = logging.DEBUG if debug else logging.INFO
    console = _Console()
    console.setLevel(logging.DEBUG if debug else console_level)
    console.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(console)
    path = _add_file(root, file_level) if to_file else None
    root.setLevel(min(file_level, console.level))
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    failure_logs.install_redaction()
    for handler in root.handlers:
        if not any(isinstance(f, SecretFilter) for f in handler.filters):
            handler.addFilter(SecretFilter())
    return path


def _add_file(root: logging.Logger, level: int) -> Path | None:
    """The log file's handler on ``root``; None (said on the console) when it cannot be written."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = _LogFile(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError as error:
        root.warning("No log file (%s): logging to the console only", failures.log_reason(error))
        return None
    file_handler.setLevel(level)
    file_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file_handler)
    return path


def stop_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` added (tests; the end of ``main``)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, (_LogFile, _Console)):
            root.removeHandler(handler)
            handler.close()
