"""The options of ``badgedesk program run``: which profile, which program, which period, how.

There is no ``--token`` option on purpose: a token on the command line is
readable by every user of the machine (:mod:`desktop.cli_token`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop import logs
from desktop.cli_args import positive_int
from desktop.cli_token import CREDENTIAL_NAME
from desktop.i18n import _
from desktop.net.server_address import INSECURE_HTTP_OPTION


def add_server_or_profile(parser: argparse.ArgumentParser, server_help: str | None = None) -> None:
    """``--server URL`` or ``--profile NAME`` (one of them): the community a command works on."""
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--server", metavar="URL", help=server_help)
    which.add_argument(
        "--profile",
        metavar="NAME",
        help=_(
            "the community of this name (as in the app's File ▸ Community menu): its server, kind and user,"
            " unless given"
        ),
    )


def add_headless_arguments(parser: argparse.ArgumentParser) -> None:
    """``--server`` (the profile), its kind, ``--token-file``, ``--dry-run``, ``--yes``."""
    from desktop.cli import add_server_kind_arguments  # cli imports this module

    add_server_or_profile(parser, _("the server whose profile to use"))
    add_server_kind_arguments(parser)
    parser.add_argument(
        "--token-file",
        type=Path,
        metavar="PATH",
        help=_(
            "read the API token from this file (only its owner may read it: chmod 600) where there is no"
            " keyring; under systemd, LoadCredential={name}:PATH does it instead"
        ).format(name=CREDENTIAL_NAME),
    )
    parser.add_argument(
        "--requests-per-minute",
        type=positive_int,
        metavar="N",
        help=_(
            "the requests a minute the server allows all its clients together, where its admin raised"
            " the limit (Discourse's max_admin_api_reqs_per_minute; default: 60 there)"
        ),
    )
    parser.add_argument("--dry-run", action="store_true", help=_("print the dry run; queue and send nothing"))
    parser.add_argument("--yes", action="store_true", help=_("send without asking (for schedules)"))
    parser.add_argument(
        "--debug",
        action="store_true",
        help=_("write debug detail to the log ({file})").format(file=logs.log_file()),
    )
    parser.add_argument(
        INSECURE_HTTP_OPTION,
        action="store_true",
        help=_(
            "allow plain http to a host that is not loopback (the token travels unencrypted; testing only)"
        ),
    )


def add_program_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="program_command", required=True)
    run = actions.add_parser(
        "run",
        help=_("run a program: its dry run, then its batch queued and sent"),
        description=_(
            "Run a saved program for its latest ended period: print the dry run, then queue and send its"
            " batch. Exit status: 0 all applied or nothing to do, 1 some failed (a results CSV is"
            " written), 2 bad input or refused, 3 the server cannot be reached (the actions stay queued)."
        ),
    )
    run.add_argument("name", metavar="NAME", help=_("the program's name"))
    run.add_argument("--period", metavar="KEY", help=_("the period to run (e.g. 2026-W49, 2026-11, 2026-Q4)"))
    run.add_argument("--json", action="store_true", help=_("print the dry run and the outcome as JSON"))
    run.add_argument(
        "--revoke-gone",
        metavar="REASON",
        help=_("revoke the badge of members gone from a list source since its last run, with this reason"),
    )
    add_headless_arguments(run)


def program_main(args: argparse.Namespace) -> int:
    from desktop.cli_programs import program_run_main

    return program_run_main(args)


def add_award_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--badge", required=True, metavar="NAME", help=_("the badge's title or slug"))
    parser.add_argument(
        "--from",
        dest="from_file",
        required=True,
        type=Path,
        metavar="FILE",
        help=_("a CSV or text file of email addresses or usernames, one member a row"),
    )
    parser.add_argument(
        "--reason",
        metavar="URL",
        help=_("the reason each award carries (a link where the server takes only one)"),
    )
    add_headless_arguments(parser)


def award_main(args: argparse.Namespace) -> int:
    from desktop.cli_award import award_main as main

    return main(args)
