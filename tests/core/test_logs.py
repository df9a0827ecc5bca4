"""The log file: where it is, what level, and that nothing named like a credential reaches it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import logs, paths


@pytest.fixture(autouse=True)
def _stop_logging() -> Iterator[None]:
    yield
    logs.stop_logging()


def test_the_log_lives_with_overridden_data_and_rotates(isolated_dirs: Path) -> None:
    path = logs.setup_logging()
    assert path == isolated_dirs / "data" / "logs" / "badgedesk.log"
    logging.getLogger("badgedesk.test").info("hello from the test")
    logging.getLogger("badgedesk.test").debug("not without --debug")
    text = path.read_text(encoding="utf-8")
    assert "INFO badgedesk.test: hello from the test" in text
    assert "not without --debug" not in text
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logs._LogFile))
    assert handler.maxBytes == logs.MAX_BYTES and handler.backupCount == logs.BACKUPS


def test_a_log_dir_override_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BADGEDESK_LOG_DIR", str(tmp_path / "elsewhere"))
    assert paths.log_dir() == tmp_path / "elsewhere"


def test_debug_writes_debug_lines_but_not_the_http_libraries() -> None:
    path = logs.setup_logging(debug=True)
    assert path is not None
    logging.getLogger("badgedesk.test").debug("debug detail")
    logging.getLogger("httpx").info("HTTP Request: GET http://127.0.0.1/x")
    text = path.read_text(encoding="utf-8")
    assert "debug detail" in text
    assert "HTTP Request" not in text


def test_setting_up_again_replaces_the_handlers() -> None:
    logs.setup_logging()
    logs.setup_logging()
    ours = [h for h in logging.getLogger().handlers if isinstance(h, (logs._LogFile, logs._Console))]
    assert len(ours) == 2


@pytest.mark.parametrize(
    "line",
    [
        "headers: {'Api-Key': 'SECRETSECRET1234', 'Api-Username': 'system'}",
        "Authorization: Bearer SECRETSECRET1234",
        "GET /x.json?api_key=SECRETSECRET1234&page=2",
        'body {"token": "SECRETSECRET1234"}',
        "password=SECRETSECRET1234",
    ],
)
def test_values_named_like_credentials_are_withheld(line: str) -> None:
    path = logs.setup_logging()
    assert path is not None
    logging.getLogger("badgedesk.test").warning("%s", line)
    text = path.read_text(encoding="utf-8")
    assert "SECRETSECRET1234" not in text
    assert "[withheld]" in text


def test_an_unwritable_log_dir_means_console_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("BADGEDESK_LOG_DIR", str(blocker / "logs"))
    assert logs.setup_logging() is None
    assert "No log file" in capsys.readouterr().err


def _line(n: int) -> logging.LogRecord:
    return logging.LogRecord(
        "badgedesk.test", logging.INFO, __file__, 1, f"line {n:03d} " + "x" * 80, None, None
    )


def test_several_processes_rotating_one_file_lose_nothing_and_rotate_once(tmp_path: Path) -> None:
    """Each BadgeDesk process (one per community, and the commands) has its own handler on the file:
    one that rotated must not make the others rotate again (shifting every backup), nor write on
    into the file it renamed."""
    path = tmp_path / "badgedesk.log"
    one, two = (logs._LogFile(path, maxBytes=1000, backupCount=3, encoding="utf-8") for _ in range(2))
    try:
        two.emit(_line(0))
        for n in range(1, 13):
            one.emit(_line(n))
        assert path.with_name("badgedesk.log.1").exists()
        two.emit(_line(13))
        one.emit(_line(14))
    finally:
        one.close()
        two.close()
    assert not path.with_name("badgedesk.log.2").exists()
    current = path.read_text(encoding="utf-8")
    assert "line 013" in current and "line 014" in current
    every = current + path.with_name("badgedesk.log.1").read_text(encoding="utf-8")
    assert all(f"line {n:03d}" in every for n in range(15))
