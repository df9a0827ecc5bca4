"""What ``badgedesk`` alone opens, and what a start that only shows another window leaves untouched."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from desktop import settings as settings_store
from desktop.secrets import TokenStore
from desktop.settings import Settings
from ui import app
from ui.single_instance import Claim, SingleInstance

FORUM = "https://forum.example"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("dialect", "expected"), [("discourse", "discourse"), ("v1", None)])
def test_the_demo_opened_last_reopens_with_its_dialect(dialect: str, expected: str | None) -> None:
    from ui.shell.demo import demo_profile

    stored = Settings()
    stored.use_profile(demo_profile(dialect))
    settings_store.save(stored)
    args = app.parse_args([])
    assert app.choose_community(args)
    assert args.server is None and args.demo_dialect == expected


def test_a_demo_dialect_asked_for_wins_over_the_one_opened_last() -> None:
    stored = Settings()
    stored.use_profile("demo-discourse")
    settings_store.save(stored)
    args = app.parse_args(["--demo-dialect", "v1"])
    assert app.choose_community(args)
    assert args.server is None and args.demo_dialect == "v1"


def test_forget_token_on_a_start_that_only_shows_the_open_window_keeps_the_key(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``badgedesk --server URL --forget-token`` while URL is open elsewhere: that window comes to the
    front, the key it uses stays."""
    from tests.ui.file_keyring import FileKeyring

    monkeypatch.setenv("BADGEDESK_TEST_KEYRING", str(tmp_path / "keyring.json"))
    keyring.set_keyring(FileKeyring())
    TokenStore().set(FORUM, "forum-key")
    first = SingleInstance()
    assert first.claim(FORUM) is Claim.FIRST
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.ui.file_keyring.FileKeyring"}
    results: list[subprocess.CompletedProcess[str]] = []

    def second_start() -> None:
        command = [sys.executable, "-m", "ui.app", "--server", FORUM, "--forget-token"]
        results.append(
            subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
        )

    thread = threading.Thread(target=second_start)
    try:
        with qtbot.waitSignal(first.show_requested, timeout=60_000):
            thread.start()
        qtbot.waitUntil(lambda: bool(results), timeout=60_000)
        thread.join()
    finally:
        first.release()
    [done] = results
    assert done.returncode == 0, done.stderr
    assert TokenStore().get(FORUM) == "forum-key"
