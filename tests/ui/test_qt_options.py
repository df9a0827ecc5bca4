"""Qt's own command-line options pass through ``badgedesk``'s parser to Qt; typos are still refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui import app
from ui.qt_options import split_qt_options

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


@pytest.mark.parametrize(
    ("argv", "ours", "qt"),
    [
        (["-style", "fusion"], [], ["-style", "fusion"]),
        (["-style=fusion", "--bogus"], ["--bogus"], ["-style=fusion"]),
        (["--style", "fusion"], [], ["--style", "fusion"]),
        (
            ["-platform", "offscreen", "--nope", "-reverse"],
            ["--nope"],
            ["-platform", "offscreen", "-reverse"],
        ),
        (
            ["-qwindowtitle", "Test", "-stylesheet", "a.qss"],
            [],
            ["-qwindowtitle", "Test", "-stylesheet", "a.qss"],
        ),
        (["-stlye", "fusion"], ["-stlye", "fusion"], []),
    ],
)
def test_qt_options_are_split_from_the_unknown(argv: list[str], ours: list[str], qt: list[str]) -> None:
    assert split_qt_options(argv) == (ours, qt)


def test_the_parser_accepts_qt_options() -> None:
    args = app.parse_args(["-style", "fusion", "-platform", "offscreen", "--debug"])
    assert args.debug
    assert args.qt_options == ["-style", "fusion", "-platform", "offscreen"]


def test_an_unknown_option_is_still_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        app.parse_args(["-stlye", "fusion"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: -stlye fusion" in capsys.readouterr().err


def test_a_qt_option_without_its_value_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        app.parse_args(["-style"])
    assert exit_info.value.code == 2
    assert "-style needs a value" in capsys.readouterr().err


def test_qt_gets_its_options_and_the_desktop_id_of_packaging() -> None:
    # A fresh process: the test process already has its QApplication.
    code = (
        "import sys\n"
        "from ui import app\n"
        "qt = app.make_application(['-style', 'fusion', '-platform', 'offscreen'])\n"
        "print(qt.style().name(), qt.platformName(), qt.desktopFileName(), qt.applicationName())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    style, platform, desktop_id, name = result.stdout.split()
    assert (style.lower(), platform) == ("fusion", "offscreen")
    entry = PACKAGING / f"{desktop_id}.desktop"
    assert entry.is_file()
    # On X11 Qt names the window class after the application ("BadgeDesk"); the dock matches
    # the running window to the entry (and its icon) by StartupWMClass.
    assert f"StartupWMClass={name[0].upper()}{name[1:]}\n" in entry.read_text(encoding="utf-8")
