"""Start-up inputs: bad options give one line and status 2, never a traceback (issue 21, item 15).

``badgedesk``, ``badgedesk sandbox`` and ``badgedesk sync``; the token prompt
at end of input or Ctrl+C; the sandbox's default data directory.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.sandbox.process import SandboxProcess
from desktop.secrets import TokenStore
from ui import app

#: The ``no_network`` fixture: fails anything that resolves a name or connects.
pytest_plugins = ("tests.network_guard",)

#: A subprocess never touches the real keyring: this backend refuses every call.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def run_main(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``badgedesk ARGV`` in this process: (exit status, stderr)."""
    try:
        code = app.main(list(argv))
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    return code, capsys.readouterr().err


def assert_one_line(err: str, *expected: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for text in expected:
        assert text in lines[0], lines[0]


def run_command(argv: Sequence[str], *, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.app", *argv],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        env={**os.environ, **NO_KEYRING},
    )


# --- badgedesk sandbox ----------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--port", "99999"], "--port"),
        (["--port", "65536"], "--port"),
        (["--port", "-1"], "--port"),
        (["--port", "eighty"], "--port"),
        (["--members", "0"], "--members"),
        (["--members", "-5"], "--members"),
        (["--members", "lots"], "--members"),
        (["--seed", "x"], "--seed"),
        (["--rate", "0"], "--rate"),
        (["--fail-rate", "2"], "--fail-rate"),
        (["--batch-cap", "0"], "--batch-cap"),
    ],
)
def test_sandbox_bad_option_values_give_one_line_and_status_2(
    options: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["sandbox", "--data", str(tmp_path / "sandbox"), "--members", "50", *options]
    code, err = run_main(argv, capsys)
    assert code == 2
    assert_one_line(err, expected)


def test_sandbox_negative_latency_is_refused_not_ignored(tmp_path: Path) -> None:
    # Run as a command: code that ignored the value would start serving.
    result = run_command(
        ["sandbox", "--data", str(tmp_path / "sandbox"), "--members", "50", "--latency-ms", "-5"], timeout=30
    )
    assert result.returncode == 2
    assert_one_line(result.stderr, "--latency-ms")


def test_sandbox_data_that_is_a_file_gives_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "not-a-directory"
    data.write_text("hello")
    code, err = run_main(["sandbox", "--data", str(data), "--members", "50"], capsys)
    assert code == 2
    assert_one_line(err, "--data", str(data))


def test_sandbox_data_with_a_damaged_database_gives_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "sandbox"
    data.mkdir()
    (data / "sandbox.sqlite3").write_bytes(b"this is not an SQLite database" * 100)
    code, err = run_main(["sandbox", "--data", str(data), "--members", "50"], capsys)
    assert code == 2
    assert_one_line(err, str(data), "--reset")


def test_sandbox_port_in_use_gives_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, err = run_main(
            ["sandbox", "--data", str(tmp_path / "sandbox"), "--members", "50", "--port", str(port)], capsys
        )
    assert code == 2
    assert_one_line(err, str(port), "--port")


def test_sandbox_as_a_command_has_no_traceback() -> None:
    result = run_command(["sandbox", "--port", "99999", "--members", "50"])
    assert result.returncode == 2
    assert_one_line(result.stderr, "--port", "99999")


def test_sandbox_without_data_uses_badgedesk_data_dir(
    isolated_dirs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where platformdirs would put it otherwise: kept inside the test's own directory.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with SandboxProcess(members=50, seed=1) as process:
        assert process.data_dir == (isolated_dirs / "data" / "sandbox").resolve()
    assert not (tmp_path / "xdg").exists()


def test_sandbox_help_names_the_default_data_dir(
    isolated_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        app.main(["sandbox", "--help"])
    # Help text is wrapped at spaces; the path has none.
    assert str(isolated_dirs / "data" / "sandbox") in "".join(capsys.readouterr().out.split())


# --- badgedesk (the app) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--port", "99999"], "--port"),
        (["--demo-members", "-5"], "--demo-members"),
        (["--demo-members", "0"], "--demo-members"),
        (["--demo-members", "many"], "--demo-members"),
        (["--server", "ftp://community.example.org"], "https://"),
        (["--server", "community example"], "https://"),
        (["--server", "http://community.example.org"], "use https"),
        (["--server", "https://forum.example.org", "--server-kind", "gitlab"], "--server-kind"),
    ],
)
def test_app_bad_options_give_one_line_and_status_2(options: list[str], expected: str) -> None:
    # As a command: the app must stop before it opens a window or asks for a token.
    result = run_command(options, timeout=30)
    assert result.returncode == 2
    assert_one_line(result.stderr, expected)


# --- badgedesk sync ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], "--server"),
        (["--server", "community.example.org"], "https://"),
        (["--server", "ftp://community.example.org"], "https://"),
        (["--server", "http://community.example.org"], "use https"),
        (["--server", "http://127.0.0.1:9", "--bogus"], "--bogus"),
        (["--server", "http://127.0.0.1:9", "--server-kind", "discourse"], "needs the user the API key"),
        (["--server", "http://127.0.0.1:9", "--server-kind", "discourse", "--username", " "], "--username"),
    ],
)
def test_sync_bad_options_give_one_line_and_status_2(
    options: list[str], expected: str, capsys: pytest.CaptureFixture[str], no_network: list[str]
) -> None:
    # A stored token, so nothing stops before the address is used.
    for server in ("community.example.org", "ftp://community.example.org", "http://community.example.org"):
        TokenStore().set(server, "secret-token")
    code, err = run_main(["sync", *options], capsys)
    assert code == 2
    assert_one_line(err, expected)
    assert no_network == []


def _run_at_token_prompt(keys: bytes, *, interrupt: bool = False) -> tuple[int, str]:
    """``badgedesk sync`` on a terminal of its own; at the token prompt, type ``keys``.

    The child makes the pseudo-terminal its controlling terminal, as a login
    shell would, so getpass reads from it and Ctrl+C raises SIGINT.
    """
    master, slave = pty.openpty()
    script = (
        "import fcntl, sys, termios\n"
        "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
        "from ui.app import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, "sync", "--server", "http://127.0.0.1:9"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env={**os.environ, **NO_KEYRING},
    )
    os.close(slave)
    output = b""
    try:
        deadline = time.monotonic() + 60
        while b"API token for" not in output:
            assert time.monotonic() < deadline, output
            ready, _, _ = select.select([master], [], [], 1)
            if ready:
                output += os.read(master, 4096)
        if interrupt:
            process.send_signal(signal.SIGINT)
        else:
            os.write(master, keys)
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    text = output.decode(errors="replace").replace("\r\n", "\n")
    return code, text.split("API token for http://127.0.0.1:9:", 1)[1]


def test_end_of_input_at_the_token_prompt_exits_cleanly() -> None:
    code, after_prompt = _run_at_token_prompt(b"\x04")  # Ctrl+D
    assert code == 2
    assert_one_line(after_prompt, "No token given")


def test_ctrl_c_at_the_token_prompt_exits_cleanly() -> None:
    code, after_prompt = _run_at_token_prompt(b"\x03")  # Ctrl+C typed on the terminal
    assert code == 130
    assert_one_line(after_prompt, "Cancelled")


def test_sigint_at_the_token_prompt_exits_cleanly() -> None:
    code, after_prompt = _run_at_token_prompt(b"", interrupt=True)
    assert code == 130
    assert_one_line(after_prompt, "Cancelled")
