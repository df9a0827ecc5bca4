"""Help ▸ About's list of bundled libraries: every dependency of pyproject.toml, whatever pip installed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from desktop import about

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_declared_dependencies_are_pyprojects() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0] for requirement in project["dependencies"]]
    assert list(about.DEPENDENCIES) == names


def test_every_dependency_and_what_it_needs_is_listed_with_its_licence() -> None:
    # Not read from BadgeDesk's installed metadata, which an older install leaves with pyqtgraph.
    libraries = {library.name.lower(): library for library in about.bundled_libraries()}
    assert libraries["qtawesome"].licence == "MIT"
    # The Reports chart is drawn by Qt itself: pyqtgraph and NumPy are neither needed nor listed.
    assert "pyqtgraph" not in libraries and "numpy" not in libraries
    assert "h11" in libraries  # through httpx → httpcore
    assert "pytest" not in libraries and "badgedesk" not in libraries
    assert all(library.licence for library in libraries.values())
