"""``badgedesk --smoke``: the window on a small demo community, synced, closed; one line and the status."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SMOKE = "import sys, ui.app; sys.exit(ui.app.main(['--smoke']))"


def clean_environment(home: Path) -> dict[str, str]:
    """As a user's shell: no test folders, no Qt platform chosen, the home folder a scratch one."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BADGEDESK_", "QT_", "XDG_")) and name != "PYTHONPATH"
    }
    home.mkdir()
    env["HOME"] = str(home)
    return env


def smoke(env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``badgedesk --smoke`` in a subprocess, from the checkout, with nothing to answer on stdin."""
    return subprocess.run(
        [sys.executable, "-c", SMOKE],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=timeout,
    )


@pytest.mark.slow
def test_the_smoke_run_syncs_the_demo_offscreen_and_leaves_no_data_behind(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = clean_environment(home)
    result = smoke(env)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"smoke: ok, 200 members synced in \d+\.\d s\n", result.stdout), result.stdout
    # The data, the settings and the log were in a temporary folder: nothing in the user's home.
    assert list(home.iterdir()) == []


@pytest.mark.slow
def test_a_smoke_run_whose_demo_server_cannot_start_says_why_and_exits_1(tmp_path: Path) -> None:
    env = clean_environment(tmp_path / "home")
    # The demo server refuses a day it cannot read, and exits at once.
    env["BADGEDESK_DEMO_TODAY"] = "not a day"
    result = smoke(env)
    assert result.returncode == 1
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("smoke: failed: The demo community server did not start"), result.stderr


@pytest.mark.slow
def test_a_smoke_run_that_meets_a_question_fails_at_once_with_it(tmp_path: Path) -> None:
    env = clean_environment(tmp_path / "home")
    # The data folder cannot be made (a file is in the way): the app says so in a message box.
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    env["BADGEDESK_DATA_DIR"] = str(tmp_path / "a-file" / "data")
    result = smoke(env, timeout=50)  # well before the run's own limit of 60 s
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(
        "smoke: failed: a window asks: BadgeDesk cannot start: Opening the local cache failed"
    )
