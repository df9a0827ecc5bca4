"""The tarball's layout and install.sh, on a stand-in bundle (a shell script), so no build is needed."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.packaging.test_desktop_files import desktop_entry, validate_desktop_file
from tests.packaging.tools import ROOT, package_script, project_version
from ui.app import DESKTOP_ID


@pytest.fixture
def unpacked(tmp_path: Path) -> Path:
    """A tarball made by packaging/package.py around a stand-in bundle, unpacked with tar."""
    bundle = tmp_path / "dist" / "badgedesk"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "library.so").write_bytes(b"\0" * 10)
    program = bundle / "badgedesk"
    program.write_text('#!/bin/sh\necho "stand-in badgedesk $*"\n')
    program.chmod(0o755)
    tarball = package_script().make_tarball(bundle, tmp_path / "dist" / "badgedesk.tar.gz")
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
    top = f"badgedesk-{project_version()}"
    assert {name.split("/")[0] for name in names} == {top}
    unpack = tmp_path / "download"
    unpack.mkdir()
    subprocess.run(["tar", "xzf", str(tarball), "-C", str(unpack)], check=True)
    return unpack / top


def install(unpacked: Path, home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [str(unpacked / "install.sh"), *arguments],
        cwd=home,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )


def installed_files(prefix: Path) -> dict[str, Path]:
    return {
        "app": prefix / "opt" / "badgedesk" / "badgedesk",
        "link": prefix / "bin" / "badgedesk",
        "desktop": prefix / "share" / "applications" / f"{DESKTOP_ID}.desktop",
        "metainfo": prefix / "share" / "metainfo" / f"{DESKTOP_ID}.metainfo.xml",
        "icon": prefix / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg",
    }


def test_the_tarball_holds_the_bundle_and_what_install_sh_puts_in_place(unpacked: Path) -> None:
    assert sorted(path.name for path in unpacked.iterdir()) == sorted(
        [
            "badgedesk",
            "install.sh",
            f"{DESKTOP_ID}.desktop",
            f"{DESKTOP_ID}.metainfo.xml",
            f"{DESKTOP_ID}.svg",
        ]
    )
    assert os.access(unpacked / "install.sh", os.X_OK)
    assert os.access(unpacked / "badgedesk" / "badgedesk", os.X_OK)


def test_install_sh_installs_for_the_user_in_dot_local(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = install(unpacked, home)
    files = installed_files(home / ".local")
    for name, path in files.items():
        assert path.is_file(), name
    assert files["link"].is_symlink()
    started = subprocess.run([str(files["link"]), "--version"], capture_output=True, text=True, check=True)
    assert started.stdout == "stand-in badgedesk --version\n"
    # The menu starts the installed program by its full path (~/.local/bin is often not on PATH).
    assert desktop_entry(files["desktop"])["Exec"] == f'"{files["app"]}"'
    assert desktop_entry(files["desktop"])["Icon"] == DESKTOP_ID
    assert files["icon"].read_bytes() == (ROOT / "desktop" / "resources" / "badgedesk.svg").read_bytes()
    assert "is not on your PATH" in result.stdout


def test_the_installed_desktop_entry_passes_desktop_file_validate(unpacked: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "a folder with spaces"
    install(unpacked, tmp_path, "--prefix", str(prefix))
    validate_desktop_file(installed_files(prefix)["desktop"])


def test_a_new_install_replaces_the_old_folder_and_uninstall_removes_only_its_files(
    unpacked: Path, tmp_path: Path
) -> None:
    prefix = tmp_path / "prefix"
    install(unpacked, tmp_path, f"--prefix={prefix}")
    stale = prefix / "opt" / "badgedesk" / "_internal" / "from-the-old-version.so"
    stale.write_bytes(b"old")
    install(unpacked, tmp_path, "--prefix", str(prefix))
    assert not stale.exists()

    neighbour = prefix / "bin" / "another-program"
    neighbour.write_text("#!/bin/sh\n")
    install(unpacked, tmp_path, "--prefix", str(prefix), "--uninstall")
    assert [
        name for name, path in installed_files(prefix).items() if path.exists() or path.is_symlink()
    ] == []
    assert not (prefix / "opt" / "badgedesk").exists()
    assert neighbour.exists()


def test_install_sh_refuses_an_unknown_argument(unpacked: Path, tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError) as refused:
        install(unpacked, tmp_path, "--prefx", str(tmp_path))
    assert refused.value.returncode == 2
    assert "unknown argument: --prefx" in refused.value.stderr
    assert not (tmp_path / ".local").exists()
