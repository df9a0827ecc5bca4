"""Command-line tools of BadgeDesk that need no window.

``badgedesk sandbox …`` runs the local community server; ``badgedesk sync
--server URL`` syncs a profile's cache from a terminal. The ``badgedesk``
entry point (``ui.app``) hands these subcommands here before it loads Qt.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import sys
from collections.abc import Callable, Sequence

from desktop import cli_args, failure_logs, failures, i18n, logs, paths
from desktop.cli_program_args import add_award_arguments, add_program_arguments, award_main, program_main
from desktop.community import Community, Endpoint
from desktop.dialects import registry
from desktop.i18n import _, ngettext
from desktop.net.errors import BadServerAddress
from desktop.net.server_address import INSECURE_HTTP_OPTION, ServerAddress, check_server_url
from desktop.sandbox.cli import main as sandbox_command
from desktop.secrets import NoKeyring, TokenStore
from desktop.sync import SyncProgress, SyncResult

#: Exit status after Ctrl+C, as a shell reports a process ended by SIGINT.
INTERRUPTED = 130


class _NoToken(Exception):
    """The user gave no token at the prompt; the message says what happened."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def insecure_http_warning(address: ServerAddress) -> str:
    return _(
        "Warning: {option}: the API token is sent unencrypted to {server}; anyone on the network can read it."
    ).format(option=INSECURE_HTTP_OPTION, server=address.url)


def _ask_token(server: str) -> str:
    """The token typed at the terminal; :class:`_NoToken` on end of input, Ctrl+C or nothing typed."""
    try:
        token = getpass.getpass(_("API token for {server}: ").format(server=server)).strip()
    except EOFError:
        # getpass leaves the cursor after the prompt: end that line first.
        raise _NoToken("\n" + _("No token given (end of input): nothing was synced."), 2) from None
    except KeyboardInterrupt:
        raise _NoToken("\n" + _("Cancelled: nothing was synced."), INTERRUPTED) from None
    if not token:
        raise _NoToken(_("No token given: nothing was synced."), 2)
    return token


log = logging.getLogger(__name__)


