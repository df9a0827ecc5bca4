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

Thread safety: everything here is pure and may run on any thread.
"""

from __future__ import annotations

import base64
import math
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Final
from xml.parsers import expat

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

MAX_BYTES: Final = 5 * 1024 * 1024
MAX_PIXELS_SIDE: Final = 4096
MAX_SVG_ELEMENTS: Final = 20_000
MAX_SVG_DEPTH: Final = 64
MAX_SVG_SIDE: Final = 10_000
#: Elements drawn once ``<use>`` and pattern/clip/mask references are followed; bounds a "use bomb".
MAX_SVG_EXPANDED: Final = 100_000
#: Distinct notes kept in ImportedImage.removed; the rest are counted.
_MAX_NOTES: Final = 50
#: Selectors and @ rules in all stylesheets; real pictures have dozens.
_MAX_CSS_RULES: Final = 5_000
#: Selector checks plus declarations copied while inlining a stylesheet; bounds time and output size.
_MAX_STYLE_WORK: Final = 500_000

PNG: Final = "image/png"
JPEG: Final = "image/jpeg"
SVG: Final = "image/svg+xml"


class ImageError(ValueError):
    """An image that cannot be imported; ``str(error)`` is a sentence for the user."""


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
    subject = PurePath(filename).name or "The file"
    _check_size(data, subject)
    if data.startswith(_PNG_SIGNATURE):
        width, height = _png_size(data, subject)
        return ImportedImage(PNG, data, width, height)
    if data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data, subject)
        return ImportedImage(JPEG, data, width, height)
    if _looks_like_xml(data):
        return _to_image(_sanitize(data, subject), subject)
    kind = next((name for magic, name in _OTHER_FORMATS if magic(data)), None)
    if kind:
        raise ImageError(f"{subject} is {kind}, not a PNG, JPEG or SVG image.")
    raise ImageError(f"{subject} is not a PNG, JPEG or SVG image.")


def sanitize_svg(data: bytes) -> ImportedImage:
    """Return the safe part of an SVG, or raise :class:`ImageError` if it cannot be made safe."""
    _check_size(data, "The file")
    return _to_image(_sanitize(data, "The file"), "The file")


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
    root = _sanitize(image.data, "The SVG").root
    for element in _walk(root):
        for name, value in list(element.attrs.items()):
            if name == "id":
                element.attrs[name] = id_prefix + value
            elif name == "xlink:href":
                element.attrs[name] = "#" + id_prefix + value[1:]
            else:
                element.attrs[name] = _LOCAL_URL.sub(lambda m: f"url(#{id_prefix}{m[2]})", value)
    group = _Element("g", {k: v for k, v in root.attrs.items() if k not in _ROOT_ONLY}, root.children)
    return _serialise(group)


def view_box(image: ImportedImage) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the picture's coordinate system; a raster's is its pixel grid."""
    if image.media_type == SVG:
        return _sanitize(image.data, "The SVG").view_box
    return (0.0, 0.0, float(image.width), float(image.height))


def data_uri(image: ImportedImage) -> str:
    """A ``data:`` URI of a raster image, for an SVG ``<image>``."""
    if image.media_type not in (PNG, JPEG):
        raise ValueError(f"data_uri is for PNG and JPEG images, not {image.media_type}; use svg_fragment")
    # Re-checked: the image may not come from load_image, and the URI names the type.
    if load_image(image.data).media_type != image.media_type:
        raise ValueError(f"the data is not {image.media_type}")
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"


# --- Raster images ------------------------------------------------------------------------------------

_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
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

