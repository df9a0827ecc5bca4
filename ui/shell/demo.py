"""The demo community: the bundled sandbox started for the app, and how the app reaches it.

Without ``--server`` the app runs on a demo community served by the sandbox
(:mod:`desktop.sandbox`) on loopback, in our own API (``v1``) or through its
Discourse face (``--demo-dialect discourse``). Each kind has its own data
folder and profile: one community, two servers' views of it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from desktop import paths
from desktop.cancellation import Cancelled, CancelToken
from desktop.community import Endpoint
from desktop.sandbox.process import SandboxProcess, SandboxStartError

DEMO_PROFILE = "demo"
#: The Discourse demo's admin API limit (a real forum allows 60 a minute): raised so a
#: first sync of the demo takes seconds, not half an hour. The client is told the same.
DEMO_DISCOURSE_RATE = 3000
#: The demo forum's category whose topics are its badge requests (the review queue's source).
DEMO_REQUEST_CATEGORY = "badge-requests"


def demo_profile(dialect: str) -> str:
    return DEMO_PROFILE if dialect == "v1" else f"{DEMO_PROFILE}-{dialect}"


def demo_data_dir(dialect: str) -> Path:
    data_dir = paths.sandbox_dir()
    return data_dir if dialect == "v1" else data_dir.with_name(f"{data_dir.name}-{dialect}")


def start_demo_server(dialect: str, members: int, seed: int, cancel: CancelToken) -> SandboxProcess:
    """Start the demo's sandbox (on a worker: it may seed a community first)."""
    process = SandboxProcess(
        data_dir=demo_data_dir(dialect),
        members=members,
        seed=seed,
        dialect=None if dialect == "v1" else dialect,
        rate=DEMO_DISCOURSE_RATE if dialect == "discourse" else None,
    )
    process.start()
    if cancel.cancelled:
        # The app closed while the server was starting: do not leave it behind.
        process.stop()
        raise Cancelled()
    return process


def demo_endpoint(process: SandboxProcess, dialect: str, request_category: str) -> Endpoint:
    """Where and as whom the app reaches the started demo."""
    if dialect == "discourse":
        # The demo's admin (Discourse's "system" user): a moderator's key cannot read
        # the badge list (/admin/badges is admin only on Discourse).
        return Endpoint(
            process.url,
            process.tokens["admin"],
            kind="discourse",
            username=process.usernames["admin"],
            requests_per_minute=DEMO_DISCOURSE_RATE,
            # The demo's "Badge requests" category unless the user chose otherwise (Settings menu).
            request_category=request_category,
        )
    return Endpoint(process.url, process.tokens["moderator"])


def demo_failure(error: Exception) -> str:
    """The status line when the demo's server did not start."""
    # How it ended, without its output (which may quote anything).
    why = error.summary if isinstance(error, SandboxStartError) else type(error).__name__
    return QCoreApplication.translate(
        "DemoCommunity",
        "The demo community server did not start ({why}): BadgeDesk works offline on the cache;"
        " Restart demo server (File menu) tries again.",
    ).format(why=why)
