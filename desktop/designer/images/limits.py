"""What an imported picture may be: the size limits, the media types, and the error that refuses one."""

from __future__ import annotations

import math
from typing import Final

from desktop.i18n import _

MAX_BYTES: Final = 5 * 1024 * 1024
MAX_PIXELS_SIDE: Final = 4096
MAX_SVG_ELEMENTS: Final = 20_000
MAX_SVG_DEPTH: Final = 64
MAX_SVG_SIDE: Final = 10_000
#: Elements drawn once ``<use>`` and pattern/clip/mask references are followed; bounds a "use bomb".
MAX_SVG_EXPANDED: Final = 100_000

PNG: Final = "image/png"
JPEG: Final = "image/jpeg"
SVG: Final = "image/svg+xml"


class ImageError(ValueError):
    """An image that cannot be imported; ``str(error)`` is a sentence for the user."""


def check_size(data: bytes, subject: str) -> None:
    if not data:
        raise ImageError(_("{subject} is empty.").format(subject=subject))
    if len(data) > MAX_BYTES:
        # Rounded up, so a file just over the limit does not read as "5.0 MB".
        size = math.ceil(len(data) * 10 / (1024 * 1024)) / 10
        too_big = _("{subject} is {size:g} MB; images may be at most {most} MB.")
        raise ImageError(too_big.format(subject=subject, size=size, most=MAX_BYTES // (1024 * 1024)))
