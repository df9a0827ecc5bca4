"""The app's exit: its settings saved while the community is still its own, then the claim released."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot

from desktop import paths
from desktop import settings as settings_store
from desktop.cache.locks import held
from ui import app
from ui.single_instance import LOCK_NAME, Claim, SingleInstance


def test_the_settings_are_saved_before_the_community_is_released(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    single = SingleInstance()
    assert single.claim("demo") is Claim.FIRST
    settings = settings_store.load()
    settings.window_geometry = "on exit"
    seen: list[str | None] = []
    release = single.release

    def spying_release() -> None:
        path = settings_store.settings_path()
        seen.append(json.loads(path.read_text())["window_geometry"] if path.exists() else None)
        release()

    monkeypatch.setattr(single, "release", spying_release)
    app.finish(settings, single)
    assert seen == ["on exit"]
    with held(paths.profile_dir("demo") / LOCK_NAME):
        pass


def test_a_settings_save_that_fails_on_exit_is_said_in_one_line_and_still_releases(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    single = SingleInstance()
    assert single.claim("demo") is Claim.FIRST

    def failing_save(_settings: settings_store.Settings) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(settings_store, "save", failing_save)
    app.finish(settings_store.Settings(), single)
    err = capsys.readouterr().err
    assert "BadgeDesk could not save its settings: [Errno 28] No space left on device" in err
    assert "Traceback" not in err
    with held(paths.profile_dir("demo") / LOCK_NAME):
        pass
