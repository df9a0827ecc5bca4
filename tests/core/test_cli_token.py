"""Where a headless run finds its token: keyring, a private token file, systemd's credentials."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.cli_token import CREDENTIAL_NAME, TokenRefused, find_token
from desktop.secrets import TokenStore

SERVER = "https://community.example.org"


def _file(tmp_path: Path, text: str = "s3cret\n", mode: int = 0o600) -> Path:
    path = tmp_path / "token"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_the_keyring_comes_first_when_no_file_is_named(tmp_path: Path) -> None:
    TokenStore().set(SERVER, "from-keyring")
    credentials = tmp_path / "creds"
    credentials.mkdir()
    (credentials / CREDENTIAL_NAME).write_text("from-systemd", encoding="utf-8")
    assert find_token(SERVER, None, {"CREDENTIALS_DIRECTORY": str(credentials)}) == "from-keyring"


def test_a_named_private_file_is_read(tmp_path: Path) -> None:
    TokenStore().set(SERVER, "from-keyring")
    assert find_token(SERVER, _file(tmp_path), {}) == "s3cret"
    assert find_token(SERVER, _file(tmp_path, mode=0o400), {}) == "s3cret"


@pytest.mark.parametrize("mode", [0o644, 0o660, 0o606, 0o610, 0o700 | 0o004])
def test_a_file_others_may_use_is_refused_naming_its_mode(tmp_path: Path, mode: int) -> None:
    with pytest.raises(TokenRefused, match=f"mode {mode & 0o777:04o}"):
        find_token(SERVER, _file(tmp_path, mode=mode), {})


def test_a_file_owned_by_someone_else_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _file(tmp_path)
    me = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: me + 1)
    with pytest.raises(TokenRefused, match=f"owned by user id {me}, not by you"):
        find_token(SERVER, path, {})


@pytest.mark.parametrize("text", ["", "\n", "one\ntwo\n"])
def test_a_file_must_hold_the_token_alone(tmp_path: Path, text: str) -> None:
    with pytest.raises(TokenRefused, match="alone, on one line"):
        find_token(SERVER, _file(tmp_path, text), {})


def test_a_directory_or_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TokenRefused, match="not a regular file"):
        find_token(SERVER, tmp_path, {})
    with pytest.raises(TokenRefused, match="does not exist"):
        find_token(SERVER, tmp_path / "nope", {})


def test_systemd_credentials_without_a_keyring_token(tmp_path: Path) -> None:
    credentials = tmp_path / "creds"
    credentials.mkdir()
    (credentials / CREDENTIAL_NAME).write_text("from-systemd\n", encoding="utf-8")
    # systemd makes the file read-only for the service, often owned by root: not judged.
    (credentials / CREDENTIAL_NAME).chmod(0o444)
    assert find_token(SERVER, None, {"CREDENTIALS_DIRECTORY": str(credentials)}) == "from-systemd"
    with pytest.raises(TokenRefused, match="does not exist"):
        find_token(SERVER, None, {"CREDENTIALS_DIRECTORY": str(tmp_path)})


def test_nothing_anywhere_says_where_it_looked() -> None:
    with pytest.raises(TokenRefused, match=f"not in the keyring, no --token-file, and no {CREDENTIAL_NAME}"):
        find_token(SERVER, None, {})
