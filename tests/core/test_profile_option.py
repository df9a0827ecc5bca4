"""``--profile NAME`` for the app and the headless commands: its server, kind and user; a name
that is not a community gives one line and status 2."""

from __future__ import annotations

import argparse

import pytest

from desktop import cli, profiles
from desktop import settings as settings_store
from desktop.settings import ConnectionChoice, Settings
from tests.core.test_startup_inputs import assert_one_line, run_main

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
