"""A small disk of its own: a tmpfs mounted on a directory the test creates.

Tests that need a full disk point BadgeDesk's data directory (or a cache) at
it, then fill it with a file and free it again. Mounting needs root (or
CAP_SYS_ADMIN); where it is not permitted the test is skipped with the reason.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

_CHUNK = 64 * 1024


class SmallDisk:
    """A tmpfs of ``size`` bytes mounted at ``path``.

    :meth:`fill` takes its room, :meth:`free` gives it back.
    """

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size
        self.filler = path / "filler.bin"

    def mount(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        if shutil.which("mount") is None:
            pytest.skip("no mount command here; a full disk is tested where a tmpfs can be mounted")
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size},mode=0700", "tmpfs", str(self.path)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            reason = (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
            pytest.skip(f"a tmpfs cannot be mounted here ({reason}); run as root to test a full disk")

    def unmount(self) -> None:
        if subprocess.run(["umount", str(self.path)], capture_output=True).returncode != 0:
            # Something still holds a file open (a failed test): detach it anyway.
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True)

    @property
    def free_bytes(self) -> int:
        return shutil.disk_usage(self.path).free

    def fill(self, leave: int = 0) -> None:
        """Take all the room but ``leave`` bytes (rounded to the file system's pages)."""
        # Unbuffered: the write that finds the disk full raises here, not at close.
        with self.filler.open("ab", buffering=0) as file:
            try:
                while file.write(b"\0" * _CHUNK):
                    pass
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
        # Writes may have been cut anywhere: measure, then give back what is to be left.
        size = self.filler.stat().st_size
        os.truncate(self.filler, max(0, size - leave))

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


def small_disk_at(path: Path, size: int) -> Iterator[SmallDisk]:
    disk = SmallDisk(path, size)
    disk.mount()
    try:
        yield disk
    finally:
        disk.unmount()
