"""Build the one-folder bundle and its tarball: ``./dev package`` runs this.

``dist/badgedesk/`` is PyInstaller's bundle (``packaging/badgedesk.spec``);
``dist/badgedesk-<version>-linux-<machine>.tar.gz`` holds it in a
``badgedesk-<version>/`` folder with ``install.sh``, the ``.desktop`` file, the
metainfo and the icon. Prints the build time, the sizes and the largest items.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "org.badgedesk.BadgeDesk"
MB = 1_000_000


def version() -> str:
    """BadgeDesk's version, as desktop/about.py writes it (pyproject.toml reads it from there too)."""
    sys.path.insert(0, str(ROOT))
    from desktop.about import VERSION

    return VERSION


def tarball_name(dist: Path) -> Path:
    return dist / f"badgedesk-{version()}-linux-{platform.machine()}.tar.gz"


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; its cache in ``work`` makes a second build quicker."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={dist}",
        f"--workpath={work}",
        str(PACKAGING / "badgedesk.spec"),
    ]
    subprocess.run(command, cwd=ROOT, check=True)
    bundle = dist / "badgedesk"
    if not (bundle / "badgedesk").is_file():
        raise SystemExit(f"PyInstaller made no {bundle / 'badgedesk'}")
    return bundle


def make_tarball(bundle: Path, target: Path) -> Path:
    """The bundle and what install.sh puts in place, under one versioned folder."""
    top = f"badgedesk-{version()}"
    extras = [
        (PACKAGING / "install.sh", "install.sh"),
        (PACKAGING / f"{APP_ID}.desktop", f"{APP_ID}.desktop"),
        (PACKAGING / f"{APP_ID}.metainfo.xml", f"{APP_ID}.metainfo.xml"),
        (ROOT / "desktop" / "resources" / "badgedesk.svg", f"{APP_ID}.svg"),
    ]
    partial = target.with_name(target.name + ".part")

    def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        # Whoever built it, the files unpack as the user who unpacks them.
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        if info.name == f"{top}/install.sh":
            info.mode = 0o755  # whatever the checkout made of its mode
        return info

    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{top}/badgedesk", filter=owned_by_root)
        for source, name in extras:
            tar.add(source, arcname=f"{top}/{name}", filter=owned_by_root)
    partial.replace(target)
    return target


def tree_size(path: Path) -> int:
    """Bytes of the files under ``path``, links not followed (what ``du --apparent-size`` says)."""
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    total = 0
    for folder, _dirs, files in os.walk(path):
        total += sum((Path(folder) / name).lstat().st_size for name in files)
    return total


def largest_items(bundle: Path, count: int) -> list[tuple[int, str]]:
    """The biggest files of the bundle, and its biggest folders of Python packages as a whole."""
    internal = bundle / "_internal"
    items = [
        (tree_size(path), str(path.relative_to(bundle))) for path in internal.rglob("*") if path.is_file()
    ]
    # A package's many small files add up: cryptography, qtawesome, … count as one item each.
    for child in internal.iterdir():
        if child.is_dir() and child.name not in {"PySide6", "python3.11"}:
            items = [item for item in items if not item[1].startswith(f"_internal/{child.name}/")]
            items.append((tree_size(child), f"_internal/{child.name}/"))
    return sorted(items, reverse=True)[:count]


def has_debug_info(path: Path) -> bool:
    """True for an ELF file with a .debug_info section (a Python built by pyenv ships them)."""
    with path.open("rb") as file:
        header = file.read(64)
        if len(header) < 64 or header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return False  # not a 64-bit little-endian ELF file
        shoff = int.from_bytes(header[0x28:0x30], "little")
        shentsize = int.from_bytes(header[0x3A:0x3C], "little")
        shnum = int.from_bytes(header[0x3C:0x3E], "little")
        shstrndx = int.from_bytes(header[0x3E:0x40], "little")
        if not shoff or not shnum or shstrndx >= shnum:
            return False
        file.seek(shoff)
        table = file.read(shentsize * shnum)
        names_entry = table[shstrndx * shentsize : (shstrndx + 1) * shentsize]
        names_offset = int.from_bytes(names_entry[0x18:0x20], "little")
        names_size = int.from_bytes(names_entry[0x20:0x28], "little")
        file.seek(names_offset)
        names = file.read(names_size)
    return b"\0.debug_info\0" in names


def strip_debug_info(bundle: Path) -> int:
    """Strip debug sections (never symbols) from the files that have them; returns the bytes saved.

    Only files with debug info are touched: strip rewrites a file, and the wheels' own libraries
    (auditwheel-patched, already stripped) are best left as built.
    """
    if shutil.which("strip") is None:
        print("strip (binutils) not found: debug info left in the bundle", file=sys.stderr)
        return 0
    before = tree_size(bundle)
    files = [path for path in bundle.rglob("*") if path.is_file() and not path.is_symlink()]
    targets = [str(path) for path in files if has_debug_info(path)]
    if targets:
        subprocess.run(["strip", "--strip-debug", *targets], check=True)
    return before - tree_size(bundle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev package", description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes (dist/)")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's cache"
    )
    parser.add_argument("--largest", type=int, default=10, metavar="N", help="list the N largest items")
    args = parser.parse_args(argv)

    started = time.monotonic()
    bundle = build_bundle(args.dist.resolve(), args.work.resolve())
    saved = strip_debug_info(bundle)
    built = time.monotonic()
    tarball = make_tarball(bundle, tarball_name(args.dist.resolve()))
    packed = time.monotonic()

    print(
        f"bundle:  {bundle}  {tree_size(bundle) / MB:.1f} MB unpacked (built in {built - started:.0f} s; "
        f"{saved / MB:.1f} MB of debug info stripped)"
    )
    print(f"tarball: {tarball}  {tarball.stat().st_size / MB:.1f} MB (packed in {packed - built:.0f} s)")
    print(f"largest items of the bundle ({args.largest}):")
    for size, name in largest_items(bundle, args.largest):
        print(f"  {size / MB:7.1f} MB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
