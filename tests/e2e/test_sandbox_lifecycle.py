"""The demo server never outlives the app that started it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = """
import json, os, sys
from pathlib import Path
from desktop.sandbox.process import SandboxProcess
process = SandboxProcess(data_dir=Path(sys.argv[1]), members=50, seed=1)
process.start()
print(json.dumps({"pid": process.pid}), flush=True)
os._exit(9)  # a crash: no chance to stop the server
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie waiting for its new parent to reap it counts as gone.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_sandbox_exits_when_the_app_dies(tmp_path: Path) -> None:
    app = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "sandbox")], capture_output=True, text=True, timeout=120
    )
    assert app.returncode == 9, app.stderr
    pid = json.loads(app.stdout.strip().splitlines()[-1])["pid"]
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        os.kill(pid, 9)
        pytest.fail("the sandbox kept running after the app died")
