"""Switching communities and this process's locks: the old one stays held until it is closed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from desktop import paths, profiles
from desktop.cache.locks import LockBusy, held
from desktop.dialects import registry
from desktop.settings import ConnectionChoice, Settings
from ui.connect.connect_dialog import Connection
from ui.shell.controller import AppController
from ui.single_instance import LOCK_NAME, Claim, SingleInstance


def _held_here(profile: str) -> bool:
    """Whether a BadgeDesk holds ``profile``'s app.lock (a lock of its own on the file is refused)."""
    try:
        with held(paths.profile_dir(profile) / LOCK_NAME):
            return False
    except LockBusy:
        return True


@pytest.mark.parametrize("closes", [True, False])
def test_switching_keeps_the_old_community_claimed_until_it_is_closed(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, make_controller: Callable[..., AppController], closes: bool
) -> None:
    settings = Settings(demo_members=200, getting_started_shown=True)
    forum = profiles.add(settings, "Forum", "https://forum.example", ConnectionChoice(registry.DEFAULT_KIND))
    controller = make_controller(settings)
    mine = SingleInstance()
    assert mine.claim("demo") is Claim.FIRST
    controller.switcher.single_instance = mine
    during: list[tuple[bool, bool]] = []

    def switch_to(_connection: Connection | None) -> bool:
        # The demo's cache is being closed here: no other BadgeDesk may open it yet.
        during.append((_held_here("demo"), _held_here(forum.url)))
        return closes

    monkeypatch.setattr(controller, "switch_to", switch_to)
    try:
        assert controller.switcher.switch(forum) is closes
        assert during == [(True, True)]
        # Switched: only the new one is held; not (the old one stays open): only the old one.
        assert _held_here("demo") is not closes
        assert _held_here(forum.url) is closes
        assert mine.profile == (forum.url if closes else "demo")
    finally:
        mine.release()
    assert not _held_here("demo") and not _held_here(forum.url)


def test_a_community_whose_folder_cannot_be_made_is_not_switched_to_and_says_why(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, make_controller: Callable[..., AppController]
) -> None:
    settings = Settings(demo_members=200, getting_started_shown=True)
    forum = profiles.add(settings, "Forum", "https://forum.example", ConnectionChoice(registry.DEFAULT_KIND))
    controller = make_controller(settings)
    mine = SingleInstance()
    assert mine.claim("demo") is Claim.FIRST
    controller.switcher.single_instance = mine
    # A file where its folder would be (or a read-only or full disk): its lock file cannot be made.
    paths.profile_dir(forum.url).write_text("not a folder")
    told: list[str] = []
    monkeypatch.setattr(
        "ui.shell.profile_switch.tell", lambda _parent, _title, text, _icon: told.append(text)
    )
    try:
        assert controller.switcher.switch(forum) is False
        assert controller.profile == "demo" and mine.profile == "demo" and _held_here("demo")
    finally:
        mine.release()
    [text] = told
    assert text.startswith("BadgeDesk cannot open the community Forum: its folder ")
    assert str(paths.profile_dir(forum.url)) in text and "File exists" in text
