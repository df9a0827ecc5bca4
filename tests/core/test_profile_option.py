"""``--profile NAME`` for the app and the headless commands: its server, kind and user; a name
that is not a community gives one line and status 2."""

from __future__ import annotations

import argparse

import pytest

from desktop import cli, profiles
from desktop import settings as settings_store
from desktop.settings import ConnectionChoice, Settings
from tests.core.test_startup_inputs import assert_one_line, run_main
from ui import app

FORUM = "https://forum.example"


@pytest.fixture()
def forum_profile() -> None:
    stored = Settings()
    profiles.add(stored, "Forum", FORUM, ConnectionChoice("discourse", "mod_alice", "badge-requests"))
    settings_store.save(stored)


def _parsed(argv: list[str]) -> argparse.Namespace:
    parser, _handlers = cli._build_parser()
    args = parser.parse_args(argv)
    cli.use_profile(parser, args)
    return args


@pytest.mark.usefixtures("forum_profile")
@pytest.mark.parametrize("command", ["sync", "award"])
def test_a_headless_command_takes_the_profiles_server_kind_and_user(command: str) -> None:
    extra = ["--badge", "1", "--from", "x.csv"] if command == "award" else []
    args = _parsed([command, "--profile", "forum", *extra])
    assert (args.server, args.server_kind, args.username) == (FORUM, "discourse", "mod_alice")
    # What the command line gives wins.
    args = _parsed([command, "--profile", "Forum", "--username", "mod_bob", *extra])
    assert args.username == "mod_bob"


@pytest.mark.usefixtures("forum_profile")
def test_an_unknown_profile_gives_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["sync", "--profile", "Nowhere"], ["--profile", "Nowhere"]):
        code, err = run_main(argv, capsys)
        assert code == 2
        assert_one_line(err, "--profile", "'Nowhere'", "Forum")


def test_server_and_profile_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["sync", "--profile", "Forum", "--server", FORUM],
        ["--profile", "Forum", "--server", FORUM],
    ):
        code, err = run_main(argv, capsys)
        assert code == 2
        assert_one_line(err, "--server")


def test_the_demo_is_not_a_headless_profile(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_main(["sync", "--profile", "Demo"], capsys)
    assert code == 2
    assert_one_line(err, "demo")


# --- badgedesk alone: the community opened last ----------------------------------


def _chosen(argv: list[str]) -> str | None:
    args = app.parse_args(argv)
    assert app.choose_community(args)
    server: str | None = args.server
    return server


def test_the_first_start_opens_the_demo() -> None:
    assert profiles.last_used(Settings()).is_demo
    assert _chosen([]) is None


def test_badgedesk_alone_opens_the_community_opened_last() -> None:
    stored = Settings()
    profiles.add(stored, "Forum", FORUM, ConnectionChoice("discourse", "mod_alice", "badge-requests"))
    stored.use_profile(FORUM)
    settings_store.save(stored)
    assert profiles.last_used(settings_store.load()).url == FORUM
    assert _chosen([]) == FORUM
    # The demo when asked for: by name, or by a demo option.
    assert _chosen(["--profile", "demo"]) is None
    assert _chosen(["--demo-dialect", "discourse"]) is None
    assert _chosen(["--demo-members", "50"]) is None
    assert _chosen(["--server", "https://other.example"]) == "https://other.example"
    # Back on the demo: the demo next time.
    stored.use_profile("demo")
    settings_store.save(stored)
    assert _chosen([]) is None


@pytest.mark.parametrize("last", ["https_gone.example", "demo-discourse", "no such id"])
def test_a_last_community_that_is_no_longer_listed_opens_the_demo(last: str) -> None:
    stored = Settings()
    profiles.add(stored, "Forum", FORUM, ConnectionChoice("discourse", "mod_alice"))
    stored.current_profile = last
    settings_store.save(stored)
    assert profiles.last_used(settings_store.load()).is_demo
    assert _chosen([]) is None


def test_removing_the_community_opened_last_opens_the_demo_next_time() -> None:
    stored = Settings()
    forum = profiles.add(stored, "Forum", FORUM, ConnectionChoice("discourse", "mod_alice"))
    stored.use_profile(FORUM)
    stored.use_profile("demo")
    stored.use_profile(FORUM)
    profiles.forget(stored, forum)
    assert profiles.last_used(stored).is_demo
