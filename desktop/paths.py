"""Where BadgeDesk keeps its files.

The platform's user directories by default; ``BADGEDESK_DATA_DIR`` and
``BADGEDESK_CONFIG_DIR`` move them (tests and portable installs use that, so a
test never touches the user's real data).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "BadgeDesk"


def data_dir() -> Path:
    override = os.environ.get("BADGEDESK_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("BADGEDESK_CONFIG_DIR")
    return Path(override) if override else platformdirs.user_config_path(APP_NAME, appauthor=False)


def sandbox_dir() -> Path:
    """Data of the embedded demo community server."""
    return data_dir() / "sandbox"


def profile_slug(name: str) -> str:
    """A file-system-safe name (``https://x.org:8443`` → ``x.org-8443``).

    Before profile ids, this named a profile's cache folder (the scheme dropped, so
    http:// and https:// of one host shared it); :func:`profile_dir` still finds such a
    folder and moves it. Also used for file names made from a user's name for something.
    """
    name = re.sub(r"^[a-z]+://", "", name.strip().lower()).rstrip("/")
    slug = re.sub(r"[^a-z0-9.]+", "-", name).strip("-.")
    return slug or "default"


_DEFAULT_PORTS = {"http": 80, "https": 443}


def profile_id(profile: str) -> str:
    """The normalised id of a profile: it names both its cache folder and its keyring entry.

    A server URL keeps its scheme (``https://x.org:8443`` → ``https_x.org_8443``, and
    ``http://x.org:8443`` → ``http_x.org_8443``); the default port and the case of the host
    are folded (``HTTPS://X.org:443/`` → ``https_x.org``); a path follows after ``~``. A name
    that is not a URL (``demo``, an id) is itself, made file-system-safe.
    """
    text = profile.strip()
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)", text)
    if match is None:
        # An id is its own id.
        return re.sub(r"[^a-z0-9._~-]+", "-", text.lower()).strip("-.") or "default"
    scheme = match.group(1).lower()
    authority = match.group(2).rsplit("@", 1)[-1]
    host, port = authority, ""
    bracketed = re.match(r"^\[([^\]]*)\](?::(\d*))?$", authority)
    if bracketed is not None:
        host, port = bracketed.group(1), bracketed.group(2) or ""
    elif authority.count(":") == 1:
        host, port = authority.split(":")
    if not port.isdigit() or int(port) == _DEFAULT_PORTS.get(scheme):
        port = ""
    # "-" keeps an IPv6 host's colons apart ([::1] → --1).
    ident = f"{scheme}_{re.sub(r'[^a-z0-9.-]', '-', host.lower())}"
    if port:
        ident += f"_{int(port)}"
    path = _safe(match.group(3).strip("/"))
    if path:
        ident += f"~{path}"
    return ident


def _safe(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.")


def profile_dir(profile: str) -> Path:
    """The directory of one profile's cache (its work file and its mirror), by its :func:`profile_id`.

    A cache an older BadgeDesk kept under :func:`profile_slug` is moved here the first time
    the profile is used (a cheap check when there is nothing to move).
    """
    profiles = data_dir() / "profiles"
    folder = profiles / profile_id(profile)
    legacy = profiles / profile_slug(profile)
    if legacy != folder and legacy.is_dir() and not folder.exists():
        # The first profile opened takes a folder http:// and https:// of one host shared.
        with contextlib.suppress(OSError):
            legacy.rename(folder)
    return folder


def log_dir() -> Path:
    """Where the rotating log file lives.

    ``BADGEDESK_LOG_DIR`` moves it; under a ``BADGEDESK_DATA_DIR`` override it is
    that directory's ``logs`` (so tests and portable installs keep their log with
    their data); otherwise the platform's user log directory.
    """
    override = os.environ.get("BADGEDESK_LOG_DIR")
    if override:
        return Path(override)
    if os.environ.get("BADGEDESK_DATA_DIR"):
        return data_dir() / "logs"
    return platformdirs.user_log_path(APP_NAME, appauthor=False)
