"""Files that ship with BadgeDesk (badge templates, the banner font, the user guide, the icon).

They are package data of this package (``desktop/resources/`` in a checkout): the same in a checkout,
an installed wheel and a frozen bundle, read through :func:`resource` (``importlib.resources``), never
by a path worked out from ``__file__``.
"""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

#: The folder in a checkout, for the developer tools that write into it (``python -m desktop.user_guide``);
#: the app reads with :func:`resource`.
SOURCE_DIR = Path(__file__).resolve().parent


def resource(*parts: str) -> Traversable:
    """The shipped file or folder ``<parts…>``; FileNotFoundError names it when it is missing.

    A Traversable (``read_text``, ``read_bytes``, ``iterdir``, ``open``); where a real path is needed,
    ``importlib.resources.as_file(resource(…))``.
    """
    item = importlib.resources.files(__name__)
    for part in parts:
        item = item / part
    if not (item.is_file() or item.is_dir()):
        raise FileNotFoundError(
            f"BadgeDesk resource not found: {item} (is the installation or checkout incomplete?)"
        )
    return item
