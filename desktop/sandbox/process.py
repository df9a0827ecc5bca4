"""Starting the sandbox as a child process and waiting until it serves.

The desktop app embeds the sandbox this way by default, and the tests use it to
talk to a real server over real HTTP.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from desktop.i18n import _


def sandbox_command() -> list[str]:
    """How to run ``badgedesk sandbox``: a subcommand of the program that is running now.

    Frozen (a PyInstaller bundle has no Python to run ``-m`` with), the bundle's own executable.
    Otherwise this interpreter runs the entry point's module: the same Python and the same
    ``sys.path`` as this process, so the child is this code whether BadgeDesk is installed, editable or
    run from a checkout, where an installed ``badgedesk`` script may be missing, elsewhere on ``PATH``
    or another installation's.
    """
    if getattr(sys, "frozen", False):
        return [sys.executable, "sandbox"]
    # -P: not the current folder first on sys.path (a package named ui or desktop there would be
    # run instead); sandbox_environment() names the folder BadgeDesk's packages are in.
    return [sys.executable, "-P", "-m", "ui.app", "sandbox"]


def sandbox_environment() -> dict[str, str]:
    """The child's environment: this one, with the folder that holds BadgeDesk's packages first on its path.

    That folder is the checkout when BadgeDesk runs from one uninstalled, or site-packages; the
    child's working folder stays this process's, so relative paths in its arguments still hold.
    """
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        packages = str(_PACKAGES)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [packages, env.get("PYTHONPATH")]))
    return env


#: The folder that holds the ``desktop`` package (and ``ui`` beside it).
_PACKAGES = Path(__file__).resolve().parents[2]


class SandboxStartError(RuntimeError):
    """The sandbox process died or did not become ready in time.

    ``str(error)`` is how it ended, then its last output; ``summary`` is how it
    ended alone ("The sandbox exited with status 2"), without the output (which
    may quote anything).
    """

    def __init__(self, summary: str, output: str) -> None:
        super().__init__(_("{summary}. Its last output:\n{output}").format(summary=summary, output=output))
        self.summary = summary
        self.output = output


class SandboxProcess:
    """A sandbox server running as a child process.

    Thread safety: any thread, but one owner at a time: one caller starts it,
    reads its properties and stops it. Two daemon threads drain the child's
    stdout and stderr so it can never block on a full pipe.
    """

    def __init__(
        self,
        *,
        data_dir: Path | None = None,
        members: int | None = None,
        seed: int | None = None,
        today: date | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        rate: float | None = None,
        fail_rate: float | None = None,
        fault_seed: int | None = None,
        latency_ms: int | None = None,
        batch_cap: int | None = None,
        reset: bool = False,
        name: str | None = None,
        dialect: str | None = None,
        extra_args: Sequence[str] = (),
        ready_timeout: float = 180.0,
    ) -> None:
        args = ["--host", host, "--port", str(port), "--exit-with-parent"]
        options: list[tuple[str, Any]] = [
            ("--data", data_dir),
            ("--members", members),
            ("--seed", seed),
            ("--today", None if today is None else today.isoformat()),
            ("--rate", rate),
            ("--fail-rate", fail_rate),
            ("--fault-seed", fault_seed),
            ("--latency-ms", latency_ms),
            ("--batch-cap", batch_cap),
            ("--name", name),
            ("--dialect", dialect),
        ]
        for flag, value in options:
            if value is not None:
                args += [flag, str(value)]
        if reset:
            args.append("--reset")
        self.args: list[str] = [*args, *extra_args]
        self.ready_timeout = ready_timeout
        self._process: subprocess.Popen[str] | None = None
        self._ready: dict[str, Any] | None = None
        self._ready_event = threading.Event()
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=60)
        self._readers: list[threading.Thread] = []

    # --- lifecycle ------------------------------------------------------------

    def start(self) -> SandboxProcess:
        """Start the child and block until it prints its ready line."""
        if self._process is not None:
            raise RuntimeError("the sandbox process was already started")
        self._process = subprocess.Popen(
            [*sandbox_command(), *self.args],
            env=sandbox_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert self._process.stdout is not None and self._process.stderr is not None
        self._readers = [
            threading.Thread(
                target=self._read_stdout, args=(self._process.stdout,), daemon=True, name="sandbox-stdout"
            ),
            threading.Thread(
                target=self._read_stderr, args=(self._process.stderr,), daemon=True, name="sandbox-stderr"
            ),
        ]
        for reader in self._readers:
            reader.start()
        if not self._ready_event.wait(self.ready_timeout) or self._ready is None:
            # Its output ended: it is exiting; give it a moment so the status is known.
            try:
                code: int | None = self._process.wait(2.0)
            except subprocess.TimeoutExpired:
                code = None
            self.stop()
            if code is not None:
                summary = _("The sandbox exited with status {code}").format(code=code)
            else:
                summary = _("The sandbox was not ready after {seconds} s").format(
                    seconds=f"{self.ready_timeout:g}"
                )
            raise SandboxStartError(summary, self.stderr_tail)
        return self

    def stop(self, timeout: float = 10.0) -> int | None:
        """Ask the child to stop, kill it if it will not; returns its exit status."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        for reader in self._readers:
            reader.join(timeout)
        return process.returncode

    def __enter__(self) -> SandboxProcess:
        if self._process is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- readers --------------------------------------------------------------

    def _read_stdout(self, stream: IO[str]) -> None:
        try:
            for line in stream:
                if self._ready is not None:
                    continue
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if isinstance(message, dict) and message.get("event") == "ready":
                    self._ready = message
                    self._ready_event.set()
        finally:
            # End of output without a ready line: wake start() so it reports the death now.
            self._ready_event.set()

    def _read_stderr(self, stream: IO[str]) -> None:
        for line in stream:
            self._stderr_tail.append(line.rstrip("\n"))

    # --- what the ready line said ---------------------------------------------

    def _info(self) -> dict[str, Any]:
        if self._ready is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._ready

    @property
    def url(self) -> str:
        return str(self._info()["url"])

    @property
    def tokens(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self._info()["tokens"].items()}

    @property
    def dialect(self) -> str:
        """The API the server speaks: ``v1`` or ``discourse``."""
        return str(self._info().get("dialect", "v1"))

    @property
    def usernames(self) -> dict[str, str]:
        """For a Discourse sandbox: the ``Api-Username`` to send with each key in ``tokens``."""
        return {str(k): str(v) for k, v in self._info().get("usernames", {}).items()}

    @property
    def data_dir(self) -> Path:
        return Path(self._info()["data_dir"])

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def exit_status(self) -> int | None:
        """How the child ended (negative: the signal that ended it); None until it has ended."""
        return None if self._process is None else self._process.poll()

    @property
    def stderr_tail(self) -> str:
        """The child's last lines of stderr, for error reports."""
        return "\n".join(self._stderr_tail)
