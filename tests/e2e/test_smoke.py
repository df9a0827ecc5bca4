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


@pytest.mark.slow
def test_the_smoke_run_syncs_the_demo_offscreen_and_leaves_no_data_behind(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = clean_environment(home)
    result = subprocess.run(
        [sys.executable, "-c", SMOKE],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"smoke: ok, 200 members synced in \d+\.\d s\n", result.stdout), result.stdout
    # The data, the settings and the log were in a temporary folder: nothing in the user's home.
    assert list(home.iterdir()) == []


@pytest.mark.slow
def test_a_smoke_run_whose_demo_server_cannot_start_says_why_and_exits_1(tmp_path: Path) -> None:
    env = clean_environment(tmp_path / "home")
    # The demo server refuses a day it cannot read, and exits at once.
    env["BADGEDESK_DEMO_TODAY"] = "not a day"
    result = subprocess.run(
        [sys.executable, "-c", SMOKE],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("smoke: failed: The demo community server did not start"), result.stderr
