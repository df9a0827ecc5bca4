"""What BadgeDesk is: its version, the Python it runs on (Qt-free; the About box adds Qt's)."""

from __future__ import annotations

import importlib.metadata
import platform

DISTRIBUTION = "badgedesk"


def version() -> str:
    """The installed distribution's version; "unknown" when run from a bare source tree."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def python_version() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"
