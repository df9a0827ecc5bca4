"""What BadgeDesk is: its version, the Python it runs on, the libraries it bundles and their licences.

Qt-free: the About box (``ui.shell.about_dialog``) adds Qt's and PySide's versions.
Debug info is for pasting into a bug report: versions and platform only, never a
token, a server address or a member; paths are shown with ``~`` for the home folder
so that they do not carry the user's name.
"""

from __future__ import annotations

import importlib.metadata
import platform
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop import paths
from desktop.i18n import _

DISTRIBUTION = "badgedesk"
#: The one place the version is written: pyproject.toml reads it from here (``[tool.setuptools.dynamic]``),
#: so an installed wheel, an editable install and a frozen bundle (which has no metadata of its own) agree.
VERSION = "0.1.0"
#: What BadgeDesk needs to run, as ``[project] dependencies`` in pyproject.toml names it (a test keeps
#: the two in step). Read from here, not from BadgeDesk's own installed metadata: that is as old as
#: the last ``pip install`` (an editable install added to since lacks the newer ones), and a packaged
#: app has none.
DEPENDENCIES = (
    "PySide6-Essentials",
    "shiboken6",
    "SQLAlchemy",
    "alembic",
    "httpx",
    "keyring",
    "platformdirs",
    "pydantic",
    "fastapi",
    "starlette",
    "uvicorn",
    "fonttools",
    "qtawesome",
    "charset-normalizer",
    "email-validator",
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_LICENCE_CLASSIFIER = "License :: "


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str


def version() -> str:
    """BadgeDesk's version, the same installed, in a source tree or frozen."""
    return VERSION


def python_version() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _required(dist: importlib.metadata.Distribution) -> list[str]:
    """Names of what ``dist`` needs to run: extras (tests, docs) are not bundled."""
    names = []
    for requirement in dist.requires or ():
        marker = requirement.partition(";")[2]
        if "extra" in marker:
            continue
        match = _NAME.match(requirement.strip())
        if match:
            names.append(match.group(0))
    return names


def _field(meta: importlib.metadata.PackageMetadata, name: str) -> str:
    """A metadata field, "" where missing (some importlib_metadata versions raise KeyError)."""
    try:
        return str(meta[name] or "").strip()
    except KeyError:
        return ""


def licence_of(dist: importlib.metadata.Distribution) -> str:
    """The licence a distribution declares: its SPDX expression, short licence field or classifiers."""
    meta = dist.metadata
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    # Some put the whole licence text in this field: only a short name is useful here.
    if field and "\n" not in field and len(field) <= 60 and field.upper() != "UNKNOWN":
        return field
    classifiers = [
        c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or () if c.startswith(_LICENCE_CLASSIFIER)
    ]
    return ", ".join(classifiers) if classifiers else _("not stated (see its distribution)")


def bundled_libraries(direct: Iterable[str] = DEPENDENCIES) -> list[Library]:
    """Every installed library BadgeDesk needs to run (``direct`` and what they need), sorted by name."""
    seen: dict[str, Library] = {}
    pending = list(direct)
    while pending:
        name = pending.pop()
        key = _canonical(name)
        if key in seen:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            # Needed only on another platform, or by an extra: not bundled here.
            continue
        seen[key] = Library(dist.metadata["Name"] or name, dist.version, licence_of(dist))
        pending.extend(_required(dist))
    seen.pop(_canonical(DISTRIBUTION), None)
    return sorted(seen.values(), key=lambda library: library.name.lower())


def without_home(path: Path) -> str:
    """``path`` with the home folder shown as ``~`` (the user's name stays out of bug reports)."""
    home = Path.home()
    try:
        return str(Path("~") / path.relative_to(home))
    except ValueError:
        return str(path)


def debug_info(extra: Iterable[tuple[str, str]] = ()) -> str:
    """Lines for a bug report: versions, platform, where the log is; ``extra`` adds (name, value)."""
    lines = [
        ("BadgeDesk", version()),
        ("Python", python_version()),
        *extra,
        ("Platform", platform.platform()),
        ("Log folder", without_home(paths.log_dir())),
    ]
    return "\n".join(f"{name}: {value}" for name, value in lines)
