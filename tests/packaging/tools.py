"""What the packaging tests share: the repository's packaging files and the tools they run."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from desktop.about import VERSION

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def project_version() -> str:
    return VERSION


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def required_tool(name: str, apt_package: str) -> str:
    """The tool's path; missing, it fails the test in CI (.ci/run installs it) and skips it elsewhere."""
    path = shutil.which(name)
    if path is None:
        if in_ci():
            pytest.fail(f"{name} is missing: .ci/run installs it (apt-get install {apt_package})")
        pytest.skip(f"{name} is not installed (apt-get install {apt_package}); CI installs it")
    return path


def package_script() -> ModuleType:
    """packaging/package.py, which ``./dev package`` runs (packaging/ is no Python package)."""
    spec = importlib.util.spec_from_file_location("badgedesk_package_script", PACKAGING / "package.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
