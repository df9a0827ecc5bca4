"""Where BadgeDesk keeps its files.

The platform's user directories by default; ``BADGEDESK_DATA_DIR`` and
``BADGEDESK_CONFIG_DIR`` move them (tests and portable installs use that, so a
test never touches the user's real data).
"""

from __future__ import annotations

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
    """A file-system-safe name for a profile (``https://x.org:8443`` → ``x.org-8443``)."""
    name = re.sub(r"^[a-z]+://", "", name.strip().lower()).rstrip("/")
    slug = re.sub(r"[^a-z0-9.]+", "-", name).strip("-.")
    return slug or "default"


def profile_dir(profile: str) -> Path:
    """The directory of one profile's cache (its work file and its mirror)."""
    return data_dir() / "profiles" / profile_slug(profile)


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
