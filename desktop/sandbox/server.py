"""Running the sandbox: data directory, demo tokens, uvicorn, the ready line.

The process talks to whoever started it through stdout: exactly one JSON line,
``{"event": "ready", "url": ..., "tokens": {...}, "data_dir": ...}``, printed
once the server accepts connections. Progress and warnings go to stderr.

The server speaks one dialect over the same database: ``v1`` (the BadgeDesk
Community API, the default) or ``discourse`` (``desktop.sandbox.discourse``),
whose ready line adds ``"dialect"`` and the ``"usernames"`` to send with each
API key in ``tokens``.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

import uvicorn
from fastapi import FastAPI

from desktop.dialects.badgedesk_v1.wire import DEFAULT_BATCH_CAP
from desktop.i18n import _, ngettext
from desktop.sandbox.app import create_app
from desktop.sandbox.dialects import Dialect
from desktop.sandbox.seed import seed_database
from desktop.sandbox.seed_common import day_start, demo_today
from desktop.sandbox.store import SandboxStore
from desktop.sandbox.store.database import StoreDatabase

DATABASE_NAME = "sandbox.sqlite3"
TOKENS_NAME = "tokens.json"
MODERATORS = {"moderator": "Alice Moderator", "moderator2": "Bob Moderator"}
MEMBER_TOKEN_KEYS = ("member", "member2", "member_suspended")


def _load_secrets(path: Path) -> dict[str, str]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {k: v for k, v in loaded.items() if isinstance(k, str) and isinstance(v, str) and v}


def _write_private(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(temporary, 0o600)  # the umask may have widened O_CREAT's mode on some systems
    os.replace(temporary, path)


def ensure_tokens(store: SandboxStore, path: Path) -> dict[str, str]:
    """Register the demo tokens, reusing the secrets saved in ``path``.

    Secrets survive a reset (so a client that saved one keeps working); which
    member a member token belongs to is re-chosen from the current data.
    """
    saved = _load_secrets(path)
    tokens: dict[str, str] = {}
    for key, name in MODERATORS.items():
        tokens[key] = saved.get(key) or secrets.token_urlsafe(32)
        store.add_token(tokens[key], name=name, role="moderator", member_id=None)
    for key, (member_id, name) in store.demo_members().items():
        tokens[key] = saved.get(key) or secrets.token_urlsafe(32)
        store.add_token(tokens[key], name=name, role="member", member_id=member_id)
    if tokens != saved:
        _write_private(path, json.dumps(tokens, indent=2) + "\n")
    return tokens


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections
    # only when the listening socket says TCP, and without it every response
    # (headers and body written separately) waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if sys.platform != "win32":
        # Lets a restarted sandbox reuse its port without waiting for TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _url(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class _DropIncompleteNotice(logging.Filter):
    """Hides uvicorn's complaint about responses the fault injector cuts short on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


class _ReadyServer(uvicorn.Server):
    def __init__(
        self, config: uvicorn.Config, on_ready: Callable[[], None], *, exit_with_parent: bool
    ) -> None:
        super().__init__(config)
        self._on_ready = on_ready
        # A server started by the app must not outlive it, even when the app
        # crashes or is killed and cannot stop it: when the parent is gone the
        # process is re-parented, and getppid() changes.
        self._parent = os.getppid() if exit_with_parent else None

    async def on_tick(self, counter: int) -> bool:
        if self._parent is not None and os.getppid() != self._parent:
            return True
        return bool(await super().on_tick(counter))

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._on_ready()


@contextmanager
def _stop_quietly() -> Iterator[None]:
    # uvicorn catches SIGINT/SIGTERM itself and re-raises them after a graceful
    # shutdown; these handlers receive that re-raise, so the process can still
    # close the database and exit 0 instead of dying mid-cleanup.
    def ignore(_signum: int, _frame: FrameType | None) -> None:
        return None

    handled = [signal.SIGINT, signal.SIGTERM]
    previous = {sig: signal.signal(sig, ignore) for sig in handled}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _progress_printer(log: TextIO) -> Callable[[str, int, int], None]:
    def report(stage: str, done: int, total: int) -> None:
        print(
            _("seeding {stage}: {done}/{total}").format(stage=stage, done=done, total=total),
            file=log,
            flush=True,
        )

    return report


def run_sandbox(
    *,
    data_dir: Path,
    members: int = 20_000,
    seed: int = 1,
    today: date | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    rate: float | None = None,
    fail_rate: float = 0.0,
    latency_ms: int = 0,
    reset: bool = False,
    community_name: str = "Sandbox Community",
    batch_cap: int = DEFAULT_BATCH_CAP,
    fault_seed: int | None = None,
    ip_limits: bool = False,
    solved: bool = False,
    exit_with_parent: bool = False,
    dialect: Dialect = "v1",
    out: TextIO | None = None,
    log: TextIO | None = None,
) -> int:
    """Seed if needed, serve until SIGINT/SIGTERM, return the exit status.

    ``rate`` is requests per second per token for ``v1``, and the site-wide
    admin API requests per minute for ``discourse`` (default 60, Discourse's);
    ``ip_limits`` turns on Discourse's per-IP limits (``discourse`` only); ``solved`` the
    Solved plugin's directory column (``discourse`` only).
    Must run on the main thread (uvicorn installs signal handlers there).
    """
    out = out if out is not None else sys.stdout
    log = log if log is not None else sys.stderr
    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / DATABASE_NAME
    # Before seeding: a port in use should not cost a minute of seeding first.
    sock = _bind(host, port)
    try:
        return _seed_and_serve(
            sock,
            data_dir=data_dir,
            database=database,
            members=members,
            seed=seed,
            today=demo_today(today),
            host=host,
            rate=rate,
            fail_rate=fail_rate,
            latency_ms=latency_ms,
            reset=reset,
            community_name=community_name,
            batch_cap=batch_cap,
            fault_seed=fault_seed,
            ip_limits=ip_limits,
            solved=solved,
            exit_with_parent=exit_with_parent,
            dialect=dialect,
            out=out,
            log=log,
        )
    finally:
        with suppress(OSError):
            sock.close()


