"""The bundle ``./dev package`` built (dist/badgedesk) starts with no Python around, and stays lean.

CI builds it first (.ci/run); elsewhere these tests skip until ``./dev package`` has run.
BADGEDESK_BUNDLE names another bundle folder.
"""

from __future__ import annotations

import ast
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest

from tests.packaging.tools import PACKAGING, ROOT, in_ci, package_script, project_version, required_tool

pytestmark = pytest.mark.slow

MB = 1_000_000
#: The bundle measured 186 MB once the Reports chart was drawn by Qt itself (241 MB with
#: pyqtgraph and NumPy); ICU for Qt and cryptography for the keyring are most of the rest.
#: Growth fails here.
SIZE_LIMIT_MB = 196
#: What the Reports chart needed when pyqtgraph drew it: NumPy (with OpenBLAS and gfortran) and
#: the QtOpenGL bindings. Nothing imports them now.
NOT_BUNDLED = (
    "numpy",
    "numpy.libs",
    "pyqtgraph",
    "PySide6/QtOpenGL.abi3.so",
    "PySide6/QtOpenGLWidgets.abi3.so",
)
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


def test_the_bundle_opens_its_window_on_a_real_x_server(bundle: Path, tmp_path: Path) -> None:
    """Qt's X11 plugin, not offscreen: it loads from the bundle (with the XCB libraries it carries)."""
    xvfb_run = required_tool("xvfb-run", "xvfb xauth")
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [xvfb_run, "-a", str(bundle / "badgedesk"), "--smoke"],
        cwd=tmp_path,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "xcb"},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("smoke: ok"), result.stdout


def test_the_bundle_opens_the_window_on_the_demo_syncs_and_closes_on_sigterm(
    bundle: Path, tmp_path: Path
) -> None:
    # The window offscreen, its demo server started by the bundle itself, the cache created by
    # the migrations and filled by a sync (the log says so); then SIGTERM, as a session's end
    # sends it, closes it cleanly.
    log = tmp_path / "log" / "badgedesk.log"
    env = {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "QT_QPA_PLATFORM": "offscreen",
        "BADGEDESK_LOG_DIR": str(log.parent),
    }
    window = subprocess.Popen(
        [str(bundle / "badgedesk"), "--demo-members", "300"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    synced = False
    deadline = time.monotonic() + 180
    try:
        while not synced and window.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
            synced = log.is_file() and "full sync of demo" in log.read_text(
                encoding="utf-8", errors="replace"
            )
        window.terminate()
        output, _unused = window.communicate(timeout=60)
    finally:
        if window.poll() is None:
            window.kill()
            window.wait()
    assert synced, output
    assert window.returncode == 0, output


def answer_on_a_terminal(
    command: list[str], env: dict[str, str], answer: str, timeout: float
) -> tuple[int, str]:
    """Run ``command`` on a pseudo-terminal, typing ``answer`` at its first prompt (a token: getpass)."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: becomes the command
        os.execve(command[0], command, env)
    output = b""
    typed = False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _w, _x = select.select([terminal], [], [], 1)
            if not ready:
                continue
            try:
                data = os.read(terminal, 4096)
            except OSError:  # the command ended and closed the terminal
                break
            if not data:
                break
            output += data
            if not typed and output.rstrip().endswith(b":"):
                os.write(terminal, answer.encode() + b"\n")
                typed = True
    finally:
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
        os.close(terminal)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_the_bundle_runs_the_sandbox_and_syncs_it_into_a_new_cache(bundle: Path, tmp_path: Path) -> None:
    # `badgedesk sandbox` (never `python -m`), then `badgedesk sync`: the cache is created by the
    # Alembic migrations the bundle carries as files.
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "BADGEDESK_DATA_DIR": str(tmp_path / "data")}
    sandbox = subprocess.Popen(
        [
            str(bundle / "badgedesk"),
            "sandbox",
            "--members",
            "50",
            "--port",
            "0",
            "--data",
            str(tmp_path / "sb"),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert sandbox.stdout is not None
        ready: dict[str, Any] = {}
        for line in sandbox.stdout:
            if line.startswith("{"):
                ready = json.loads(line)
                break
        assert ready.get("event") == "ready", "the sandbox did not start"
        code, output = answer_on_a_terminal(
            [str(bundle / "badgedesk"), "sync", "--server", ready["url"]],
            env,
            ready["tokens"]["moderator"],
            timeout=120,
        )
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)
    assert code == 0, output
    assert "full sync of Sandbox Community" in output
    assert list((tmp_path / "data" / "profiles").glob("*/work.sqlite3"))


def test_the_bundle_leaves_out_the_dev_tools_and_stays_under_its_size(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert [name for name in DEV_TOOLS if (internal / name).exists()] == []
    assert not list(internal.glob("PySide6/Qt/plugins/platformthemes/libqgtk3*"))
    assert [name for name in NOT_BUNDLED if (internal / name).exists()] == []
    assert not list(internal.rglob("libopenblas*")) and not list(internal.rglob("libgfortran*"))
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


#: Qt's X11 platform plugin and the library behind it: the XCB utility libraries they need travel in
#: the bundle, since a minimal desktop lacks some (libxcb-cursor0, -icccm4, -keysyms1: Qt then says
#: only "could not load the Qt platform plugin xcb"). The X client library itself is the system's.
XCB_PLUGIN = ("PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/lib/libQt6XcbQpa.so.6")


def test_the_x11_plugin_finds_every_xcb_library_it_needs_in_the_bundle(bundle: Path) -> None:
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("readelf (binutils) is not installed")
    inside = {path.name for path in (bundle / "_internal").rglob("*.so*")}
    missing = []
    for plugin in XCB_PLUGIN:
        dynamic = subprocess.run(
            [readelf, "-d", str(bundle / "_internal" / plugin)], capture_output=True, text=True, check=True
        )
        needed = re.findall(r"\(NEEDED\)[^\[]*\[([^\]]+)\]", dynamic.stdout)
        wanted = [name for name in needed if name.startswith(("libxcb-", "libxkbcommon"))]
        assert wanted, f"{plugin} names no XCB library: has Qt changed how it links?"
        missing += [f"{plugin} needs {name}" for name in wanted if name not in inside]
    assert missing == [], "install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 before ./dev package"


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
