"""The desktop entry and the AppStream metainfo pass their validators and agree with the app."""

from __future__ import annotations

import configparser
import re
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from tests.packaging.tools import PACKAGING, ROOT, project_version, required_tool
from ui.app import DESKTOP_ID

DESKTOP_FILE = PACKAGING / f"{DESKTOP_ID}.desktop"
METAINFO = PACKAGING / f"{DESKTOP_ID}.metainfo.xml"
#: The one pedantic remark appstreamcli makes: the id has capitals. It is kept, as the id names
#: the .desktop file, the icon and the Wayland app id (QGuiApplication.setDesktopFileName).
ACCEPTED_APPSTREAM_ISSUES = {"cid-contains-uppercase-letter"}


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def validate_desktop_file(path: Path) -> None:
    """desktop-file-validate says nothing at all: no error, warning or hint."""
    tool = required_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    validate_desktop_file(DESKTOP_FILE)


def test_the_desktop_entry_starts_the_command_under_the_apps_id() -> None:
    entry = desktop_entry(DESKTOP_FILE)
    # No %u / %f: BadgeDesk opens no files or URLs, and a field code would reach its arguments.
    assert entry["Exec"] == "badgedesk"
    assert entry["Icon"] == DESKTOP_ID  # install.sh installs the icon under this name
    assert entry["StartupWMClass"] == "BadgeDesk"  # QApplication.applicationName


def test_the_metainfo_passes_appstreamcli_validate_pedantic() -> None:
    tool = required_tool("appstreamcli", "appstream")
    result = subprocess.run(
        [tool, "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    issues = set(re.findall(r"^[EWIP]: \S+ ([a-z0-9-]+)", output, re.MULTILINE))
    assert issues <= ACCEPTED_APPSTREAM_ISSUES, output


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_metainfo_agrees_with_the_project_and_shows_real_screenshots() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == DESKTOP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert component.findtext("provides/binary") == "badgedesk"
    assert project_version() in [release.get("version") for release in component.iter("release")]
    rating = component.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"
    homepage = component.findtext("url[@type='homepage']")
    assert homepage is not None and homepage.startswith("https://")
    images = list(component.iter("image"))
    assert images
    for image in images:
        # The URL names the repository's own file (a UI test's screenshot kept in docs/).
        url = urlsplit(image.text or "")
        path = ROOT / url.path.lstrip("/")
        assert path.is_file(), f"{image.text}: no {path.relative_to(ROOT)} in the repository"
        assert png_size(path) == (int(image.get("width", 0)), int(image.get("height", 0))), image.text
