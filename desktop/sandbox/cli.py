"""Command-line entry of the sandbox: ``badgedesk sandbox`` (the app starts it so, see ``process``).

Kept free of FastAPI and uvicorn imports so building the main CLI's parser
stays fast; the server is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from desktop import cli_args, failure_logs, i18n, paths
from desktop.i18n import _

_LISTEN_ERRORS = frozenset({errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL})
#: Same as desktop.sandbox.seed.TODAY_ENV (not imported: the seed module is not needed to parse).
_TODAY_ENV = "BADGEDESK_DEMO_TODAY"


def iso_day(text: str) -> date:
    """A ``--today`` value: a date written ``YYYY-MM-DD``."""
    from desktop.sandbox.seed_common import parse_day

    try:
        return parse_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("must be a date written YYYY-MM-DD, not {text}").format(text=repr(text))
        ) from None


def default_data_dir() -> Path:
    """The app's demo sandbox directory, so both see one community (``BADGEDESK_DATA_DIR`` moves it)."""
    return paths.sandbox_dir()


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sandbox's options to ``parser`` (the main CLI's ``sandbox`` subcommand)."""
    parser.add_argument(
        "--members", type=cli_args.positive_int, default=20_000, help=_("members to seed (default 20000)")
    )
    parser.add_argument(
        "--seed", type=cli_args.whole_number, default=1, help=_("random seed of the community (default 1)")
    )
    parser.add_argument(
        "--today",
        type=iso_day,
        default=None,
        metavar="YYYY-MM-DD",
        help=_(
            "the day the seeded data is relative to (default: {variable} if set, else the real date);"
            " the same day and seed give the same data"
        ).format(variable=_TODAY_ENV),
    )
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)"))
    parser.add_argument(
        "--port", type=cli_args.port, default=0, help=_("port to listen on; 0 picks a free one")
    )
    parser.add_argument(
        "--data",
        type=cli_args.data_directory,
        default=None,
        help=_("data directory (default {folder})").format(folder=default_data_dir()),
    )
    parser.add_argument(
        "--dialect",
        choices=("v1", "discourse"),
        default="v1",
        help=_("the API the server speaks: v1 (BadgeDesk Community API, default) or discourse"),
    )
    parser.add_argument(
        "--rate",
        type=cli_args.positive_float,
        default=None,
        help=_(
            "v1: requests per second per token (default unlimited);"
            " discourse: admin API requests per minute, site-wide (default 60)"
        ),
    )
    parser.add_argument(
        "--fail-rate",
        type=cli_args.fraction,
        default=0.0,
        help=_("probability of an injected fault (default 0)"),
    )
    parser.add_argument(
        "--fault-seed", type=cli_args.whole_number, default=None, help=_("makes injected faults repeatable")
    )
    parser.add_argument(
        "--latency-ms", type=cli_args.non_negative_int, default=0, help=_("delay added to every API call")
    )
    parser.add_argument(
        "--batch-cap",
        type=cli_args.positive_int,
        default=50,
        help=_("most items per batch (v1 only; default 50)"),
    )
    parser.add_argument(
        "--ip-limits",
        action="store_true",
        help=_(
            "discourse: also limit requests per IP as Discourse does for public addresses"
            " (50 per 10 s, 200 a minute; a request with a good API key is not counted),"
            " answered with its plain-text 429"
        ),
    )
    parser.add_argument(
        "--solved",
        action="store_true",
        help=_(
            "discourse: the Solved plugin's directory column is on (leaderboards by accepted answers);"
            " off by default, as on most forums"
        ),
    )
    parser.add_argument("--reset", action="store_true", help=_("discard the data and seed again"))
    parser.add_argument("--name", default="Sandbox Community", help=_("the community's name"))
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help=_("stop when the process that started this one ends (used by the app)"),
    )


def sandbox_main(args: argparse.Namespace) -> int:
    """Run the sandbox with parsed ``args``; returns the exit status."""
    from desktop.sandbox.seed_common import demo_today
    from desktop.sandbox.server import run_sandbox

    data_dir: Path = args.data if args.data is not None else default_data_dir()
    try:
        today = demo_today(args.today)
    except ValueError:
        print(
            _("sandbox: {variable} must be a date written YYYY-MM-DD, not {text}").format(
                variable=_TODAY_ENV, text=repr(os.environ.get(_TODAY_ENV, ""))
            ),
            file=sys.stderr,
        )
        return 2
    try:
        return run_sandbox(
            data_dir=data_dir,
            members=args.members,
            seed=args.seed,
            today=today,
            host=args.host,
            port=args.port,
            rate=args.rate,
            fail_rate=args.fail_rate,
            latency_ms=args.latency_ms,
            reset=args.reset,
            community_name=args.name,
            batch_cap=args.batch_cap,
            fault_seed=args.fault_seed,
            ip_limits=args.ip_limits,
            solved=args.solved,
            exit_with_parent=args.exit_with_parent,
            dialect=args.dialect,
        )
    except KeyboardInterrupt:
        return 130
    except sqlite3.DatabaseError as exc:
        print(
            _(
                "sandbox: the database in {folder} cannot be read ({reason}): start with --reset to seed it"
                " again, or choose another --data directory"
            ).format(folder=data_dir, reason=exc),
            file=sys.stderr,
        )
        return 2
    except OSError as exc:
        # Socket errors carry no file name; a file error of the data directory does.
        listening = isinstance(exc, socket.gaierror) or exc.errno in _LISTEN_ERRORS
        if listening and exc.filename is None:
            print(
                _(
                    "sandbox: cannot listen on {host} port {port} ({reason}):"
                    " choose another --host or --port (0 picks a free port)"
                ).format(host=args.host, port=args.port, reason=exc.strerror or exc),
                file=sys.stderr,
            )
            return 2
        if exc.filename:
            print(
                _("sandbox: {reason} ({file})").format(reason=exc.strerror or exc, file=exc.filename),
                file=sys.stderr,
            )
        else:
            print(_("sandbox: {reason}").format(reason=exc.strerror or exc), file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """``badgedesk sandbox ARGS``: ``argv`` is what follows ``sandbox``."""
    # The environment's language, as the other commands (see desktop.cli.main).
    i18n.use_languages([])
    parser = cli_args.ArgumentParser(
        prog="badgedesk sandbox", description=_("Run the local community server.")
    )
    add_sandbox_arguments(parser)
    args = parser.parse_args(None if argv is None else list(argv))
    # A separate server (often several at once): console only, so that no two processes rotate
    # the same log file.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    failure_logs.install_redaction()
    return sandbox_main(args)
