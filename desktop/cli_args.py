"""Command-line options of every BadgeDesk command: checked values, one-line errors.

A wrong option stops the command with one line on stderr that names the
option and what it accepts, and exit status 2 (argparse's own convention),
never a usage block or a traceback; ``--help`` shows the usage.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NoReturn

from desktop.i18n import _

#: ``badgedesk COMMAND …``: the commands that run without the window (``desktop.cli``). Named here, where
#: importing costs nothing, so that the entry point can hand them over before it loads anything else.
COMMANDS = frozenset({"sandbox", "sync", "program", "award"})


class ArgumentParser(argparse.ArgumentParser):
    """argparse with a one-line error; subcommand parsers inherit it."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            2, _("{prog}: {message} (see {prog} --help)").format(prog=self.prog, message=message) + "\n"
        )


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("must be a whole number, not {text}").format(text=repr(text))
        ) from None


def positive_int(text: str) -> int:
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1, not {text}").format(text=repr(text)))
    return value


def non_negative_int(text: str) -> int:
    value = whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more, not {text}").format(text=repr(text)))
    return value


def port(text: str) -> int:
    value = whole_number(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            _("must be a port number from 0 to 65535 (0 picks a free one), not {text}").format(
                text=repr(text)
            )
        )
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a number, not {text}").format(text=repr(text))) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(_("must be a finite number, not {text}").format(text=repr(text)))
    return value


def positive_float(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(_("must be more than 0, not {text}").format(text=repr(text)))
    return value


def fraction(text: str) -> float:
    value = _number(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(_("must be between 0 and 1, not {text}").format(text=repr(text)))
    return value


def data_directory(text: str) -> Path:
    """A directory to keep data in: it exists and may be written, or it can be made."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(_("{path} is not a directory").format(path=path))
    if path.is_dir() and not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(
            _("{path} cannot be read and written by this user").format(path=path)
        )
    # The nearest part that exists must be a directory we may create in.
    parent = path
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(
            _("{path} cannot be created: {parent} is not a directory").format(path=path, parent=parent)
        )
    if parent != path and not os.access(parent, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(
            _("{path} cannot be created: {parent} is not writable").format(path=path, parent=parent)
        )
    return path
