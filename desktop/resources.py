"""Files that ship with BadgeDesk (fonts, badge templates) in the repository's ``resources/``."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parents[1] / "resources"


def resource_path(*parts: str) -> Path:
    """``resources/<parts…>``; FileNotFoundError names the path when it is missing."""
    path = RESOURCES_DIR.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"BadgeDesk resource not found: {path} (is the installation or checkout incomplete?)"
        )
    return path
