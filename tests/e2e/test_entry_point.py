"""The ``badgedesk`` command as a user types it: ``--version``, and bad arguments refused in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop import about


def badgedesk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.app", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        cwd=cwd,
    )


def test_version_prints_the_version_and_exits_0_without_qt() -> None:
    result = badgedesk("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "BadgeDesk 0.1.0\n"
    assert about.version() == "0.1.0"
    code = (
        "import sys, contextlib, ui.app\n"
        "with contextlib.suppress(SystemExit):\n"
        "    ui.app.main(['--version'])\n"
        "print('Qt loaded:', 'PySide6' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert loaded.stdout.splitlines() == ["BadgeDesk 0.1.0", "Qt loaded: False"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--bogus"], "badgedesk: unrecognized arguments: --bogus"),
        (["--demo-members", "many"], "badgedesk: argument --demo-members: must be a whole number"),
        (["--server", "ftp://example.org"], "badgedesk: argument --server: "),
        (["sandbox", "--port", "x"], "badgedesk sandbox: argument --port: must be a whole number"),
        (["sandbox", "--bogus"], "badgedesk sandbox: unrecognized arguments: --bogus"),
        (["sync"], "badgedesk sync: the following arguments are required: --server"),
        (
            ["sync", "--server", "https://example.org", "--server-kind", "discourse"],
            "badgedesk sync: argument --username: a discourse server needs",
        ),
        (["award", "--server"], "badgedesk award: argument --server: expected one argument"),
        (["program", "bogus"], "badgedesk program: argument program_command: invalid choice"),
    ],
)
def test_a_bad_argument_is_refused_in_one_line_with_status_2(args: list[str], says: str) -> None:
    result = badgedesk(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    # One line (argparse's usage line before it would be allowed too).
    assert 1 <= len(lines) <= 2, result.stderr
    assert lines[-1].startswith(says), result.stderr
    assert lines[-1].endswith("--help)"), result.stderr
