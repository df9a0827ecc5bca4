"""The bundle ``./dev package`` built (dist/badgedesk) starts with no Python around, and stays lean.

CI builds it first (.ci/run); elsewhere these tests skip until ``./dev package`` has run.
BADGEDESK_BUNDLE names another bundle folder.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.packaging.tools import PACKAGING, ROOT, in_ci, package_script, project_version

pytestmark = pytest.mark.slow

MB = 1_000_000
#: The bundle measured 232 MB when this was written (the goal of 150 MB is out of reach with
#: NumPy for the charts, ICU for Qt and cryptography for the keyring): growth fails here.
SIZE_LIMIT_MB = 250
#: Packages that other packages' hooks drag in and the spec leaves out.
DEV_TOOLS = ("_pytest", "pytest", "pytestqt", "hypothesis", "mypy", "yaml", "schemathesis", "openapi_core")


@pytest.fixture(scope="module")
def bundle() -> Path:
    folder = Path(os.environ.get("BADGEDESK_BUNDLE", ROOT / "dist" / "badgedesk"))
    if not (folder / "badgedesk").is_file():
        if in_ci():
            pytest.fail(f"no bundle in {folder}: .ci/run builds it with ./dev package before the tests")
        pytest.skip(f"no bundle in {folder}: build it with ./dev package")
    return folder


def start(program: Path, *arguments: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """As a user starts it: no virtual environment, no PYTHONPATH, away from the source tree."""
    home = cwd / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [str(program), *arguments],
        cwd=cwd,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_bundle_prints_its_version(bundle: Path, tmp_path: Path) -> None:
    result = start(bundle / "badgedesk", "--version", cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert project_version() in result.stdout


def test_the_bundle_opens_the_demo_community_and_syncs(bundle: Path, tmp_path: Path) -> None:
    # The main window offscreen on a small demo community, its sandbox started by the bundle as
    # `badgedesk sandbox`, a sync, then exit 0.
    result = start(bundle / "badgedesk", "--smoke", cwd=tmp_path, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_bundle_leaves_out_the_dev_tools_and_stays_under_its_size(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert [name for name in DEV_TOOLS if (internal / name).exists()] == []
    assert not list(internal.glob("PySide6/Qt/plugins/platformthemes/libqgtk3*"))
    size = package_script().tree_size(bundle)
    assert size < SIZE_LIMIT_MB * MB, f"{size / MB:.0f} MB"


def spec_constant(name: str) -> tuple[str, ...]:
    tree = ast.parse((PACKAGING / "badgedesk.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(target, "id", "") for target in node.targets] == [name]:
            value = ast.literal_eval(node.value)
            assert isinstance(value, tuple)
            return value
    raise AssertionError(f"no {name} in badgedesk.spec")


def test_no_library_left_in_the_bundle_needs_one_the_spec_left_out(bundle: Path) -> None:
    readelf = shutil.which("readelf")
    if readelf is None:  # binutils: PyInstaller needs it too, so a machine that built the bundle has it
        pytest.skip("readelf (binutils) is not installed")
    dropped = spec_constant("UNUSED_LIBRARIES")
    libraries = [
        path
        for path in (bundle / "_internal").rglob("*.so*")
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF"
    ]
    missing = []
    for library in libraries:
        dynamic = subprocess.run([readelf, "-d", str(library)], capture_output=True, text=True, check=True)
        needed = re.findall(r"\(NEEDED\)[^\[]*\[([^\]]+)\]", dynamic.stdout)
        missing += [f"{library.name} needs {name}" for name in needed if name.startswith(dropped)]
    assert missing == []


def test_the_tarball_installs_a_bundle_that_starts(bundle: Path, tmp_path: Path) -> None:
    tarball = package_script().tarball_name(bundle.parent)
    if not tarball.is_file():
        pytest.fail(f"./dev package made {bundle} but not {tarball}")
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp_path / "download", filter="tar")
    prefix = tmp_path / "prefix"
    installer = tmp_path / "download" / f"badgedesk-{project_version()}" / "install.sh"
    subprocess.run([str(installer), "--prefix", str(prefix)], capture_output=True, check=True)
    result = start(prefix / "bin" / "badgedesk", "--version", cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert project_version() in result.stdout
