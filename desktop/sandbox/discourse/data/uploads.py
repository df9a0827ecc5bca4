"""Uploads: the images a badge shows (``type=badge_image``), kept in ``dc_uploads`` and served back.

The sandbox accepts PNG, JPEG, GIF and SVG (an SVG without a DOCTYPE, as the
v1 face requires), reads a raster image's size from its header, and answers
with the fields Discourse's ``UploadSerializer`` gives.
"""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass
from xml.etree import ElementTree

from desktop.sandbox.discourse.data.base import DiscourseBase

MAX_UPLOAD_BYTES = 4 * 1024 * 1024


class UploadRefused(ValueError):
    """The file is not an image the sandbox keeps; the message says why, for the 422 answer."""


@dataclass(frozen=True, slots=True)
class UploadRow:
    """A stored upload. Immutable; any thread."""

    id: int
    sha1: str
    original_filename: str
    extension: str
    content_type: str
    filesize: int
    width: int
    height: int

    @property
    def url(self) -> str:
        return f"/uploads/default/original/1X/{self.sha1}.{self.extension}"


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _gif_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack("<HH", data[6:10])
    return int(width), int(height)


def _jpeg_size(data: bytes) -> tuple[int, int]:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2 : index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return int(width), int(height)
        index += 2 + length
    return 0, 0


def _svg_size(data: bytes) -> tuple[int, int]:
    if b"<!doctype" in data[:4096].lower() or b"<!entity" in data.lower():
        raise UploadRefused("SVG images may not declare a DOCTYPE or entities.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise UploadRefused(f"The SVG is not well-formed XML: {exc}.") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise UploadRefused("The SVG's root element is not <svg>.")

    def number(value: str | None) -> int:
        match = re.match(r"\s*(\d+(?:\.\d+)?)", value or "")
        return int(float(match.group(1))) if match else 0

    return number(root.get("width")), number(root.get("height"))


def sniff(data: bytes) -> tuple[str, str, tuple[int, int]]:
    """``(extension, content type, (width, height))`` of an image, or ``UploadRefused``."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused("Sorry, the file you are trying to upload is too big (maximum size is 4 MB).")
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return "png", "image/png", _png_size(data)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif", "image/gif", _gif_size(data)
    if data.startswith(b"\xff\xd8"):
        return "jpeg", "image/jpeg", _jpeg_size(data)
    if b"<svg" in data[:4096]:
        return "svg", "image/svg+xml", _svg_size(data)
    raise UploadRefused(
        "Sorry, the file you are trying to upload is not authorized"
        " (authorized extensions: jpg, jpeg, png, gif, svg)."
    )


class UploadData(DiscourseBase):
    """The ``dc_uploads`` table. Thread safety: any thread (see ``StoreDatabase``)."""

    def create_upload(self, data: bytes, *, filename: str, user_id: int, upload_type: str) -> UploadRow:
        extension, content_type, (width, height) = sniff(data)
        sha1 = hashlib.sha1(data).hexdigest()
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO dc_uploads (sha1, original_filename, extension, content_type, filesize, width,"
                " height, data, user_id, upload_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sha1,
                    filename,
                    extension,
                    content_type,
                    len(data),
                    width,
                    height,
                    data,
                    user_id,
                    upload_type,
                    self._now(),
                ),
            )
            assert cur.lastrowid is not None
            return UploadRow(cur.lastrowid, sha1, filename, extension, content_type, len(data), width, height)

    def upload_file(self, sha1: str, extension: str) -> tuple[bytes, str] | None:
        """The bytes and content type behind an upload URL."""
        row = (
            self._conn()
            .execute(
                "SELECT data, content_type FROM dc_uploads WHERE sha1 = ? AND extension = ?"
                " ORDER BY id DESC LIMIT 1",
                (sha1, extension),
            )
            .fetchone()
        )
        return None if row is None else (bytes(row[0]), str(row[1]))
