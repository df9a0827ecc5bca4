"""PNG and JPEG pictures recognised by their signature and measured from their header.

PNG: ``IHDR`` plus a walk over the chunks, so a cut-off file is refused;
JPEG: the segments up to the ``SOFn`` frame header. The bytes are kept as
they are; other formats are named so the refusal can say what the file is.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from typing import Final

from desktop.designer.images.limits import MAX_PIXELS_SIDE, ImageError
from desktop.i18n import _

PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
#: Bit depths allowed for each PNG colour type.
_PNG_DEPTHS: Final[dict[int, frozenset[int]]] = {
    0: frozenset({1, 2, 4, 8, 16}),
    2: frozenset({8, 16}),
    3: frozenset({1, 2, 4, 8}),
    4: frozenset({8, 16}),
    6: frozenset({8, 16}),
}
#: JPEG frame headers: SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
_JPEG_SOF: Final = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
#: Markers without a length: TEM and the restart markers.
_JPEG_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})

#: Formats recognised only to say what a refused file is (:func:`format_name`).
OTHER_FORMATS: Final[tuple[tuple[Callable[[bytes], bool], str], ...]] = (
    (lambda d: d[:6] in (b"GIF87a", b"GIF89a"), "gif"),
    (lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP", "webp"),
    (lambda d: d[:2] == b"BM", "bmp"),
    (lambda d: d[:4] in (b"II*\x00", b"MM\x00*"), "tiff"),
    (lambda d: d[4:8] == b"ftyp", "heic"),
    (lambda d: d[:2] == b"\x1f\x8b", "gzip"),
)


def format_name(key: str) -> str:
    """One of :data:`OTHER_FORMATS` in words, e.g. "a GIF image"."""
    names = {
        "gif": _("a GIF image"),
        "webp": _("a WebP image"),
        "bmp": _("a BMP image"),
        "tiff": _("a TIFF image"),
        "heic": _("an HEIC or AVIF image"),
        "gzip": _("a compressed (gzip) file"),
    }
    return names[key]


def _damaged(subject: str, kind: str, why: str) -> ImageError:
    return ImageError(
        _("{subject} is a damaged {kind} image: {why}.").format(subject=subject, kind=kind, why=why)
    )


def _check_pixels(width: int, height: int, subject: str, kind: str) -> tuple[int, int]:
    if width == 0 or height == 0:
        raise _damaged(subject, kind, _("its width or height is zero"))
    if width > MAX_PIXELS_SIDE or height > MAX_PIXELS_SIDE:
        too_big = _("{subject} is {width} × {height} pixels; images may be at most {most} pixels on a side.")
        raise ImageError(too_big.format(subject=subject, width=width, height=height, most=MAX_PIXELS_SIDE))
    return width, height


def png_size(data: bytes, subject: str) -> tuple[int, int]:
    # Signature, then the IHDR chunk: length, type, 13 bytes of header, CRC.
    if len(data) < 33:
        raise _damaged(subject, "PNG", _("it ends inside its header"))
    length, chunk_type = struct.unpack(">I4s", data[8:16])
    if (
        length != 13
        or chunk_type != b"IHDR"
        or zlib.crc32(data[12:29]) != struct.unpack(">I", data[29:33])[0]
    ):
        raise _damaged(subject, "PNG", _("its header is corrupt"))
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if depth not in _PNG_DEPTHS.get(colour, ()) or compression or filtering or interlace > 1:
        raise _damaged(subject, "PNG", _("its header is corrupt"))
    # Walk the chunks: a download cut short would otherwise show as a half-grey picture.
    position, seen_data = 33, False
    while True:
        if position + 12 > len(data):
            raise _damaged(subject, "PNG", _("it is cut off"))
        length, chunk_type = struct.unpack(">I4s", data[position : position + 8])
        position += 12 + length
        if chunk_type == b"IDAT":
            seen_data = True
        elif chunk_type == b"IEND":
            break
    if position > len(data):
        raise _damaged(subject, "PNG", _("it is cut off"))
    if not seen_data:
        raise _damaged(subject, "PNG", _("it has no image data"))
    return _check_pixels(width, height, subject, "PNG")


def jpeg_size(data: bytes, subject: str) -> tuple[int, int]:
    position = 2
    while True:
        if position >= len(data):
            raise _damaged(subject, "JPEG", _("it ends before its size is given"))
        if data[position] != 0xFF:
            raise _damaged(subject, "JPEG", _("its header is corrupt"))
        while position < len(data) and data[position] == 0xFF:  # fill bytes may pad a marker
            position += 1
        if position >= len(data):
            raise _damaged(subject, "JPEG", _("it ends before its size is given"))
        marker = data[position]
        position += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0x00, 0xD8, 0xD9, 0xDA):  # stuffing, a second start, the end or the scan: no size
            raise _damaged(subject, "JPEG", _("its header is corrupt"))
        if position + 2 > len(data):
            raise _damaged(subject, "JPEG", _("it ends before its size is given"))
        (length,) = struct.unpack(">H", data[position : position + 2])
        if marker in _JPEG_SOF:
            if length < 8:
                raise _damaged(subject, "JPEG", _("its header is corrupt"))
            if position + 7 > len(data):
                raise _damaged(subject, "JPEG", _("it ends before its size is given"))
            height, width = struct.unpack(">HH", data[position + 3 : position + 7])
            return _check_pixels(width, height, subject, "JPEG")
        if length < 2:
            raise _damaged(subject, "JPEG", _("its header is corrupt"))
        position += length
