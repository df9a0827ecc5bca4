"""requirements/lock.txt, which ./dev and CI install from, pins what pyproject.toml asks for."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
#: Linux and CPython 3.11, as CI; the lock is universal, its markers choose per platform.
ENVIRONMENT = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux"}


def pins() -> dict[str, list[tuple[Version, str]]]:
    """Name -> (version, marker) of each pin; a name is pinned once per platform it differs on."""
    found: dict[str, list[tuple[Version, str]]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "# -":
            continue
        requirement, _semicolon, marker = line.partition(";")
        name, _equals, version = requirement.strip().partition("==")
        assert version, f"not pinned: {line}"
        found.setdefault(canonicalize_name(name), []).append((Version(version), marker.strip()))
    return found


def pinned_here(locked: list[tuple[Version, str]]) -> Version | None:
    chosen = [v for v, marker in locked if not marker or Marker(marker).evaluate(ENVIRONMENT)]
    assert len(chosen) <= 1
    return chosen[0] if chosen else None


def test_the_lock_pins_every_dependency_within_its_bounds() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    locked = pins()
    wanted = [
        Requirement(text) for text in [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    ]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in the lock: run ./dev lock"
        version = pinned_here(locked[name])
        assert version is not None and requirement.specifier.contains(version, prereleases=True), (
            f"{requirement} but the lock pins {version}: run ./dev lock"
        )
    # The release that crashes us (tests/ui/test_pyside_none.py) is never the one installed.
    assert pinned_here(locked["pyside6-essentials"]) != Version("6.12.0")


def test_the_lock_names_no_local_index() -> None:
    # Made by ./dev lock from PyPI alone: the same on a clean machine.
    text = LOCK.read_text(encoding="utf-8")
    assert not re.search(r"file:|/opt/|--(extra-)?index-url|--find-links", text)


def test_setup_installs_from_the_lock_and_again_when_it_changes() -> None:
    script = (ROOT / "dev").read_text(encoding="utf-8")
    stamp = next(line for line in script.splitlines() if "local stamp=" in line)
    assert "requirements/lock.txt" in stamp and "pyproject.toml" in stamp
    assert "pip install --quiet -r requirements/lock.txt" in script
    assert "pip install --quiet --no-deps -e ." in script
    # The stamp's command, run: another lock gives another stamp.
    command = stamp.split("$(", 1)[1].rsplit(")", 1)[0]
    before = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, check=True)
    changed = command.replace("requirements/lock.txt", "<(cat requirements/lock.txt; echo extra==1)")
    after = subprocess.run(["bash", "-c", changed], cwd=ROOT, capture_output=True, text=True, check=True)
    assert before.stdout.strip() and before.stdout != after.stdout