_OTHER_FORMATS: Final[tuple[tuple[Callable[[bytes], bool], str], ...]] = (
    (lambda d: d[:6] in (b"GIF87a", b"GIF89a"), "a GIF image"),
    (lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP", "a WebP image"),
    (lambda d: d[:2] == b"BM", "a BMP image"),
    (lambda d: d[:4] in (b"II*\x00", b"MM\x00*"), "a TIFF image"),
    (lambda d: d[4:8] == b"ftyp", "an HEIC or AVIF image"),
    (lambda d: d[:2] == b"\x1f\x8b", "a compressed (gzip) file"),
)


def _check_size(data: bytes, subject: str) -> None:
    if not data:
        raise ImageError(f"{subject} is empty.")
    if len(data) > MAX_BYTES:
        # Rounded up, so a file just over the limit does not read as "5.0 MB".
        size = math.ceil(len(data) * 10 / (1024 * 1024)) / 10
        raise ImageError(f"{subject} is {size:g} MB; images may be at most {MAX_BYTES // (1024 * 1024)} MB.")


def _damaged(subject: str, kind: str, why: str) -> ImageError:
    return ImageError(f"{subject} is a damaged {kind} image: {why}.")


def _check_pixels(width: int, height: int, subject: str, kind: str) -> tuple[int, int]:
    if width == 0 or height == 0:
        raise _damaged(subject, kind, "its width or height is zero")
    if width > MAX_PIXELS_SIDE or height > MAX_PIXELS_SIDE:
        raise ImageError(
            f"{subject} is {width} × {height} pixels; "
            f"images may be at most {MAX_PIXELS_SIDE} pixels on a side."
        )
    return width, height


def _png_size(data: bytes, subject: str) -> tuple[int, int]:
    # Signature, then the IHDR chunk: length, type, 13 bytes of header, CRC.
    if len(data) < 33:
        raise _damaged(subject, "PNG", "it ends inside its header")
    length, chunk_type = struct.unpack(">I4s", data[8:16])
    if (
        length != 13
        or chunk_type != b"IHDR"
        or zlib.crc32(data[12:29]) != struct.unpack(">I", data[29:33])[0]
    ):
        raise _damaged(subject, "PNG", "its header is corrupt")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if depth not in _PNG_DEPTHS.get(colour, ()) or compression or filtering or interlace > 1:
        raise _damaged(subject, "PNG", "its header is corrupt")
    # Walk the chunks: a download cut short would otherwise show as a half-grey picture.
    position, seen_data = 33, False
    while True:
        if position + 12 > len(data):
            raise _damaged(subject, "PNG", "it is cut off")
        length, chunk_type = struct.unpack(">I4s", data[position : position + 8])
        position += 12 + length
        if chunk_type == b"IDAT":
            seen_data = True
        elif chunk_type == b"IEND":
            break
    if position > len(data):
        raise _damaged(subject, "PNG", "it is cut off")
    if not seen_data:
        raise _damaged(subject, "PNG", "it has no image data")
    return _check_pixels(width, height, subject, "PNG")


def _jpeg_size(data: bytes, subject: str) -> tuple[int, int]:
    position = 2
    while True:
        if position >= len(data):
            raise _damaged(subject, "JPEG", "it ends before its size is given")
        if data[position] != 0xFF:
            raise _damaged(subject, "JPEG", "its header is corrupt")
        while position < len(data) and data[position] == 0xFF:  # fill bytes may pad a marker
            position += 1
        if position >= len(data):
            raise _damaged(subject, "JPEG", "it ends before its size is given")
        marker = data[position]
        position += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0x00, 0xD8, 0xD9, 0xDA):  # stuffing, a second start, the end or the scan: no size
            raise _damaged(subject, "JPEG", "its header is corrupt")
        if position + 2 > len(data):
            raise _damaged(subject, "JPEG", "it ends before its size is given")
        (length,) = struct.unpack(">H", data[position : position + 2])
        if marker in _JPEG_SOF:
            if length < 8:
                raise _damaged(subject, "JPEG", "its header is corrupt")
            if position + 7 > len(data):
                raise _damaged(subject, "JPEG", "it ends before its size is given")
            height, width = struct.unpack(">HH", data[position + 3 : position + 7])
            return _check_pixels(width, height, subject, "JPEG")
        if length < 2:
            raise _damaged(subject, "JPEG", "its header is corrupt")
        position += length


def _looks_like_xml(data: bytes) -> bool:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) : 1024].decode(encoding, "ignore").lstrip().startswith("<")
    return data[:1024].decode("latin-1").lstrip().startswith("<")


# --- SVG: parsing -------------------------------------------------------------------------------------

_SVG_NS: Final = "http://www.w3.org/2000/svg"
_XLINK_NS: Final = "http://www.w3.org/1999/xlink"
_XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
#: Prefixes shown in notes for elements and attributes declared without one.
_KNOWN_PREFIXES: Final = {
    "http://www.w3.org/1999/xhtml": "html",
    "http://www.inkscape.org/namespaces/inkscape": "inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd": "sodipodi",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/1998/Math/MathML": "math",
}

