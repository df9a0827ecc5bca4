"""The command-line tools, against a real sandbox."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from desktop import cli, logs, paths
from desktop.cache.database import Cache
from desktop.sandbox.process import SandboxProcess
from desktop.secrets import TokenStore


def test_sync_command_fills_the_profile_cache(
    sandbox: SandboxProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    TokenStore().set(sandbox.url, sandbox.tokens["moderator"])
    assert cli.main(["sync", "--server", sandbox.url]) == 0
    assert "full sync of" in capsys.readouterr().out
    assert cli.main(["sync", "--server", sandbox.url]) == 0
    assert "incremental sync of" in capsys.readouterr().out
    cache = Cache(paths.profile_dir(sandbox.url))
    assert cache.counts().members == 1500
    cache.close()


def test_sync_command_without_a_token_and_no_terminal_says_so(sandbox: SandboxProcess) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui.app", "sync", "--server", sandbox.url],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 2
    assert "No token for" in result.stderr


def test_core_commands_do_not_load_qt() -> None:
    code = (
        "import sys, contextlib, ui.app\n"
        "with contextlib.suppress(SystemExit):\n"
        "    ui.app.main(['sandbox', '--help'])\n"
        "print('Qt loaded:', 'PySide6' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "--members" in result.stdout
    assert result.stdout.strip().endswith("Qt loaded: False")


def test_a_debug_sync_logs_to_the_file_and_never_the_token(sandbox: SandboxProcess) -> None:
    token = sandbox.tokens["moderator"]
    TokenStore().set(sandbox.url, token)
    try:
        assert cli.main(["sync", "--debug", "--server", sandbox.url]) == 0
        # A token a library or a careless line quotes is withheld too.
        logging.getLogger("badgedesk.test").debug("sent headers {'Authorization': 'Bearer %s'}", token)
    finally:
        logs.stop_logging()
    text = logs.log_file().read_text(encoding="utf-8")
    assert f"INFO desktop.cli: badgedesk sync of {sandbox.url} starting" in text
    assert f"INFO desktop.community: full sync of {sandbox.url}: " in text
    assert "DEBUG" in text and "Bearer [withheld]" in text
    assert token not in text
