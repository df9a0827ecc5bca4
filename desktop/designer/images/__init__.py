"""Importing the badge's centre picture: PNG, JPEG or SVG, checked and made safe.

Rasters are recognised by their signature and measured from their header
(PNG: ``IHDR`` plus a walk over the chunks, so a cut-off file is refused;
JPEG: the segments up to the ``SOFn`` frame header); their bytes are kept as
they are.

An SVG is hostile until proven otherwise. :func:`sanitize_svg` refuses what
cannot be made safe (DOCTYPE/ENTITY declarations, malformed XML, too many or
too deeply nested elements, no usable size, circular references, ``<use>``
chains that multiply the drawing beyond :data:`MAX_SVG_EXPANDED` elements) and
rebuilds the rest from allowlists, noting each removal for the user:

* elements: shapes, text, gradients, clip paths, masks, patterns, markers,
  ``<use>``/``<symbol>``, ``<title>``/``<desc>``. ``<a>`` becomes a ``<g>``
  (its link goes, its content stays). Everything else goes with its subtree:
  ``<script>``, ``<foreignObject>``, ``<image>``, filters, animation, a nested
  ``<svg>`` (Qt skips them) and every element outside the SVG namespace.
* ``<style>``: its rules are applied to the elements they select as inline
  ``style`` attributes, then the element and every ``class`` attribute go;
  a stylesheet would otherwise also restyle the badge the picture is embedded
  in. Only simple selectors (``*``, type, ``.class``, ``#id`` and compounds of
  them) are applied; other rules and every ``@`` rule are dropped.
* attributes and style properties: presentation and geometry only; no ``on*``
  handlers. ``href`` survives only as ``#id`` on ``<use>``, gradients and
  patterns, written as ``xlink:href`` because Qt ignores a plain ``href`` on
  gradients; ``url(…)`` only as ``url(#id)``; values with backslashes,
  comments, ``expression(``, ``javascript:`` or ``@import`` are dropped.
* ids: unusable or duplicate ids are dropped, and so is every reference to
  an id that is not there.

The output's root has a ``viewBox`` and no ``width``/``height``: whoever
draws it chooses the size. :func:`svg_fragment` re-runs the sanitiser (the
image may come from a saved document rather than from :func:`load_image`),
so its output is safe whatever the :class:`ImportedImage` holds.

The parts: ``limits`` (sizes, media types, ``ImageError``), ``raster`` (PNG
and JPEG headers), and for SVG ``svg_parser`` (expat, no entities),
``svg_allowlists``, ``svg_sanitiser`` (the rebuild), ``svg_styles`` (CSS
inlined), ``svg_references`` (ids, loops, "use bombs") and ``svg_tree``
(the output).

Thread safety: everything here is pure and may run on any thread.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Final

from desktop.designer.images.limits import (
    JPEG,
    MAX_BYTES,
    MAX_PIXELS_SIDE,
    MAX_SVG_DEPTH,
    MAX_SVG_ELEMENTS,
    MAX_SVG_EXPANDED,
    MAX_SVG_SIDE,
    PNG,
    SVG,
    ImageError,
    check_size,
)
from desktop.designer.images.raster import OTHER_FORMATS, PNG_SIGNATURE, format_name, jpeg_size, png_size
from desktop.designer.images.svg_allowlists import LOCAL_URL, ROOT_ONLY
from desktop.designer.images.svg_parser import looks_like_xml
from desktop.designer.images.svg_sanitiser import SanitisedSvg, sanitize
from desktop.designer.images.svg_tree import Element, serialise, walk
from desktop.i18n import _

__all__ = [
    "MAX_BYTES",
    "MAX_PIXELS_SIDE",
    "MAX_SVG_DEPTH",
    "MAX_SVG_ELEMENTS",
    "MAX_SVG_EXPANDED",
    "MAX_SVG_SIDE",
    "ImageError",
    "ImportedImage",
    "data_uri",
    "load_image",
    "sanitize_svg",
    "svg_fragment",
    "view_box",
]

_PREFIX: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ImportedImage:
    """A checked picture: raster bytes as given, or a sanitised SVG (UTF-8)."""

    media_type: str
    data: bytes
    #: Pixels for a raster; the viewBox size for an SVG.
    width: float
    height: float
    #: What the SVG sanitiser removed, for the user: deduplicated, in the order found.
    #: Not part of the image's identity: the same bytes are the same image.
    removed: tuple[str, ...] = field(default=(), compare=False)


def load_image(data: bytes, filename: str = "") -> ImportedImage:
    """Check ``data`` and return it as an image; the type comes from the content, not ``filename``."""
    subject = PurePath(filename).name or _("The file")
    check_size(data, subject)
    if data.startswith(PNG_SIGNATURE):
        width, height = png_size(data, subject)
        return ImportedImage(PNG, data, width, height)
    if data.startswith(b"\xff\xd8\xff"):
        width, height = jpeg_size(data, subject)
        return ImportedImage(JPEG, data, width, height)
    if looks_like_xml(data):
        return _to_image(sanitize(data, subject), subject)
    kind = next((name for magic, name in OTHER_FORMATS if magic(data)), None)
    if kind:
        other = _("{subject} is {kind}, not a PNG, JPEG or SVG image.")
        raise ImageError(other.format(subject=subject, kind=format_name(kind)))
    raise ImageError(_("{subject} is not a PNG, JPEG or SVG image.").format(subject=subject))


def sanitize_svg(data: bytes) -> ImportedImage:
    """Return the safe part of an SVG, or raise :class:`ImageError` if it cannot be made safe."""
    subject = _("The file")
    check_size(data, subject)
    return _to_image(sanitize(data, subject), subject)


def svg_fragment(image: ImportedImage, id_prefix: str) -> str:
    """The picture as one ``<g>`` for embedding in another SVG, its ids prefixed with ``id_prefix``.

    The ``<g>`` carries the root's presentation attributes and declares its
    namespaces; its coordinates are the image's :func:`view_box`.
    """
    if image.media_type != SVG:
        raise ValueError(f"svg_fragment needs an SVG image, not {image.media_type}")
    if not _PREFIX.fullmatch(id_prefix):
        raise ValueError(
            f"id_prefix must be a letter or _ followed by letters, digits, - or _: {id_prefix!r}"
        )
    root = sanitize(image.data, _("The SVG")).root
    for element in walk(root):
        for name, value in list(element.attrs.items()):
            if name == "id":
                element.attrs[name] = id_prefix + value
            elif name == "xlink:href":
                element.attrs[name] = "#" + id_prefix + value[1:]
            else:
                element.attrs[name] = LOCAL_URL.sub(lambda m: f"url(#{id_prefix}{m[2]})", value)
    group = Element("g", {k: v for k, v in root.attrs.items() if k not in ROOT_ONLY}, root.children)
    return serialise(group)


def view_box(image: ImportedImage) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the picture's coordinate system; a raster's is its pixel grid."""
    if image.media_type == SVG:
        return sanitize(image.data, _("The SVG")).view_box
    return (0.0, 0.0, float(image.width), float(image.height))


def data_uri(image: ImportedImage) -> str:
    """A ``data:`` URI of a raster image, for an SVG ``<image>``."""
    if image.media_type not in (PNG, JPEG):
        raise ValueError(f"data_uri is for PNG and JPEG images, not {image.media_type}; use svg_fragment")
    # Re-checked: the image may not come from load_image, and the URI names the type.
    if load_image(image.data).media_type != image.media_type:
        raise ValueError(f"the data is not {image.media_type}")
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"


def _to_image(document: SanitisedSvg, subject: str) -> ImportedImage:
    _x, _y, width, height = document.view_box
    data = serialise(document.root).encode("utf-8")
    # Inlined styles repeat a stylesheet's declarations on every element they apply to.
    if len(data) > MAX_BYTES:
        too_big = _("{subject} would be larger than {most} MB once made safe.")
        raise ImageError(too_big.format(subject=subject, most=MAX_BYTES // (1024 * 1024)))
    return ImportedImage(SVG, data, width, height, document.notes)