#: Checked on the raw bytes before parsing: no entity can be declared, so none can be expanded.
#: A plain DOCTYPE (the SVG 1.1 public one, Graphviz's) is harmless: the external DTD is never
#: read; one with an internal subset ("[ ... ]") is where entity tricks live.
_DECLARATION: Final = re.compile(rb"<!\s*(?:ENTITY|DOCTYPE[^>\[]*\[)", re.IGNORECASE)
_DECLARATION_TEXT: Final = re.compile(r"<!\s*(?:ENTITY|DOCTYPE[^>\[]*\[)", re.IGNORECASE)


@dataclass(eq=False)
class _Raw:
    """An element as parsed: (namespace, local name, prefix), attributes the same way plus the value."""

    ns: str
    local: str
    prefix: str
    attrs: list[tuple[str, str, str, str]]
    children: list[_Raw | str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _label(self.ns, self.local, self.prefix)


def _label(ns: str, local: str, prefix: str) -> str:
    if ns in ("", _SVG_NS):
        return local
    prefix = prefix or _KNOWN_PREFIXES.get(ns, "")
    return f"{prefix}:{local}" if prefix else f"{local} (from {ns})"


def _split_name(name: str) -> tuple[str, str, str]:
    # Expat gives "uri local prefix", "uri local" (default namespace) or "local".
    parts = name.split(" ")
    if len(parts) == 1:
        return "", parts[0], ""
    return parts[0], parts[1], parts[2] if len(parts) > 2 else ""


def _declaration_error(subject: str) -> ImageError:
    return ImageError(
        f"{subject} declares entities (a DOCTYPE with [ … ] or an ENTITY), which imported SVGs may not. "
        "Remove the <!DOCTYPE …> part, or export the picture again as plain SVG."
    )


def _has_declaration(data: bytes) -> bool:
    if _DECLARATION.search(data):
        return True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return bool(_DECLARATION_TEXT.search(data.decode("utf-16", "replace")))
    return False


def _parse(data: bytes, subject: str, notes: _Notes) -> _Raw:
    if _has_declaration(data):
        raise _declaration_error(subject)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Raw] = []
    roots: list[_Raw] = []
    count = 0

    def refuse(*_: object) -> int:
        # Second line of defence, for encodings the byte scan cannot read (such as UTF-16 without a BOM).
        raise _declaration_error(subject)

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise ImageError(f"{subject} has more than {MAX_SVG_ELEMENTS:,} elements; that is too complex.")
        if len(stack) >= MAX_SVG_DEPTH:
            raise ImageError(f"{subject} nests elements more than {MAX_SVG_DEPTH} deep; that is too complex.")
        attrs = [(*_split_name(key), value) for key, value in attributes.items()]
        element = _Raw(*_split_name(name), attrs)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_name: str) -> None:
        stack.pop()

    def text(content: str) -> None:
        if stack:
            stack[-1].children.append(content)

    def instruction(target: str, _data: str) -> None:
        # <?xml-stylesheet?> would load CSS from anywhere.
        notes.add(f"<?{target}?> processing instruction")

    def doctype(_name: str, _system: str | None, _public: str | None, internal_subset: int) -> None:
        if internal_subset:
            refuse()

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.NotationDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        reason = expat.errors.messages.get(error.code, "invalid XML")
        raise ImageError(
            f"{subject} is not a PNG, JPEG or SVG image: it is not well-formed XML "
            f"({reason} at line {error.lineno}, column {error.offset + 1})."
        ) from None
    return roots[0]


# --- SVG: allowlists ----------------------------------------------------------------------------------

