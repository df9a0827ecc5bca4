"""Where BadgeDesk keeps its files.

The platform's user directories by default; ``BADGEDESK_DATA_DIR`` and
``BADGEDESK_CONFIG_DIR`` move them (tests and portable installs use that, so a
test never touches the user's real data).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

import platformdirs

APP_NAME = "BadgeDesk"

log = logging.getLogger(__name__)


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
    http:// and https:// of one host shared it); :func:`open_profile_dir` still finds such a
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

    Only a name: nothing is created or moved (removing a profile, checking its lock and
    showing its folder use this). Opening its cache goes through :func:`open_profile_dir`.
    """
    return data_dir() / "profiles" / profile_id(profile)


#: Ids of profiles that are not a server's URL and have always had their folder under that
#: name: an old slug equal to one of them is that profile's folder, never a server's.
NON_URL_IDS = frozenset({"demo", "demo-discourse"})


def open_profile_dir(profile: str, listed: Iterable[str] = ()) -> Path:
    """:func:`profile_dir`, after moving there the cache an older BadgeDesk kept under :func:`profile_slug`.

    Called only when the profile's cache is opened (its ``app.lock`` held). ``listed``: the keys
    (URLs or ids) of every listed profile. The old folder is moved only when it can only be this
    profile's: never when its name is a non-URL profile's id (``http://demo`` does not take the
    demo's folder), and never when another listed profile maps to it too (``http://x.org`` and
    ``https://x.org`` shared ``x.org``): then it stays where it is, for neither of them, and a
    warning in the log names it; nothing in it is lost, and guessing whose queued actions they
    are could send them to the wrong server. The user can move it by hand (to the folder named
    after the right profile's id) while BadgeDesk is closed.
    """
    folder = profile_dir(profile)
    if "://" not in profile:
        return folder
    legacy = folder.parent / profile_slug(profile)
    if legacy == folder or not legacy.is_dir() or not _only_locks(folder):
        return folder
    others = {key for key in listed if profile_id(key) != folder.name}
    if legacy.name in NON_URL_IDS or any(
        profile_id(key) == legacy.name if "://" not in key else profile_slug(key) == legacy.name
        for key in others
    ):
        log.warning(
            "The old cache folder %s may belong to another community than %s: left where it is",
            legacy,
            profile,
        )
        return folder
    if not folder.exists():
        with contextlib.suppress(OSError):
            legacy.rename(folder)
        return folder
    # The app claimed the profile first (its app.lock made the folder): move the old folder's
    # entries in one by one; the folder itself stays (replacing it would detach a held lock).
    for entry in legacy.iterdir():
        target = folder / entry.name
        if target.exists():
            continue  # a lock file of ours: the old one stays behind
        with contextlib.suppress(OSError):
            entry.rename(target)
    with contextlib.suppress(OSError):
        for entry in legacy.iterdir():
            if entry.name.endswith(LOCK_SUFFIX) and entry.is_file():
                entry.unlink()
        legacy.rmdir()
    return folder


#: Every lock file in a profile folder ends so (app.lock, profile.lock, sync.lock, sending.lock).
LOCK_SUFFIX = ".lock"


def _only_locks(folder: Path) -> bool:
    """True when ``folder`` is absent or holds only lock files (a claim made it, no cache yet)."""
    try:
        return all(entry.name.endswith(LOCK_SUFFIX) and entry.is_file() for entry in folder.iterdir())
    except FileNotFoundError:
        return True
    except OSError:
        return False


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
