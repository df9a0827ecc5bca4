"""What an imported SVG may keep: namespaces, elements, attributes and style properties.

Also the syntax of the ids and ``url(#…)`` references that survive, the check
of one attribute or style value, and the notes of what was removed.
"""

from __future__ import annotations

import re
from typing import Final

from desktop.i18n import _, ngettext

SVG_NS: Final = "http://www.w3.org/2000/svg"
XLINK_NS: Final = "http://www.w3.org/1999/xlink"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"

ELEMENTS: Final = frozenset(
    {
        "svg", "g", "defs", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
        "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "use", "symbol", "title",
        "desc", "pattern", "marker",
    }
)  # fmt: skip
#: Elements whose ``href`` means something to a renderer.
HREF_ELEMENTS: Final = frozenset({"use", "linearGradient", "radialGradient", "pattern"})
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
PROPERTIES: Final = _PRESENTATION | {
    "font", "font-feature-settings", "font-variant-alternates", "font-variant-caps",
    "font-variant-east-asian", "font-variant-ligatures", "font-variant-numeric", "font-variant-position",
    "isolation", "line-height", "marker", "mix-blend-mode", "solid-color", "solid-opacity", "text-align",
    "text-decoration-color", "text-decoration-line", "text-decoration-style", "text-indent",
    "text-orientation", "text-transform", "white-space",
}  # fmt: skip
ATTRIBUTES: Final = _PRESENTATION | {
    "id", "class", "style", "transform", "x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "fx",
    "fy", "fr", "x1", "y1", "x2", "y2", "d", "points", "pathLength", "dx", "dy", "rotate", "textLength",
    "lengthAdjust", "offset", "gradientUnits", "gradientTransform", "spreadMethod", "clipPathUnits",
    "maskUnits", "maskContentUnits", "patternUnits", "patternContentUnits", "patternTransform", "viewBox",
    "preserveAspectRatio", "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
    "version", "baseProfile", "lang", "aria-label",
}  # fmt: skip
#: Root attributes that describe the canvas rather than how to paint: not carried into a fragment.
ROOT_ONLY: Final = frozenset({"viewBox", "preserveAspectRatio", "version", "baseProfile"})

# These meet values of up to 5 MB, so none may backtrack far (see svg_sanitiser's number patterns).
#: An id that is safe inside ``url(#…)`` and ``#…`` without quoting.
ID_PATTERN: Final = re.compile(r"[^\W\d][\w.-]*")
_URL: Final = re.compile(r"url\s*\(", re.IGNORECASE)
LOCAL_URL: Final = re.compile(r"""url\s*\(\s*(['"]?)#([^\W\d][\w.-]*)\1\s*\)""", re.IGNORECASE)
_UNSAFE_WORDS: Final = ("expression(", "javascript:", "vbscript:", "@import")

#: Distinct notes kept in ImportedImage.removed; the rest are counted.
_MAX_NOTES: Final = 50


class Notes:
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
        return (
            (*self.shown, ngettext("{n:,} more", "{n:,} more", more).format(n=more))
            if more
            else tuple(self.shown)
        )


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _url_target(value: str, start: int) -> str:
    """The argument of the ``url(`` ending at ``start``, without quotes; parentheses inside may nest."""
    depth = 1
    for position in range(start, len(value)):
        depth += {"(": 1, ")": -1}.get(value[position], 0)
        if depth == 0:
            return value[start:position].strip().strip("'\"")
    return value[start:].strip().strip("'\"")


#: What :func:`value_problem` says of a value that hides something unsafe (a marker, not shown).
UNSAFE_VALUE = "unsafe value"


def value_problem(value: str) -> str | None:
    """What makes an attribute or style value unsafe: "external reference …", :data:`UNSAFE_VALUE`, or None.

    :data:`UNSAFE_VALUE` is a marker, never shown: the caller names the attribute or property.
    """
    for match in _URL.finditer(value):
        if not LOCAL_URL.match(value, match.start()):
            target = short(_url_target(value, match.end())) or "url()"
            return _("external reference {target}").format(target=target)
    compact = re.sub(r"\s+", "", value).lower()
    # Backslashes and comments are how CSS hides the words checked below.
    if "\\" in value or "/*" in value or any(word in compact for word in _UNSAFE_WORDS):
        return UNSAFE_VALUE
    return None
