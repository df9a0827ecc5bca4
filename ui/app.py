"""Start BadgeDesk: the ``badgedesk`` command.

``badgedesk`` with no arguments opens the community opened last; the first time,
the demo community: it starts the bundled community server (the sandbox) on a
free loopback port, connects and syncs. ``badgedesk --server URL`` connects to
another server with a token from the OS keyring, ``--profile NAME`` to a
community by its name. Core subcommands (``badgedesk sandbox …``) run without Qt.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import about, cli_args, i18n, logs
from desktop import settings as settings_store
from desktop.i18n import _
from desktop.net.errors import BadServerAddress
from desktop.net.server_address import INSECURE_HTTP_OPTION, check_server_url
from ui.qt_options import MissingQtValue, split_qt_options

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.single_instance import SingleInstance

log = logging.getLogger(__name__)

#: The window's icon (package data of ui).
WINDOW_ICON = Path(__file__).with_name("resources") / "badgedesk.svg"
#: The name of packaging/'s .desktop file, without ".desktop" (its reverse-DNS app id).
DESKTOP_ID = "org.badgedesk.BadgeDesk"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    from desktop import cli
    from desktop.sandbox.dialects import DIALECTS

    parser = cli_args.ArgumentParser(
        prog="badgedesk", description=_("Desktop moderation client for community badges.")
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"BadgeDesk {about.version()}",  # i18n: not translated
        help=_("show the version and exit"),
    )
    parser.add_argument(
        "--server", metavar="URL", help=_("connect to this community server instead of the demo")
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help=_("open the community of this name (File ▸ Community ▸ Profiles…; 'Demo' is the demo)"),
    )
    parser.add_argument(
        "--demo-members",
        type=cli_args.positive_int,
        metavar="N",
        help=_("members in a newly created demo community (default 20,000)"),
    )
    parser.add_argument(
        "--demo-dialect",
        choices=DIALECTS,
        # None: not asked for (badgedesk alone opens the community opened last); the demo's is v1.
        default=None,
        help=_("the API the demo community speaks: BadgeDesk's own (v1, the default) or Discourse's"),
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=_(
            "check that BadgeDesk works: open the window (offscreen) on a small demo community in a"
            " temporary folder, sync it, close, and say how it went (exit status 0 or 1)"
        ),
    )
    parser.add_argument(
        "--forget-token",
        action="store_true",
        help=_(
            "remove the stored token of the community that opens first (--server, --profile, or the one"
            " opened last)"
        ),
    )
    parser.add_argument(
        INSECURE_HTTP_OPTION,
        action="store_true",
        help=_(
            "allow plain http to a --server that is not loopback (the token travels unencrypted; "
            "shown in the window title and status bar; testing only)"
        ),
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help=_("write debug detail to the log ({path})").format(path=logs.log_file()),
    )
    parser.add_argument(
        "--language",
        metavar="LANG",
        help=_(
            "show BadgeDesk in this language (de, fr_CA, …; default: the system's); "
            "'pseudo' shows every translatable text bracketed and longer, to check translations"
        ),
    )
    cli.add_server_kind_arguments(parser, remembered=True)
    parser.epilog = _("Other commands: {commands} (badgedesk COMMAND --help).").format(
        commands=", ".join(sorted(cli.COMMANDS))
    )
    args, extras = parser.parse_known_args(list(argv))
    # Qt's own options (-style fusion, -platform offscreen) go to Qt; anything else unknown is
    # refused as before.
    try:
        unknown, args.qt_options = split_qt_options(extras)
    except MissingQtValue as error:
        parser.error(str(error))
    if unknown:
        parser.error(_("unrecognized arguments: {arguments}").format(arguments=" ".join(unknown)))
    if args.server is not None and args.profile is not None:
        parser.error(_("argument --profile: not allowed with argument --server"))
    if args.smoke and (args.server is not None or args.profile is not None):
        parser.error(_("argument --smoke: it runs on a demo community, never on --server or --profile"))
    if args.server is not None:
        # Refused here, before a window opens or a token is asked for.
        try:
            check_server_url(args.server, allow_insecure_http=args.insecure_http)
        except BadServerAddress as error:
            parser.error(_("argument --server: {problem}").format(problem=str(error).rstrip(".")))
        # A missing kind or username is not an error here: remembered from last time, or
        # asked for in the connect dialog.
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        # The app starts its demo server so (desktop.sandbox.process): the server's own modules only.
        from desktop.sandbox.cli import main as sandbox_command

        return sandbox_command(argv[1:])
    if argv and argv[0] in cli_args.COMMANDS:
        from desktop import cli

        return cli.main(argv)
    # The command line speaks the environment's language (LANGUAGE, LC_ALL, LANG).
    i18n.use_languages([])
    args = parse_args(argv)
    if args.smoke:
        from ui.smoke import run_smoke

        return run_smoke(args)
    if not choose_community(args):
        return 2
    # The console until this process has its community (the rotating file then); no log line may
    # carry SQL parameters, member data or a token, whoever logs it (filters on every handler).
    logs.setup_logging(debug=args.debug, to_file=False)

    from ui.shell.controller import AppController

    app = make_application(args.qt_options)
    from ui.i18n import install_translations

    settings = settings_store.load()
    # Qt's own dialogs, the views and the core's messages in the chosen language.
    install_translations(app, args.language or settings.language or None)
    from ui.widgets.colours import follow_colour_scheme

    # Errors and banners stay readable when the user switches light/dark while the app runs.
    follow_colour_scheme(app)
    controller = AppController(
        settings,
        server=args.server,
        demo_members=args.demo_members,
        insecure_http=args.insecure_http,
        server_kind=args.server_kind,
        username=_stripped(args.username),
        request_category=_stripped(args.request_category),
        demo_dialect=args.demo_dialect or "v1",
    )
    from ui.single_instance import Claim, SingleInstance, bring_to_front

    # One BadgeDesk per community: a second start on it shows the first's window instead.
    single = SingleInstance(app)
    claim = single.claim(controller.profile)
    if claim is not Claim.FIRST:
        from ui.shell.profile_switch import claim_refused

        name = controller.switcher.current().name
        print(
            _("{name} is already open in BadgeDesk: its window was brought to the front.").format(name=name)
            if claim is Claim.FOCUSED_OTHER
            else claim_refused(name, claim, single),
            file=sys.stderr,
        )
        return 0 if claim is Claim.FOCUSED_OTHER else 1
    # Only the start that opens the community forgets its key (one that only focused another keeps it).
    if args.forget_token and args.server:
        controller.forget_token()
    # Only now the file: a start that only brought another BadgeDesk to the front writes nothing there.
    log_file = logs.setup_logging(debug=args.debug)
    log.info("BadgeDesk %s starting; log file: %s", about.version(), log_file)
    controller.switcher.single_instance = single
    single.show_requested.connect(lambda: bring_to_front(controller.window))
    controller.start()
    _quit_on_interrupt(app)
    code = app.exec()
    controller.shutdown()
    finish(settings, single)
    return int(code)


def finish(settings: settings_store.Settings, single: SingleInstance) -> None:
    """On exit: the settings saved while the community is still ours, then its claim released (another
    start may open it at once). A save that fails is said in one line and logged, not a traceback."""
    try:
        settings_store.save(settings)
    except OSError as error:
        log.warning("Settings could not be saved on exit: %s", error)
        print(_("BadgeDesk could not save its settings: {problem}").format(problem=error), file=sys.stderr)
    finally:
        single.release()


def choose_community(args: argparse.Namespace) -> bool:
    """Which community opens: ``--server``; ``--profile NAME``; the demo when a ``--demo-…`` option asks
    for it; else the one opened last (the demo the first time). Sets ``args.server`` (None: the demo).
    False when ``--profile`` names no community (said in one line, before the log says "starting")."""
    if args.server is not None:
        return True
    stored = settings_store.load()
    if args.profile is not None:
        server = _profile_server(stored, args.profile)
        if server is False:
            return False
        args.server = server
    elif args.demo_dialect is None and args.demo_members is None:
        from desktop import profiles

        # Where the user left off. Its key missing (no keyring, or never stored) or its kind or
        # user unknown: asked for as with --profile, over the community's cache.
        args.server = profiles.last_used(stored).url or None
        if args.server is None:
            # The demo of the dialect opened last (its own id: "demo-discourse"), not always v1's.
            args.demo_dialect = _demo_dialect(stored.current_profile)
    return True


def _demo_dialect(ident: str) -> str | None:
    """The dialect of the demo whose profile id is ``ident`` (None: v1's, or no demo)."""
    from desktop.sandbox.dialects import DIALECTS

    dialect = ident.removeprefix(settings_store.DEMO_PROFILE_ID + "-")
    return dialect if dialect != ident and dialect in DIALECTS else None


def _profile_server(settings: settings_store.Settings, wanted: str) -> str | bool | None:
    """``--profile NAME``: the server to open (None: the demo), or False when there is no such community."""
    from desktop import profiles

    profile = profiles.find(settings, wanted)
    if profile is None:
        names = ", ".join(p.name for p in profiles.all_profiles(settings))
        print(
            _("badgedesk: argument --profile: no community is called {name} (there are: {names})").format(
                name=repr(wanted), names=names
            ),
            file=sys.stderr,
        )
        return False
    return profile.url or None


def make_application(qt_options: Sequence[str] = ()) -> QApplication:
    """The QApplication (the one already made, in tests), with Qt's options and our identity."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([*sys.argv[:1], *qt_options])
    assert isinstance(app, QApplication)
    app.setApplicationName("BadgeDesk")
    app.setWindowIcon(QIcon(str(WINDOW_ICON)))
    app.setOrganizationName("BadgeDesk")
    # The desktop entry's id (packaging/DESKTOP_ID.desktop): Wayland docks find the icon by it.
    app.setDesktopFileName(DESKTOP_ID)
    from ui.main_thread_gc import MainThreadCollector

    if app.findChild(MainThreadCollector) is None:
        # Qt objects in garbage cycles are destroyed on the GUI thread, never on a worker.
        MainThreadCollector(app)
    return app


def _stripped(value: str | None) -> str | None:
    return value.strip() if value is not None else None


def _quit_on_interrupt(app: QApplication) -> None:
    """Ctrl+C in the terminal closes the app cleanly (stopping the demo server)."""
    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes; Qt's loop is C++,
    # so wake the interpreter now and then.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)


if __name__ == "__main__":
    sys.exit(main())
