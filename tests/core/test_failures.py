"""Failures reach the user as one sentence with what to do, and never carry member data.

Real SQLite failures are made here (a size limit, a lock, damaged files), so
the tests see the exceptions the cache really raises, wrapped by SQLAlchemy.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import create_engine, event

from desktop import failure_logs, failures
from desktop.cache.database import Cache
from desktop.domain import Member
from desktop.failures import FailureKind
from desktop.net.errors import ApiError, AuthError, MalformedResponse, ServerBusy, ServerUnreachable
from desktop.outbox import OutboxError
from tests.core.test_cache import member

#: What a leak would show: names, usernames and emails of the members being written.
SECRETS = ("Zelda Quuxley", "zquux", "zelda.quuxley@example.org")


def secret_members(count: int = 400) -> list[Member]:
    return [
        replace(
            member(i),
            display_name=f"{SECRETS[0]} {i}",
            username=f"{SECRETS[1]}{i}",
            email=f"{i}.{SECRETS[2]}",
        )
        for i in range(1, count + 1)
    ]


def limit_size(cache: Cache, extra_pages: int = 2) -> None:
    """Let the mirror grow by a few pages only: the next big write fails as on a full disk."""
    with cache.read() as connection:
        pages = int(connection.exec_driver_sql("PRAGMA mirror.page_count").scalar() or 0)

    def limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA mirror.max_page_count = {pages + extra_pages}")

    event.listen(cache.engine, "connect", limit)
    cache.engine.dispose()


def full_disk_error(tmp_path: Path) -> sqlalchemy.exc.OperationalError:
    """The error the cache raises when a write of member rows finds no room."""
    cache = Cache(tmp_path / "full")
    limit_size(cache)
    try:
        with pytest.raises(sqlalchemy.exc.OperationalError) as raised, cache.write() as connection:
            Cache.upsert_members(connection, secret_members())
    finally:
        cache.close()
    return raised.value


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"member data in {text!r}"


def test_a_failed_write_of_member_rows_does_not_carry_them_in_its_error(tmp_path: Path) -> None:
    error = full_disk_error(tmp_path)
    assert "database or disk is full" in str(error)
    assert_no_secrets(str(error))


# --- one sentence with what to do ---------------------------------------------------------------


def assert_one_sentence(message: str) -> None:
    assert message.endswith(".") and message[:1].isupper(), message
    assert "\n" not in message and ". " not in message.rstrip("."), message
    for leak in ("SELECT", "INSERT", "[SQL", "parameters", "sqlalche.me", "Traceback"):
        assert leak not in message, message
    assert_no_secrets(message)


def test_a_full_disk_says_how_much_to_free_and_what_happens_next(tmp_path: Path) -> None:
    error = full_disk_error(tmp_path)
    assert failures.classify(error) is FailureKind.DISK_FULL
    sync = failures.describe(error, failures.SYNC, space_needed=40 * 2**20)
    assert sync.message == (
        "The disk is full: free about 40 MB and BadgeDesk resumes the sync where it stopped."
    )
    assert sync.waits_for_space and sync.reason == "database or disk is full"
    sending = failures.describe(error, failures.SEND)
    assert sending.message == (
        "The disk is full: free about 16 MB and sending resumes by itself with nothing queued lost."
    )
    command = failures.describe(error, failures.SYNC_COMMAND, space_needed=3 * 10**9)
    assert command.message.startswith("The disk is full: free about 2.8 GB and run the sync again")
    for failure in (sync, sending, command):
        assert_one_sentence(failure.message)


def test_the_space_a_sync_needs_follows_what_is_left() -> None:
    assert failures.space_for_sync(None, 0, 0) == failures.MIN_SPACE
    demo = failures.space_for_sync(None, 0, 116_697)
    assert 40 * 2**20 < demo < 45 * 2**20  # the 20,000-member demo community
    assert failures.space_for_sync(None, 100_000, 116_697) == failures.MIN_SPACE


def sqlite_failure(tmp_path: Path, kind: str) -> Exception:
    """A real error of the SQLite driver, raised through SQLAlchemy as the cache would."""
    path = tmp_path / f"{kind}.sqlite3"
    if kind == "damaged":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE t (x TEXT)")
            db.executemany("INSERT INTO t VALUES (?)", [(f"{SECRETS[2]} {i}" * 20,) for i in range(300)])
        db.close()
        with path.open("r+b") as file:
            file.seek(4096 * 2)
            file.write(b"\xff" * 4096 * 3)
    elif kind == "not a database":
        path.write_bytes(b"this is not SQLite " * 300)
    elif kind == "missing folder":
        path = tmp_path / "no such folder" / "cache.sqlite3"
    elif kind in ("locked", "read-only"):
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE t (x TEXT)")
        db.close()
    url = f"sqlite:///file:{path}?mode=ro&uri=true" if kind == "read-only" else f"sqlite:///{path}"
    engine = create_engine(url, hide_parameters=True, connect_args={"timeout": 0})
    holder = sqlite3.connect(path, isolation_level=None) if kind == "locked" else None
    if holder is not None:
        holder.execute("BEGIN EXCLUSIVE")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SELECT count(*), max(x) FROM t").all()
            connection.exec_driver_sql("INSERT INTO t VALUES (?)", (SECRETS[2],))
    except sqlalchemy.exc.DBAPIError as error:
        return error
    finally:
        if holder is not None:
            holder.close()
        engine.dispose()
    raise AssertionError(f"{kind}: no error")


@pytest.mark.parametrize(
    ("case", "kind", "start"),
    [
        ("locked", FailureKind.CACHE_BUSY, "Loading the badges failed because another program is using"),
        ("damaged", FailureKind.CACHE_DAMAGED, "The local cache could not be read (database disk image"),
        ("not a database", FailureKind.CACHE_DAMAGED, "The local cache could not be read (file is not a"),
        ("missing folder", FailureKind.CACHE_UNUSABLE, "The local cache could not be used (unable to open"),
        ("read-only", FailureKind.CACHE_UNUSABLE, "The local cache could not be used (attempt to write"),
    ],
)
def test_cache_failures_are_told_by_sqlites_reason_only(
    tmp_path: Path, case: str, kind: FailureKind, start: str
) -> None:
    error = sqlite_failure(tmp_path, case)
    failure = failures.describe(error, failures.loading("the badges"), folder=tmp_path)
    assert failure.kind is kind
    assert failure.message.startswith(start), failure.message
    assert failure.message.endswith("press Retry.") or kind is FailureKind.CACHE_DAMAGED
    assert_one_sentence(failure.message)


def test_os_errors_name_the_file_and_what_to_do(tmp_path: Path) -> None:
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "export.csv"))
    assert failures.classify(full) is FailureKind.DISK_FULL
    refused = PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / "export.csv"))
    failure = failures.describe(refused, failures.file_task("the export"))
    assert failure.message == (
        "The export failed (Permission denied: export.csv): check its permissions or choose another place."
    )
    assert failure.reason == "[Errno 13] Permission denied"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            ServerUnreachable("Server unreachable: cannot connect to http://127.0.0.1:9 (ConnectError)"),
            "Offline (server unreachable: cannot connect to http://127.0.0.1:9 (ConnectError)):"
            " BadgeDesk tries again at the next sync; until then BadgeDesk works from the cache.",
        ),
        (
            AuthError("The token was refused: Unauthorized", status=401),
            "The token was refused: Unauthorized; start BadgeDesk with --forget-token to give it a new one.",
        ),
        (
            MalformedResponse("Malformed response from GET /community: not valid JSON"),
            "Malformed response from GET /community: not valid JSON; the cache was left as it was and"
            " BadgeDesk tries again at the next sync.",
        ),
        (
            ServerBusy("Server busy: HTTP 503 on 4 attempts"),
            "The server is busy (server busy: HTTP 503 on 4 attempts):"
            " BadgeDesk tries again at the next sync.",
        ),
        (
            ApiError("GET /changes failed (HTTP 400): bad cursor", status=400, code="bad_cursor"),
            "The sync failed: GET /changes failed (HTTP 400): bad cursor;"
            " BadgeDesk tries again at the next sync.",
        ),
    ],
)
def test_server_failures_keep_their_sentence_and_add_what_happens_next(
    error: ApiError, expected: str
) -> None:
    assert failures.describe(error, failures.SYNC).message == expected


def test_the_cores_own_errors_are_told_as_they_are() -> None:
    error = OutboxError("The batch 3f2a9c was already undone.")
    failure = failures.describe(error, failures.changing("undoing the batch"))
    assert failure.kind is FailureKind.STATED
    assert failure.message == "The batch 3f2a9c was already undone."


def test_an_unexpected_error_is_named_but_its_text_is_not_shown() -> None:
    error = ValueError(f"cannot parse {SECRETS[2]}")
    failure = failures.describe(error, failures.changing("queueing the batch"))
    assert failure.kind is FailureKind.UNEXPECTED
    assert failure.message == (
        "Queueing the batch failed because of an unexpected problem (ValueError): try again,"
        " and report it with BadgeDesk's log if it keeps happening."
    )
    assert_one_sentence(failure.message)


# --- logs -----------------------------------------------------------------------------------------


def raised(error: Exception) -> Exception:
    """``error`` with a traceback, as logging gets it."""
    try:
        raise error
    except Exception as caught:
        return caught


def test_logged_failures_carry_no_member_data(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("tests.failures")
    failure_logs.log_failure(log, "Sync", full_disk_error(tmp_path))
    try:
        try:
            raise KeyError(SECRETS[2])
        except KeyError as inner:
            raise ValueError(f"no member {SECRETS[0]}") from inner
    except ValueError as error:
        failure_logs.log_failure(log, "Queueing the batch", error)
    text = caplog.text
    assert "Sync failed: sqlalchemy.exc.OperationalError: database or disk is full" in text
    # An unexpected one has its frames (where it happened) but not its words.
    assert "Traceback (most recent call last)" in text and "test_logged_failures_carry_no_member_data" in text
    assert "direct cause" in text and "KeyError" in text
    assert "INSERT" not in text
    assert_no_secrets(text)


def test_the_log_filter_redacts_what_others_log(tmp_path: Path) -> None:
    """A raw exception logged elsewhere (``logger.exception``) loses its SQL, rows and text."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log = logging.getLogger("tests.failures.others")
    log.addHandler(handler)
    log.propagate = False
    failure_logs.install_redaction(log)
    failure_logs.install_redaction(log)  # once is enough: no second filter
    assert len(handler.filters) == 1
    # As an engine without hide_parameters would raise it.
    leaky = sqlalchemy.exc.OperationalError(
        "INSERT INTO members (display_name, email) VALUES (?, ?)",
        (SECRETS[0], SECRETS[2]),
        sqlite3.OperationalError("database or disk is full"),
    )
    assert SECRETS[2] in str(leaky)
    try:
        log.error("Writing failed: %s", leaky, exc_info=raised(leaky))
        log.warning("Member %s could not be read", raised(ValueError(SECRETS[0])))
        log.error("%s", f"Sync failed: {leaky}")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert "database or disk is full" in text and "Traceback" in text
    assert "INSERT" not in text
    assert_no_secrets(text)