_ELEMENTS: Final = frozenset(
    {
        "svg", "g", "defs", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
        "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "use", "symbol", "title",
        "desc", "pattern", "marker",
    }
)  # fmt: skip
#: Elements whose ``href`` means something to a renderer.
_HREF_ELEMENTS: Final = frozenset({"use", "linearGradient", "radialGradient", "pattern"})
#: Both attributes and style properties.
_PRESENTATION: Final = frozenset(
    {
        "alignment-baseline", "baseline-shift", "clip-path", "clip-rule", "color", "color-interpolation",
        "direction", "display", "dominant-baseline", "fill", "fill-opacity", "fill-rule", "font-family",
        "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
        "image-rendering", "letter-spacing", "marker-end", "marker-mid", "marker-start", "mask", "opacity",
        "overflow", "paint-order", "shape-rendering", "stop-color", "stop-opacity", "stroke",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
        "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering", "unicode-bidi",
        "vector-effect", "visibility", "word-spacing", "writing-mode",
    }
)  # fmt: skip
#: Also what Inkscape writes into every style attribute, so its pictures do not come with a page of notes.
_PROPERTIES: Final = _PRESENTATION | {
    "font", "font-feature-settings", "font-variant-alternates", "font-variant-caps",
    "font-variant-east-asian", "font-variant-ligatures", "font-variant-numeric", "font-variant-position",
    "isolation", "line-height", "marker", "mix-blend-mode", "solid-color", "solid-opacity", "text-align",
    "text-decoration-color", "text-decoration-line", "text-decoration-style", "text-indent",
    "text-orientation", "text-transform", "white-space",
}  # fmt: skip
_ATTRIBUTES: Final = _PRESENTATION | {
    "id", "class", "style", "transform", "x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "fx",
    "fy", "fr", "x1", "y1", "x2", "y2", "d", "points", "pathLength", "dx", "dy", "rotate", "textLength",
    "lengthAdjust", "offset", "gradientUnits", "gradientTransform", "spreadMethod", "clipPathUnits",
    "maskUnits", "maskContentUnits", "patternUnits", "patternContentUnits", "patternTransform", "viewBox",
    "preserveAspectRatio", "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
    "version", "baseProfile", "lang", "aria-label",
}  # fmt: skip
#: Root attributes that describe the canvas rather than how to paint: not carried into a fragment.
_ROOT_ONLY: Final = frozenset({"viewBox", "preserveAspectRatio", "version", "baseProfile"})

#: An id that is safe inside ``url(#…)`` and ``#…`` without quoting.
_ID: Final = re.compile(r"[^\W\d][\w.-]*")
_PREFIX: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_URL: Final = re.compile(r"url\s*\(", re.IGNORECASE)
_LOCAL_URL: Final = re.compile(r"""url\s*\(\s*(['"]?)#([^\W\d][\w.-]*)\1\s*\)""", re.IGNORECASE)
_UNSAFE_WORDS: Final = ("expression(", "javascript:", "vbscript:", "@import")
# Regexes here meet attribute values of up to 5 MB: none may backtrack over a long run of digits
# or spaces (hence "\d+(?:\.\d*)?", not "\d+\.?\d*", and values stripped rather than padded with \s*).
_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_LENGTH_PX: Final = re.compile(rf"({_NUMBER.pattern})(?:\s*px)?")
_LIST_SEPARATOR: Final = re.compile(r"[\s,]+")
_CSS_COMMENT: Final = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_AT_RULE: Final = re.compile(r"@[\w-]*")
_AT_RULE_END: Final = re.compile(r"[;{]")
_SELECTOR: Final = re.compile(r"(\*|[A-Za-z][\w-]*)?((?:[.#][^\W\d][\w-]*)*)")


