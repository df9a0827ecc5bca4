"""``badgedesk --smoke``: does this installation start? The window on a small demo community, synced.

For CI and for a user checking an install: opens the main window (offscreen unless a Qt platform is
chosen) on the bundled demo server, waits for the first sync, checks that the member list shows
members, closes everything (the demo server stopped) and prints one line; exit status 0, or 1 with
the reason on any failure or after :data:`TIMEOUT_S`. It runs in a temporary data and config folder
unless ``BADGEDESK_DATA_DIR`` / ``BADGEDESK_CONFIG_DIR`` name one, so it never touches the user's
data, and it saves no settings.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.shell.controller import AppController

#: Members of the smoke run's demo community (``--demo-members`` overrides it).
MEMBERS = 200
#: Seconds the whole run may take (seeding, starting the server, syncing) before it fails.
TIMEOUT_S = 60.0
_POLL_MS = 100


@contextlib.contextmanager
def _scratch_folders() -> Iterator[None]:
    """A temporary data and config folder for what the environment does not name already."""
    wanted = [name for name in ("BADGEDESK_DATA_DIR", "BADGEDESK_CONFIG_DIR") if not os.environ.get(name)]
    if not wanted:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="badgedesk-smoke-") as scratch:
        for name in wanted:
            os.environ[name] = os.path.join(scratch, name.removeprefix("BADGEDESK_").lower())
        try:
            yield
        finally:
            for name in wanted:
                os.environ.pop(name, None)


def run_smoke(args: argparse.Namespace) -> int:
    """The smoke run for ``badgedesk --smoke`` (``args`` as ``ui.app.parse_args`` made them)."""
    # Before the QApplication exists: the platform is chosen when it is made.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop import logs

    with _scratch_folders():
        # The log goes where the run's data goes (a temporary folder's logs/ by default).
        logs.setup_logging(debug=args.debug, console_level=logging.WARNING)
        try:
            return _run(args)
        finally:
            logs.stop_logging()


def _run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    from PySide6.QtCore import QCoreApplication, QTimer

    from desktop.settings import Settings
    from ui.app import make_application
    from ui.i18n import install_translations
    from ui.shell.controller import AppController

    app = make_application(args.qt_options)
    install_translations(app, args.language or None)
    members = args.demo_members or MEMBERS
    # Default settings, never saved: the run does not depend on, nor change, the user's choices.
    controller = AppController(Settings(), demo_members=members, demo_dialect=args.demo_dialect or "v1")
    outcome: list[tuple[bool, str]] = []

    def finish(ok: bool, text: str) -> None:
        if not outcome:
            outcome.append((ok, text))
            app.exit(0 if ok else 1)

    def look() -> None:
        why = _problem(controller)
        if why:
            finish(False, why)
            return
        rows = _member_rows(controller)
        if rows:
            seconds = time.monotonic() - started
            line = QCoreApplication.translate(
                "Smoke", "smoke: ok, %Ln member(s) synced in {seconds} s", "", rows
            )
            finish(True, line.format(seconds=f"{seconds:.1f}"))

    def too_long() -> None:
        status = _status_text(controller)
        text = QCoreApplication.translate(
            "Smoke", "smoke: failed: the demo community was not synced after {seconds} s."
        ).format(seconds=f"{TIMEOUT_S:g}")
        finish(False, f"{text} {status}".strip())

    missing = _shipped_files_problem()
    if missing:
        print(missing, file=sys.stderr, flush=True)
        return 1
    poll = QTimer(app)
    poll.timeout.connect(look)
    poll.start(_POLL_MS)
    QTimer.singleShot(int(TIMEOUT_S * 1000), too_long)
    controller.start()
    app.exec()
    poll.stop()
    sandbox = controller.sandbox
    controller.shutdown()
    if controller.window is not None:
        controller.window.close()
    ok, text = (
        outcome[0] if outcome else (False, "smoke: failed: the event loop ended early.")
    )  # i18n: not translated
    if sandbox is not None and sandbox.running:
        ok, text = False, QCoreApplication.translate("Smoke", "smoke: failed: the demo server did not stop.")
    print(text, file=sys.stdout if ok else sys.stderr, flush=True)
    return 0 if ok else 1


def _member_rows(controller: AppController) -> int:
    """Members the member list shows once the first sync ended well and the list has all of them
    (0 until then: it shows the first results of a query before the complete list)."""
    session, window = controller.session, controller.window
    if session is None or window is None or session.last_sync is None or not window.members.idle:
        return 0
    return int(window.members.model.rowCount())


def _problem(controller: AppController) -> str:
    """Why the run cannot succeed any more ("" while it still may)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        # Nobody is there to answer it (a failure to open the cache, a question): say what it says.
        said = dialog.text() if isinstance(dialog, QMessageBox) else ""
        return QCoreApplication.translate("Smoke", "smoke: failed: a window asks: {title}: {text}").format(
            title=dialog.windowTitle(), text=said
        )
    if controller.demo_restart.stopped:
        # The demo server did not start, or stopped.
        return QCoreApplication.translate("Smoke", "smoke: failed: {status}").format(
            status=_status_text(controller)
        )
    session = controller.session
    if session is not None and session.last_sync is None and session.last_error:
        return QCoreApplication.translate("Smoke", "smoke: failed: the first sync failed: {error}").format(
            error=session.last_error
        )
    return ""


def _status_text(controller: AppController) -> str:
    window = controller.window
    return "" if window is None else str(window.status.message.text())


def _shipped_files_problem() -> str:
    """Whether the files the app reads later (the designer's, the user guide) are installed ("" if so).

    Not needed to sync, so read here: an installation or bundle that lacks one fails the smoke run.
    """
    from PySide6.QtCore import QCoreApplication

    from desktop.designer import glyphs, templates, text
    from ui.app import WINDOW_ICON
    from ui.shell.user_guide_dialog import read_guide

    try:
        found, problems = templates.templates()
        if problems or not any(template.builtin for template in found):
            raise FileNotFoundError(
                "; ".join(problems) or "no built-in badge templates"
            )  # i18n: not translated
        checks = [
            read_guide().startswith("# "),
            text.text_width("BadgeDesk", 10) > 0,
            bool(glyphs.icon_sets()) and glyphs.glyph_exists("fa6s.trophy"),
            WINDOW_ICON.is_file(),
        ]
        if not all(checks):
            raise FileNotFoundError(f"checks {checks}")  # i18n: not translated
    except (OSError, ValueError, LookupError) as error:
        return QCoreApplication.translate(
            "Smoke", "smoke: failed: a file BadgeDesk ships is missing: {error}"
        ).format(error=error)
    return ""