def _sync_main(args: argparse.Namespace) -> int:
    try:
        address = check_server_url(args.server, allow_insecure_http=args.insecure_http)
    except BadServerAddress as error:
        print(f"badgedesk sync: {error}", file=sys.stderr)
        return 2
    server = address.url
    if address.insecure:
        print(insecure_http_warning(address), file=sys.stderr)
    store = TokenStore()
    token: str | None = None
    typed = False
    try:
        token = store.get(server)
    except NoKeyring as error:
        print(error, file=sys.stderr)
    if not token:
        if not sys.stdin.isatty():
            print(
                _("No token for {server} in the keyring, and no terminal to ask for one.").format(
                    server=server
                ),
                file=sys.stderr,
            )
            return 2
        try:
            token = _ask_token(server)
        except _NoToken as stop:
            print(stop, file=sys.stderr)
            return stop.status
        typed = True
    try:
        endpoint = Endpoint(
            server,
            token,
            insecure_http=address.insecure,
            kind=args.server_kind,
            username=args.username.strip(),
            request_category=args.request_category.strip(),
        )
        community = Community(server, endpoint)
    except Exception as error:
        # Opening (or creating) the cache failed: the same one line as a failed sync.
        failure_logs.log_failure(log, "badgedesk sync: opening the cache", error, level=logging.DEBUG)
        folder = paths.profile_dir(server)
        print(failures.describe(error, failures.SYNC_COMMAND, folder=folder).message, file=sys.stderr)
        return 1
    for notice in community.cache.notices:
        print(notice, file=sys.stderr)
    last = [""]
    reached = [SyncProgress("", 0, 0)]

    def progress(p: SyncProgress) -> None:
        reached[0] = p
        if p.requests_left is not None:
            # A server with one rate limit for all (Discourse): pages, requests left, time.
            line = p.describe()
        else:
            percent = int(100 * p.done / p.total) if p.total else -1
            if percent >= 0:
                line = _("{phase}: {percent}%").format(phase=p.phase_name, percent=percent)
            else:
                line = ngettext("{phase}: {n} change", "{phase}: {n} changes", p.done).format(
                    phase=p.phase_name, n=f"{p.done:,}"
                )
        if line != last[0]:
            # Padded over the longer line it replaces.
            print(f"\r{line:<{len(last[0])}}", end="", file=sys.stderr, flush=True)
            last[0] = line

    log.info("badgedesk sync of %s starting", server)
    try:
        result = community.sync(
            progress=progress, snapshot=args.snapshot, confirm_sweep=args.confirm_deletions
        )
    except KeyboardInterrupt:
        log.info("badgedesk sync of %s interrupted", server)
        print("\n" + _("The sync was interrupted: run it again to resume where it stopped."), file=sys.stderr)
        return INTERRUPTED
    except Exception as error:
        # In the file only (INFO): the terminal has the one line below.
        failure_logs.log_failure(log, f"badgedesk sync of {server}", error, level=logging.INFO)
        print(f"\n{_sync_failure(community, error, reached[0])}", file=sys.stderr)
        return 1
    finally:
        community.close()
    if typed:
        # Stored only now that the server has accepted it.
        with contextlib.suppress(NoKeyring):
            store.set(server, token)
    print("\n" + _sync_summary(result))
    for withheld in result.withheld:
        print(
            _(
                "{withheld}. If they were really deleted there, delete them here with"
                " badgedesk sync --snapshot --confirm-deletions"
            ).format(withheld=withheld.describe()),
            file=sys.stderr,
        )
    print(_("cache: {folder}").format(folder=paths.profile_dir(server)))
    return 0


def _sync_summary(result: SyncResult) -> str:
    """What the sync did, e.g. "full sync of Demo: 116,697 items in 41.2 s"."""
    n = result.items
    fields = {"community": result.community, "items": f"{n:,}", "seconds": f"{result.seconds:.1f}"}
    if result.snapshot and result.recent:
        text = ngettext(
            "full pass (everything read again) sync of {community}: {items} item in {seconds} s",
            "full pass (everything read again) sync of {community}: {items} items in {seconds} s",
            n,
        )
    elif result.recent and not result.snapshot:
        text = ngettext(
            "later (only what is new) sync of {community}: {items} item in {seconds} s",
            "later (only what is new) sync of {community}: {items} items in {seconds} s",
            n,
        )
    elif result.snapshot or result.full:
        text = ngettext(
            "full sync of {community}: {items} item in {seconds} s",
            "full sync of {community}: {items} items in {seconds} s",
            n,
        )
    else:
        text = ngettext(
            "incremental sync of {community}: {items} item in {seconds} s",
            "incremental sync of {community}: {items} items in {seconds} s",
            n,
        )
    return text.format(**fields)


def _sync_failure(community: Community, error: Exception, reached: SyncProgress) -> str:
    """One line for the terminal; the log gets the kind of failure (a traceback only for a bug)."""
    folder = community.cache.directory
    failure_logs.log_failure(log, "badgedesk sync", error, level=logging.DEBUG)
    needed = failures.space_for_sync(folder, reached.done, reached.total)
    return failures.describe(error, failures.SYNC_COMMAND, folder=folder, space_needed=needed).message