class _Notes:
    """What the sanitiser removed: distinct, in the order found, and few enough to show."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.shown: list[str] = []

    def add(self, text: str) -> None:
        if text not in self.seen:
            self.seen.add(text)
            if len(self.shown) < _MAX_NOTES:
                self.shown.append(text)

    def result(self) -> tuple[str, ...]:
        more = len(self.seen) - len(self.shown)
        return (*self.shown, f"{more:,} more") if more else tuple(self.shown)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _without_important(value: str) -> str:
    # Importance is dropped: after inlining, only the style attribute and presentation attributes compete.
    value = value.strip()
    if value[-9:].lower() == "important" and value[:-9].rstrip().endswith("!"):
        return value[:-9].rstrip()[:-1].rstrip()
    return value


def _url_target(value: str, start: int) -> str:
    """The argument of the ``url(`` ending at ``start``, without quotes; parentheses inside may nest."""
    depth = 1
    for position in range(start, len(value)):
        depth += {"(": 1, ")": -1}.get(value[position], 0)
        if depth == 0:
            return value[start:position].strip().strip("'\"")
    return value[start:].strip().strip("'\"")


def _value_problem(value: str) -> str | None:
    """What makes an attribute or style value unsafe: "external reference …", "unsafe value", or None."""
    for match in _URL.finditer(value):
        if not _LOCAL_URL.match(value, match.start()):
            return f"external reference {_short(_url_target(value, match.end())) or 'url()'}"
    compact = re.sub(r"\s+", "", value).lower()
    # Backslashes and comments are how CSS hides the words checked below.
    if "\\" in value or "/*" in value or any(word in compact for word in _UNSAFE_WORDS):
        return "unsafe value"
    return None


# --- SVG: sanitising ----------------------------------------------------------------------------------


@dataclass(eq=False)
class _Element:
    """A sanitised element: SVG tag, attributes by qualified output name, and mixed content."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Element | str] = field(default_factory=list)


@dataclass(frozen=True)
class _Selector:
    tag: str | None
    ids: tuple[str, ...]
    classes: tuple[str, ...]

    @property
    def specificity(self) -> tuple[int, int, int]:
        return (len(self.ids), len(self.classes), int(self.tag is not None))

    def matches(self, element: _Element) -> bool:
        classes = element.attrs.get("class", "").split()
        return (
            (self.tag is None or self.tag == element.tag)
            and all(element.attrs.get("id") == ident for ident in self.ids)
            and all(name in classes for name in self.classes)
        )


@dataclass(frozen=True)
class _Rule:
    selectors: tuple[_Selector, ...]
    declarations: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Document:
    root: _Element
    view_box: tuple[float, float, float, float]
    notes: tuple[str, ...]


def _walk(element: _Element) -> Iterator[_Element]:
    yield element
    for child in element.children:
        if isinstance(child, _Element):
            yield from _walk(child)


def _to_image(document: _Document, subject: str) -> ImportedImage:
    _, _, width, height = document.view_box
    data = _serialise(document.root).encode("utf-8")
    # Inlined styles repeat a stylesheet's declarations on every element they apply to.
    if len(data) > MAX_BYTES:
        raise ImageError(f"{subject} would be larger than {MAX_BYTES // (1024 * 1024)} MB once made safe.")
    return ImportedImage(SVG, data, width, height, document.notes)


def _sanitize(data: bytes, subject: str) -> _Document:
    notes = _Notes()
    raw = _parse(data, subject, notes)
    if raw.ns not in ("", _SVG_NS) or raw.local != "svg":
        raise ImageError(f"{subject} is XML but not an SVG image (its root element is <{raw.label}>).")
    box = _root_view_box(raw, subject)
    sanitiser = _Sanitiser(notes, subject)
    root = sanitiser.element(raw, is_root=True)
    assert root is not None  # the root is an <svg>, which is always kept
    sanitiser.apply_styles(root)
    _check_ids(root, notes)
    _check_references(root, notes, subject)
    root.attrs = {"viewBox": " ".join(_format_number(v) for v in box), **root.attrs}
    return _Document(root, box, notes.result())


def _format_number(value: float) -> str:
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _root_view_box(raw: _Raw, subject: str) -> tuple[float, float, float, float]:
    attrs = {local: value for ns, local, _, value in raw.attrs if not ns}
    sizes: dict[str, float] = {}
    for name in ("width", "height"):
        match = _LENGTH_PX.fullmatch(attrs.get(name, "").strip())
        if match:
            sizes[name] = float(match[1])
    box: tuple[float, float, float, float] | None = None
    if "viewBox" in attrs:
        parts = _LIST_SEPARATOR.split(attrs["viewBox"].strip())
        if len(parts) != 4 or not all(_NUMBER.fullmatch(part) for part in parts):
            raise ImageError(f'{subject} has an unreadable viewBox ("{_short(attrs["viewBox"])}").')
        x, y, width, height = (float(part) for part in parts)
        box = (x, y, width, height)
    elif len(sizes) == 2:
        box = (0.0, 0.0, sizes["width"], sizes["height"])
    else:
        raise ImageError(f"{subject} has no size: an SVG needs a viewBox, or a width and height in pixels.")
    # A plain width/height is checked even beside a viewBox: it is the size the author asked for.
    for width, height in ((box[2], box[3]), (sizes.get("width", 1.0), sizes.get("height", 1.0))):
        if width <= 0 or height <= 0:
            raise ImageError(f"{subject} has a width or height of zero or less.")
        if not (width <= MAX_SVG_SIDE and height <= MAX_SVG_SIDE):  # also catches "1e400", read as infinity
            raise ImageError(
                f"{subject} is {_format_number(width)} × {_format_number(height)} units; "
                f"SVG images may be at most {MAX_SVG_SIDE:,} units on a side."
            )
    if not (math.isfinite(box[0]) and math.isfinite(box[1])):
        raise ImageError(f'{subject} has an unreadable viewBox ("{_short(attrs["viewBox"])}").')
    return box


class _Sanitiser:
    """Rebuilds the parsed tree from the allowlists, noting what it leaves out."""

    def __init__(self, notes: _Notes, subject: str) -> None:
        self.notes = notes
        self.subject = subject
        self.stylesheets: list[str] = []
        self.css_rules = 0

    def element(self, raw: _Raw, is_root: bool = False) -> _Element | None:
        label = raw.label
        tag = raw.local if raw.ns in ("", _SVG_NS) else None
        if tag == "style":
            self.stylesheets.append("".join(c for c in raw.children if isinstance(c, str)))
            return None
        attrs = raw.attrs
        if tag == "a":
            # A link cannot be followed inside a badge; what it wraps is still part of the picture.
            tag = "g"
            for ns, local, _, value in raw.attrs:
                if local == "href" and ns in ("", _XLINK_NS):
                    kind = "link" if value.strip().startswith("#") else "external reference"
                    self.notes.add(f"{kind} {_short(value)} on <a>")
            attrs = [a for a in raw.attrs if not (a[1] == "href" and a[0] in ("", _XLINK_NS))]
        elif tag is None or tag not in _ELEMENTS or (tag == "svg" and not is_root):
            nested = " (Qt does not draw nested ones)" if tag == "svg" else ""
            self.notes.add(f"<{label}> element{nested}")
            for ns, local, _, value in raw.attrs:
                if local == "href" and ns in ("", _XLINK_NS) and not value.strip().startswith("#"):
                    self.notes.add(f"external reference {_short(value)} on <{label}>")
            return None
        element = _Element(tag)
        # SVG 2: a plain href wins over xlink:href.
        plain_href = any(not ns and local == "href" for ns, local, _, _ in attrs)
        for ns, local, prefix, value in attrs:
            if local == "href" and ns in ("", _XLINK_NS):
                self.href(element, label, value, keep=not ns or not plain_href)
            else:
                self.attribute(element, label, ns, local, prefix, value, is_root)
        for child in raw.children:
            if isinstance(child, str):
                element.children.append(child)
            else:
                kept = self.element(child)
                if kept is not None:
                    element.children.append(kept)
        return element

    def attribute(
        self, element: _Element, label: str, ns: str, local: str, prefix: str, value: str, is_root: bool
    ) -> None:
        if is_root and not ns and local in ("width", "height", "x", "y", "viewBox"):
            pass  # the canvas: measured by _root_view_box, replaced by a viewBox alone
        elif ns == _XML_NS and local in ("space", "lang"):
            if _value_problem(value) is None:
                element.attrs[f"xml:{local}"] = value
        elif not ns and local == "style":
            style = _format_declarations(self.declarations(value, f"<{label}>", "style"))
            if style:
                element.attrs["style"] = style
        elif not ns and local in _ATTRIBUTES:
            problem = _value_problem(value)
            if problem is None:
                element.attrs[local] = value
            elif problem == "unsafe value":
                self.notes.add(f"unsafe {local} value on <{label}>")
            else:
                self.notes.add(f"{problem} on <{label}>")
        else:
            self.notes.add(f"{_label(ns, local, prefix) if ns else local} attribute on <{label}>")

    def href(self, element: _Element, label: str, value: str, *, keep: bool) -> None:
        value = value.strip()
        if not value.startswith("#"):
            self.notes.add(f"external reference {_short(value)} on <{label}>")
        elif not _ID.fullmatch(value[1:]):
            self.notes.add(f"reference {_short(value)} on <{label}>")
        elif element.tag not in _HREF_ELEMENTS:
            self.notes.add(f"href attribute on <{label}>")
        elif keep:
            element.attrs["xlink:href"] = value

    def declarations(self, text: str, where: str, what: str) -> list[tuple[str, str]]:
        """The safe declarations of a style attribute or CSS rule body; ``where`` names it in notes."""
        kept: list[tuple[str, str]] = []
        for part in _CSS_COMMENT.sub("", text).split(";"):
            if not part.strip():
                continue
            name, colon, value = part.partition(":")
            name, value = name.strip().lower(), _without_important(value)
            problem = _value_problem(value)
            if not colon or not name or not value:
                self.notes.add(f'unreadable {what} "{_short(part)}" on {where}')
            elif problem == "unsafe value":
                self.notes.add(f"unsafe {what} {_short(name)} on {where}")
            elif problem:
                self.notes.add(f"{problem} on {where}")
            elif name not in _PROPERTIES:
                self.notes.add(f"{what} property {_short(name)} on {where}")
            else:
                kept.append((name, value))
        return kept

    def rules(self, text: str) -> list[_Rule]:
        """The usable rules of a stylesheet."""
        text = _CSS_COMMENT.sub("", text).replace("<!--", " ").replace("-->", " ")
        rules: list[_Rule] = []
        position = 0
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            if position >= len(text):
                return rules
            self.count_css_rules(1)
            if text[position] == "@":
                # @import and @font-face fetch files; @media and the rest are not worth the risk.
                name = _AT_RULE.match(text, position)
                self.notes.add(f"{_short(name[0] if name else '@')} rule in <style>")
                stop = _AT_RULE_END.search(text, position)
                if stop is None:
                    position = len(text)
                elif stop[0] == ";":
                    position = stop.end()
                else:
                    position = _block_end(text, stop.start())
                continue
            brace = text.find("{", position)
            if brace < 0:
                self.notes.add(f'unreadable CSS "{_short(text[position:])}" in <style>')
                return rules
            end = _block_end(text, brace)
            selector_text, body = text[position:brace].strip(), text[brace + 1 : end - 1]
            position = end
            self.count_css_rules(selector_text.count(","))
            selectors = [_parse_selector(s) for s in selector_text.split(",")]
            if not all(selectors) or "{" in body:
                self.notes.add(f'CSS rule "{_short(selector_text)}" in <style> (only simple selectors work)')
                continue
            declarations = self.declarations(body, "<style>", "style")
            rules.append(_Rule(tuple(s for s in selectors if s), tuple(declarations)))

    def count_css_rules(self, count: int) -> None:
        self.css_rules += count
        if self.css_rules > _MAX_CSS_RULES:
            limit = f"{_MAX_CSS_RULES:,}"
            raise ImageError(
                f"{self.subject} has a stylesheet with more than {limit} rules; that is too complex."
            )

    def apply_styles(self, root: _Element) -> None:
        """Turn the stylesheets into style attributes, so they cannot restyle anything else."""
        rules = [rule for text in self.stylesheets for rule in self.rules(text)]
        # Each selector is filed under one thing an element must have, so an element meets only the
        # selectors that could match it rather than the whole stylesheet.
        index: dict[str, list[tuple[_Selector, int]]] = {}
        for number, rule in enumerate(rules):
            for selector in rule.selectors:
                key = (
                    f"#{selector.ids[0]}"
                    if selector.ids
                    else f".{selector.classes[0]}"
                    if selector.classes
                    else selector.tag or "*"
                )
                index.setdefault(key, []).append((selector, number))
        work = 0
        for element in _walk(root):
            keys = ["*", element.tag, f"#{element.attrs.get('id')}"]
            keys += {f".{name}" for name in element.attrs.get("class", "").split()}
            candidates = [entry for key in keys for entry in index.get(key, ())]
            matched = sorted((s.specificity, number) for s, number in candidates if s.matches(element))
            work += len(candidates) + sum(len(rules[number].declarations) for _, number in matched)
            if work > _MAX_STYLE_WORK:
                raise ImageError(f"{self.subject} has a stylesheet that is too complex to apply.")
            style: dict[str, str] = {}
            for _, number in matched:
                style.update(rules[number].declarations)
            # Inline declarations beat the stylesheet; they were cleaned already.
            style.update(_split_declarations(element.attrs.get("style", "")))
            element.attrs.pop("class", None)
            if style:
                element.attrs["style"] = _format_declarations(list(style.items()))


def _block_end(text: str, brace: int) -> int:
    """The index after the ``}`` closing the block opened at ``brace`` (or the end of the text)."""
    depth = 0
    for position in range(brace, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                return position + 1
    return len(text)


def _parse_selector(text: str) -> _Selector | None:
    match = _SELECTOR.fullmatch(text.strip())
    if not match or not text.strip():
        return None
    parts = re.findall(r"[.#][^.#]+", match[2])
    tag = None if match[1] in (None, "*") else match[1]
    return _Selector(
        tag, tuple(p[1:] for p in parts if p[0] == "#"), tuple(p[1:] for p in parts if p[0] == ".")
    )


def _format_declarations(declarations: list[tuple[str, str]]) -> str:
    return ";".join(f"{name}:{value}" for name, value in declarations)


def _split_declarations(style: str) -> list[tuple[str, str]]:
    # Only for style attributes this module wrote: no comments, no stray semicolons.
    pairs = (part.partition(":") for part in style.split(";") if part)
    return [(name, value) for name, _, value in pairs]


def _references(value: str) -> list[str]:
    return [match[2] for match in _LOCAL_URL.finditer(value)]


def _check_ids(root: _Element, notes: _Notes) -> None:
    seen: set[str] = set()
    for element in _walk(root):
        ident = element.attrs.get("id")
        if ident is None:
            continue
        if not _ID.fullmatch(ident):
            del element.attrs["id"]
            notes.add(f'id "{_short(ident)}" on <{element.tag}> (not usable as a reference)')
        elif ident in seen:
            del element.attrs["id"]
            notes.add(f"duplicate id {ident} on <{element.tag}>")
        else:
            seen.add(ident)


def _check_references(root: _Element, notes: _Notes, subject: str) -> None:
    """Drop references to missing ids; refuse loops and drawings that references multiply too far."""
    by_id = {e.attrs["id"]: e for e in _walk(root) if "id" in e.attrs}
    targets: dict[int, list[_Element]] = {}
    for element in _walk(root):
        found: list[_Element] = []
        for name, value in list(element.attrs.items()):
            if name == "id":
                continue
            if name == "style":
                declarations = _split_declarations(value)
                kept = [(n, v) for n, v in declarations if _resolve(v, by_id, found, element, notes)]
                if kept:
                    element.attrs["style"] = _format_declarations(kept)
                else:
                    del element.attrs["style"]
            elif not _resolve(value, by_id, found, element, notes, href=name == "xlink:href"):
                del element.attrs[name]
        targets[id(element)] = found
    _check_expansion(root, targets, subject)


def _resolve(
    value: str,
    by_id: dict[str, _Element],
    found: list[_Element],
    element: _Element,
    notes: _Notes,
    *,
    href: bool = False,
) -> bool:
    """Whether every reference in ``value`` exists; the targets are added to ``found``."""
    names = [value[1:]] if href else _references(value)
    missing = [name for name in names if name not in by_id]
    for name in missing:
        notes.add(f"reference to missing #{name} on <{element.tag}>")
    if missing:
        return False
    # A gradient used as paint costs little however often it is used, and its stops refer to nothing;
    # whatever else is referred to is drawn again (and a gradient's href can still form a loop).
    found.extend(by_id[n] for n in names if href or by_id[n].tag not in ("linearGradient", "radialGradient"))
    return True


def _check_expansion(root: _Element, targets: dict[int, list[_Element]], subject: str) -> None:
    # Iterative depth-first search: reference chains can be far deeper than Python's recursion limit.
    cost: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[_Element, Iterator[_Element]]] = []

    def edges(element: _Element) -> Iterator[_Element]:
        yield from (c for c in element.children if isinstance(c, _Element))
        yield from targets[id(element)]

    stack.append((root, edges(root)))
    on_path.add(id(root))
    while stack:
        element, pending = stack[-1]
        following = next(pending, None)
        if following is None:
            stack.pop()
            on_path.discard(id(element))
            total = 1 + sum(cost[id(n)] for n in edges(element))
            cost[id(element)] = min(total, MAX_SVG_EXPANDED + 1)
            if total > MAX_SVG_EXPANDED:
                raise ImageError(
                    f"{subject} repeats its shapes through references more than {MAX_SVG_EXPANDED:,} times; "
                    "that is too complex."
                )
        elif id(following) in on_path:
            ident = following.attrs.get("id")
            where = f": #{ident} refers back to itself" if ident else ""
            raise ImageError(f"{subject} has a circular reference{where}.")
        elif id(following) not in cost:
            on_path.add(id(following))
            stack.append((following, edges(following)))


# --- SVG: output --------------------------------------------------------------------------------------


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    return (
        _escape_text(text)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _serialise(root: _Element) -> str:
    """XML text of ``root`` with the SVG default namespace, and xlink only if used."""
    namespaces = f' xmlns="{_SVG_NS}"'
    if any("xlink:href" in e.attrs for e in _walk(root)):
        namespaces += f' xmlns:xlink="{_XLINK_NS}"'
    out: list[str] = []

    def write(element: _Element, extra: str) -> None:
        attrs = "".join(f' {name}="{_escape_attribute(value)}"' for name, value in element.attrs.items())
        if not element.children:
            out.append(f"<{element.tag}{extra}{attrs}/>")
            return
        out.append(f"<{element.tag}{extra}{attrs}>")
        for child in element.children:
            if isinstance(child, str):
                out.append(_escape_text(child))
            else:
                write(child, "")
        out.append(f"</{element.tag}>")

    write(root, namespaces)
    return "".join(out)
