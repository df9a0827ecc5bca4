"""BadgeDesk installed as a user installs it: the wheel, in a fresh venv, run outside the checkout.

Every resource, migration and translation the app reads must be in the wheel, and the demo's server
must start from the installed program: ``badgedesk --version`` and ``badgedesk --smoke`` both exit 0.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
#: Not copied to build from: what is not part of the package's sources.
SKIPPED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "artifacts", "*.egg-info", "__pycache__", ".*_cache", "tests", "bench"
)


def run(
    command: list[str | Path],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_installed_wheel_starts_outside_the_source_tree(tmp_path: Path) -> None:
    started = time.monotonic()
    # Built from a copy: the build writes build/ and *.egg-info beside the sources.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=SKIPPED, symlinks=True)
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "wheel", source],
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "wheel").glob("badgedesk-*.whl")

    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", venv], timeout=120)
    assert made.returncode == 0, made.stderr
    python, badgedesk = venv / "bin" / "python", venv / "bin" / "badgedesk"
    # The locked versions of what the wheel needs (pip's cache has them after ./dev's setup).
    installed = run(
        [python, "-m", "pip", "install", "--quiet", "--no-compile", "-c", LOCK, wheel], timeout=600
    )
    assert installed.returncode == 0, installed.stderr

    # As a user's shell: outside the checkout, no PYTHONPATH, no test folders, no Qt platform chosen.
    home = tmp_path / "home"
    home.mkdir()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BADGEDESK_", "QT_", "XDG_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["HOME"] = str(home)
    where = run([python, "-c", "import desktop, ui; print(desktop.__file__, ui.__file__)"], cwd=home, env=env)
    assert where.stdout.count(str(venv / "lib")) == 2, where.stdout + where.stderr
    assert str(ROOT) not in where.stdout

    version = run([badgedesk, "--version"], cwd=home, env=env, timeout=60)
    assert (version.returncode, version.stdout) == (0, "BadgeDesk 0.1.0\n"), version.stderr
    smoke = run([badgedesk, "--smoke"], cwd=home, env=env, timeout=180)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert smoke.stdout.startswith("smoke: ok, 200 members synced in "), smoke.stdout
    print(f"wheel built, installed and started in {time.monotonic() - started:.0f} s")