def add_server_kind_arguments(parser: argparse.ArgumentParser, *, remembered: bool = False) -> None:
    """``--server-kind``, ``--username`` and ``--request-category``: which dialect speaks to
    ``--server``, as whom, and where its requests are.

    ``remembered``: the app remembers them per server; left out, they are None (as last
    time, or asked for in the connect dialog) instead of the defaults.
    """
    # The app keeps them per server: left out, they are None (as last time, or asked).
    if remembered:
        kind_help = _("the kind of server --server is (default: as last time for this server, else asked)")
        username_help = _(
            "the user the API key acts as (Discourse's Api-Username; required there;"
            " default: as last time for this server)"
        )
        category_help = _(
            "the forum category whose open topics are badge requests (Discourse; none: no review queue;"
            " default: as last time for this server)"
        )
    else:
        kind_help = _("the kind of server --server is (default: {kind})").format(kind=registry.DEFAULT_KIND)
        username_help = _("the user the API key acts as (Discourse's Api-Username; required there)")
        category_help = _(
            "the forum category whose open topics are badge requests (Discourse; none: no review queue)"
        )
    parser.add_argument(
        "--server-kind",
        choices=sorted(registry.DIALECTS),
        default=None if remembered else registry.DEFAULT_KIND,
        help=kind_help,
    )
    parser.add_argument("--username", metavar="NAME", default=None if remembered else "", help=username_help)
    parser.add_argument(
        "--request-category", metavar="SLUG", default=None if remembered else "", help=category_help
    )


def check_server_kind(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Stop with one line when the kind needs a username and none was given."""
    if registry.dialect(args.server_kind).needs_username and not args.username.strip():
        parser.error(
            _("argument --username: a {kind} server needs the user the API key acts as").format(
                kind=args.server_kind
            )
        )


def _build_parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    parser = cli_args.ArgumentParser(prog="badgedesk")
    commands = parser.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync", help=_("sync a server's cache without the window"))
    sync.add_argument("--server", required=True, metavar="URL")
    add_server_kind_arguments(sync)
    sync.add_argument(
        "--snapshot",
        action="store_true",
        help=_(
            "on a server without a changes feed, read everything again now and delete what is gone"
            " (otherwise done once a day; later syncs read only what is new)"
        ),
    )
    sync.add_argument(
        "--confirm-deletions",
        action="store_true",
        help=_("delete what the server no longer has even when it is most of the local copy"),
    )
    sync.add_argument(
        "--debug",
        action="store_true",
        help=_("write debug detail to the log ({file})").format(file=logs.log_file()),
    )
    sync.add_argument(
        INSECURE_HTTP_OPTION,
        action="store_true",
        help=_(
            "allow plain http to a host that is not loopback (the token travels unencrypted; testing only)"
        ),
    )
    program = commands.add_parser("program", help=_("run a saved recognition program without the window"))
    add_program_arguments(program)
    award = commands.add_parser(
        "award",
        help=_("award a badge to the members a file lists, without the window"),
        description=_(
            "Award a badge to the members a file lists: print the dry run, then queue and send the batch."
            " Exit status: 0 all applied or nothing to do, 1 some failed (a results CSV is written beside"
            " the file), 2 bad input or refused, 3 the server cannot be reached (the actions stay queued)."
        ),
    )
    add_award_arguments(award)
    for command in (sync, program, award):
        # Its own errors found after parsing name it too ("badgedesk sync: …"), as argparse's do.
        command.set_defaults(command_parser=command)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "sync": _sync_main,
        "program": program_main,
        "award": award_main,
    }
    return parser, handlers


COMMANDS = cli_args.COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    # The language of the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), as other
    # command-line tools; English where BadgeDesk has no catalogue for it.
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        # The app starts the server this way (desktop.sandbox.process): it has its own parser and
        # needs none of the other commands' modules.
        return sandbox_command(argv[1:])
    i18n.use_languages([])
    parser, handlers = _build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # Refused by the command's own parser, so the line names it ("badgedesk sync: …").
        args.command_parser.error(
            _("unrecognized arguments: {arguments}").format(arguments=" ".join(unknown))
        )
    # The log file too: a sync from a terminal is worth a record like one from the window.
    logs.setup_logging(debug=args.debug, console_level=logging.WARNING)
    check_server_kind(args.command_parser, args)
    return handlers[args.command](args)
