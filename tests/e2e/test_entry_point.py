"""The ``badgedesk`` command as a user types it: ``--version``, and bad arguments refused in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from desktop import about
from desktop.sandbox.process import SandboxProcess, sandbox_command


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
        (["--smoke", "--server", "https://example.org"], "badgedesk: argument --smoke: it runs on a demo"),
        (["sandbox", "--port", "x"], "badgedesk sandbox: argument --port: must be a whole number"),
        (["sandbox", "--bogus"], "badgedesk sandbox: unrecognized arguments: --bogus"),
        (["sync"], "badgedesk sync: one of the arguments --server --profile is required"),
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


def test_the_sandbox_is_a_subcommand_of_the_running_program(tmp_path: Path) -> None:
    assert sandbox_command() == [sys.executable, "-P", "-m", "ui.app", "sandbox"]
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=50) as sandbox:
        assert sandbox.pid is not None
        command = Path(f"/proc/{sandbox.pid}/cmdline").read_bytes().split(b"\0")
        assert [part.decode() for part in command[:5]] == [sys.executable, "-P", "-m", "ui.app", "sandbox"]
        token = sandbox.tokens["moderator"]
        response = httpx.get(
            f"{sandbox.url}/api/v1/community", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert response.status_code == 200, response.text


def test_a_package_named_ui_in_the_current_folder_is_not_run_as_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without -P, "python -m ui.app" runs whatever ui/ the current folder holds.
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "__init__.py").write_text("raise SystemExit('not BadgeDesk')\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=50) as sandbox:
        assert sandbox.running


def test_a_frozen_app_starts_the_sandbox_with_its_own_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for a bundle's executable: the program itself, with no "-m" to run a module with.
    executable = tmp_path / "badgedesk"
    seen = tmp_path / "arguments"
    executable.write_text(
        f'#!/bin/sh\necho "$@" > {seen}\nexec {sys.executable} -m ui.app "$@"\n', encoding="utf-8"
    )
    executable.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    assert sandbox_command() == [str(executable), "sandbox"]
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=50) as sandbox:
        assert sandbox.running
    assert seen.read_text(encoding="utf-8").startswith("sandbox --host 127.0.0.1 --port 0 --exit-with-parent")


def test_badgedesk_sandbox_names_itself_and_loads_no_qt() -> None:
    code = (
        "import sys, contextlib, ui.app\n"
        "with contextlib.suppress(SystemExit):\n"
        "    ui.app.main(['sandbox', '--help'])\n"
        "print('loaded:', sorted({'PySide6', 'desktop.community', 'fastapi'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("usage: badgedesk sandbox [-h]"), result.stdout
    # Neither Qt nor what the other commands need: the app starts one each time it opens the demo.
    assert result.stdout.strip().endswith("loaded: []"), result.stdout
