"""Where a command run by a schedule finds the API token: the keyring, a private file, systemd.

Never from the command line (a token in ``argv`` is readable by every user of the
machine through ``ps``). In order:

1. the OS keyring (the token the app or ``badgedesk sync`` stored);
2. ``--token-file PATH``: a file only its owner may read (mode 0600 or 0400, owned by
   the user running the command); any other file is refused with what is wrong;
3. systemd's ``$CREDENTIALS_DIRECTORY`` (``LoadCredential=`` in the service): the file
   :data:`CREDENTIAL_NAME` in it. systemd makes that directory private to the service.

Thread safety: functions of values; any thread.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

from desktop.i18n import _
from desktop.secrets import NoKeyring, TokenStore

#: The credential's name in ``LoadCredential=badgedesk-token:/path/to/file``.
CREDENTIAL_NAME: Final = "badgedesk-token"


class TokenRefused(Exception):
    """No token could be used; the message says why, for the user (exit status 2)."""


def _read_private(path: Path, *, check_mode: bool) -> str:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TokenRefused(_("The token file {path} does not exist.").format(path=path)) from None
    except OSError as error:
        raise TokenRefused(
            _("The token file {path} cannot be read: {why}").format(path=path, why=error.strerror)
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise TokenRefused(_("The token file {path} is not a regular file.").format(path=path))
    if check_mode and hasattr(os, "getuid"):
        if info.st_uid != os.getuid():
            raise TokenRefused(
                _("The token file {path} is owned by user id {owner}, not by you (user id {you}).").format(
                    path=path, owner=info.st_uid, you=os.getuid()
                )
            )
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise TokenRefused(
                _(
                    "The token file {path} can be read or written by others (mode {mode}):"
                    " make it private with chmod 600 {path}"
                ).format(path=path, mode=f"{mode:04o}")
            )
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise TokenRefused(
            _("The token file {path} cannot be read: {why}").format(path=path, why=error)
        ) from None
    if not token or "\n" in token:
        raise TokenRefused(
            _("The token file {path} must hold the token alone, on one line.").format(path=path)
        )
    return token


def find_token(server: str, token_file: Path | None, environ: dict[str, str] | None = None) -> str:
    """The token for ``server``: the keyring's, else ``token_file``'s, else systemd's credential.

    :class:`TokenRefused` when none can be used, saying why (a token file others may read).
    """
    env = dict(os.environ) if environ is None else environ
    if token_file is not None:
        # Named on purpose: it wins over the keyring, so a schedule is never surprised.
        return _read_private(token_file, check_mode=True)
    keyring_problem = ""
    try:
        token = TokenStore().get(server)
    except NoKeyring as error:
        token, keyring_problem = None, str(error)
    if token:
        return token
    credentials = env.get("CREDENTIALS_DIRECTORY")
    if credentials:
        # systemd owns this directory and its files (often root, mode 0400): not ours to judge.
        return _read_private(Path(credentials) / CREDENTIAL_NAME, check_mode=False)
    text = _(
        "No token for {server}: not in the keyring, no --token-file, and no {name} credential"
        " ($CREDENTIALS_DIRECTORY)."
    ).format(server=server, name=CREDENTIAL_NAME)
    if keyring_problem:
        text = f"{text}\n{keyring_problem}"
    raise TokenRefused(text)
