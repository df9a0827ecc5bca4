"""Every third-party module that desktop/ and ui/ import comes from a distribution pyproject.toml declares."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = {"desktop", "ui"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {canonical(re.split(r"[<>=!~;\[ ]", entry, maxsplit=1)[0]) for entry in project["dependencies"]}


def imported_top_level(folder: Path) -> dict[str, str]:
    """Top-level module -> the first file (and line) importing it, for absolute imports."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_imported_package_is_declared() -> None:
    providers = importlib.metadata.packages_distributions()
    wanted = declared()
    missing = []
    for folder in ("desktop", "ui"):
        for module, where in imported_top_level(ROOT / folder).items():
            if module in OURS or module in sys.stdlib_module_names or module == "__future__":
                continue
            distributions = {canonical(d) for d in providers.get(module, [])}
            if not distributions:
                missing.append(f"{module} ({where}): no installed distribution provides it")
            elif not distributions & wanted:
                missing.append(f"{module} ({where}): from {sorted(distributions)}, not declared")
    assert missing == []


def test_a_licence_file_says_what_pyproject_says() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 The BadgeDesk developers\n")
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text