def _seed_and_serve(
    sock: socket.socket,
    *,
    data_dir: Path,
    database: Path,
    members: int,
    seed: int,
    today: date,
    host: str,
    rate: float | None,
    fail_rate: float,
    latency_ms: int,
    reset: bool,
    community_name: str,
    batch_cap: int,
    fault_seed: int | None,
    ip_limits: bool,
    solved: bool,
    exit_with_parent: bool,
    dialect: Dialect,
    out: TextIO,
    log: TextIO,
) -> int:
    if reset or not database.exists():
        summary = seed_database(
            database, members=members, seed=seed, today=today, progress=_progress_printer(log)
        )
        counts = (
            ngettext("{n} member", "{n} members", summary.members).format(n=summary.members),
            ngettext("{n} award", "{n} awards", summary.awards).format(n=summary.awards),
            ngettext("{n} pending request", "{n} pending requests", summary.pending_requests).format(
                n=summary.pending_requests
            ),
        )
        print(
            _("seeded {members}, {awards}, {requests} in {seconds} s").format(
                members=counts[0], awards=counts[1], requests=counts[2], seconds=f"{summary.seconds:.1f}"
            ),
            file=log,
            flush=True,
        )
    url = _url(sock, host)
    store: StoreDatabase
    stop: Callable[[], None]
    if dialect == "discourse":
        store, app, announced, stop = _discourse(
            database,
            data_dir,
            url=url,
            community_name=community_name,
            rate=rate,
            fail_rate=fail_rate,
            latency_ms=latency_ms,
            fault_seed=fault_seed,
            ip_limits=ip_limits,
            solved=solved,
        )
    else:
        v1_store = SandboxStore(database, community_name=community_name)
        store = v1_store
        stop = v1_store.close
        try:
            tokens = ensure_tokens(v1_store, data_dir / TOKENS_NAME)
        except BaseException:
            v1_store.close()
            raise
        app = create_app(
            v1_store,
            community_name=community_name,
            rate=rate,
            fail_rate=fail_rate,
            latency_ms=latency_ms,
            batch_cap=batch_cap,
            fault_seed=fault_seed,
        )
        announced = {"tokens": tokens}
    try:
        seeded = store.seeded_with()
        if seeded != (members, seed):
            print(
                ngettext(
                    "note: reusing data seeded with {members} member and seed {seed};"
                    " pass --reset to seed again",
                    "note: reusing data seeded with {members} members and seed {seed};"
                    " pass --reset to seed again",
                    seeded[0],
                ).format(members=seeded[0], seed=seeded[1]),
                file=log,
                flush=True,
            )
        seeded_epoch = store.seeded_epoch()
        if seeded_epoch is not None and seeded_epoch != day_start(today):
            print(
                _(
                    "note: the data is relative to {day}, when it was seeded;"
                    " pass --reset to seed it again relative to {today}"
                ).format(
                    day=datetime.fromtimestamp(seeded_epoch, UTC).date().isoformat(), today=today.isoformat()
                ),
                file=log,
                flush=True,
            )
        ready = {"event": "ready", "url": url, **announced, "data_dir": str(data_dir)}

        def announce() -> None:
            print(json.dumps(ready), file=out, flush=True)

        logging.getLogger("uvicorn.error").addFilter(_DropIncompleteNotice())
        config = uvicorn.Config(
            app,
            log_level="warning",
            http="h11",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=3,
        )
        with _stop_quietly():
            _ReadyServer(config, announce, exit_with_parent=exit_with_parent).run(sockets=[sock])
    finally:
        stop()
    return 0


def _discourse(
    database: Path,
    data_dir: Path,
    *,
    url: str,
    community_name: str,
    rate: float | None,
    fail_rate: float,
    latency_ms: int,
    fault_seed: int | None,
    ip_limits: bool = False,
    solved: bool = False,
) -> tuple[StoreDatabase, FastAPI, dict[str, Any], Callable[[], None]]:
    """The Discourse face over ``database``: its data, app, what the ready line adds, how to stop it."""
    # Imported here so the v1 sandbox never loads the Discourse face.
    from urllib.parse import urlsplit

    from desktop.sandbox.discourse.app import create_discourse_app
    from desktop.sandbox.discourse.data import DiscourseData
    from desktop.sandbox.discourse.keys import KEYS_NAME, ensure_api_keys
    from desktop.sandbox.discourse.ratelimit import DEFAULT_PER_MINUTE, PerIpLimits

    data = DiscourseData(database, community_name=community_name)
    try:
        demo = ensure_api_keys(data, data_dir / KEYS_NAME)
    except BaseException:
        data.close()
        raise
    app = create_discourse_app(
        data,
        demo.keys,
        rate_per_minute=rate if rate is not None else DEFAULT_PER_MINUTE,
        hostname=urlsplit(url).hostname,
        latency_ms=latency_ms,
        fail_rate=fail_rate,
        fault_seed=fault_seed,
        ip_limits=PerIpLimits() if ip_limits else None,
        solved=solved,
    )

    def stop() -> None:
        # A mass award's jobs still queued stop before the database closes under them.
        app.state.discourse.jobs.close()
        data.close()

    return data, app, {"dialect": "discourse", "tokens": demo.tokens, "usernames": demo.usernames}, stop
