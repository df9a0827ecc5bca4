"""Banner text drawn as SVG path outlines from the bundled font.

Measuring and drawing read the same glyph outlines, so a fitted banner cannot overflow its box, and an
exported SVG needs no fonts. Everything is in canvas units (the badge viewBox, y pointing down).

Any thread may call these functions: the font loads once under a lock, glyph outlines and line
metrics are cached.
"""

from __future__ import annotations

import io
import math
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

from desktop.i18n import _
from desktop.resources import resource

BANNER_FONT = ("fonts", "DejaVuSansCondensed-Bold.ttf")
LINE_GAP = 1.15
"""Baseline-to-baseline distance of a two-line banner, in ems."""
READABLE_PX = 7.0
"""Below this font size on the preview, text is hard to read."""
ELLIPSIS = "…"
_DECIMALS = 2  # 0.01 canvas units is far below a pixel even at print size


@dataclass(frozen=True)
class Box:
    """A rectangle in canvas units, y pointing down."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def contains(self, other: Box, tolerance: float = 1e-6) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )


@dataclass(frozen=True)
class BannerLayout:
    """Banner text fitted into a box by :func:`fit_banner`."""

    lines: tuple[str, ...]
    size: float
    """Font (em) size in canvas units."""
    path: str
    """SVG path data of all lines, in canvas units; fill it, nothing else is needed."""
    bounds: Box
    """Extent of the text: advances and ink across, cap height and ink down; always inside the box."""
    truncated: bool
    warning: str | None


# --- glyph outlines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outline:
    """A glyph outline in font units (y up), stored so that placing it is one ``str.format``."""

    template: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    advance: float
    ink: tuple[float, float, float, float] | None
    """xmin, ymin, xmax, ymax of all path points; the curves lie inside it. None when blank."""

    def place(self, x: float, y: float, scale: float) -> str:
        """Path data with the glyph origin at (x, y) of a y-down space, ``scale`` units per font unit."""
        if not self.xs:
            return ""
        values = [0.0] * (2 * len(self.xs))
        values[0::2] = [x + v * scale for v in self.xs]
        values[1::2] = [y - v * scale for v in self.ys]
        return self.template.format(*values)


class _OutlinePen(BasePen):  # type: ignore[misc]  # fontTools has no type information
    """Records a glyph as M/L/Q/C/Z commands; BasePen splits TrueType curves and draws components."""

    def __init__(self, glyph_set: Any, decimals: int) -> None:
        super().__init__(glyph_set)
        self._pair = f"{{:.{decimals}f}} {{:.{decimals}f}}"
        self.commands: list[str] = []
        self.xs: list[float] = []
        self.ys: list[float] = []

    def _add(self, command: str, *points: tuple[float, float]) -> None:
        self.commands.append(command + " ".join([self._pair] * len(points)))
        for px, py in points:
            self.xs.append(float(px))
            self.ys.append(float(py))

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self._add("M", pt)

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self._add("L", pt)

    def _qCurveToOne(self, pt1: tuple[float, float], pt2: tuple[float, float]) -> None:
        self._add("Q", pt1, pt2)

    def _curveToOne(
        self, pt1: tuple[float, float], pt2: tuple[float, float], pt3: tuple[float, float]
    ) -> None:
        self._add("C", pt1, pt2, pt3)

    def _closePath(self) -> None:
        self.commands.append("Z")


def read_outline(glyph_set: Any, glyph_name: str, decimals: int) -> Outline:
    """The outline of ``glyph_name`` from a fontTools glyph set; placed numbers get ``decimals`` digits."""
    glyph = glyph_set[glyph_name]
    pen = _OutlinePen(glyph_set, decimals)
    glyph.draw(pen)
    ink = (min(pen.xs), min(pen.ys), max(pen.xs), max(pen.ys)) if pen.xs else None
    return Outline("".join(pen.commands), tuple(pen.xs), tuple(pen.ys), float(glyph.width), ink)


class _BannerFont:
    """The bundled banner font. Glyphs are read lazily under a lock: a lazy TTFont is not thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # From memory: package data need not be a file on disk, and a lazy font reads as it goes.
        self._font = TTFont(io.BytesIO(resource(*BANNER_FONT).read_bytes()), lazy=True)
        self._cmap: dict[int, str] = self._font.getBestCmap()
        self._glyph_set = self._font.getGlyphSet()
        self._by_char: dict[str, Outline] = {}
        self.units_per_em = float(self._font["head"].unitsPerEm)
        self.cap_height = self._cap_height()

    def _cap_height(self) -> float:
        os2 = self._font["OS/2"]
        if getattr(os2, "sCapHeight", 0) > 0:
            return float(os2.sCapHeight)
        h = self.glyph("H").ink
        return h[3] if h else 0.7 * self.units_per_em

    def glyph(self, char: str) -> Outline:
        """The outline for ``char``; characters the font lacks all get the .notdef box."""
        outline = self._by_char.get(char)
        if outline is None:
            with self._lock:
                outline = self._by_char.get(char)
                if outline is None:
                    name = self._cmap.get(ord(char), ".notdef")
                    outline = read_outline(self._glyph_set, name, _DECIMALS)
                    self._by_char[char] = outline
        return outline


_font_lock = threading.Lock()
_loaded: _BannerFont | None = None


def _font() -> _BannerFont:
    global _loaded
    if _loaded is None:
        with _font_lock:
            if _loaded is None:
                _loaded = _BannerFont()
    return _loaded


# --- measuring -------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """NFC, without invisible characters: they would otherwise show as .notdef boxes."""
    if text.isascii() and text.isprintable():
        return text
    text = unicodedata.normalize("NFC", text)
    return "".join(
        c
        for c in text
        if unicodedata.category(c) not in ("Cc", "Cf")
        and not (0xFE00 <= ord(c) <= 0xFE0F or 0xE0100 <= ord(c) <= 0xE01EF)  # variation selectors
    )


@dataclass(frozen=True)
class _Line:
    """One line's extent in font units, x from the pen start and y up from the baseline."""

    text: str
    advance: float
    left: float  # min(0, ink xmin): ink may hang left of the pen start
    right: float  # max(advance, ink xmax)
    ink_top: float
    ink_bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left


@lru_cache(maxsize=4096)
def _measure(text: str) -> _Line:
    font = _font()
    pen = 0.0
    left, right = 0.0, 0.0
    top, bottom = -math.inf, math.inf
    for char in text:
        glyph = font.glyph(char)
        if glyph.ink is not None:
            xmin, ymin, xmax, ymax = glyph.ink
            left = min(left, pen + xmin)
            right = max(right, pen + xmax)
            bottom = min(bottom, ymin)
            top = max(top, ymax)
        pen += glyph.advance
    if top == -math.inf:
        top = bottom = 0.0
    return _Line(text, pen, left, max(right, pen), top, bottom)


def text_width(text: str, size: float) -> float:
    """Sum of the advance widths of ``text`` at font size ``size`` (no kerning, as drawn)."""
    font = _font()
    return _measure(_clean(text)).advance * size / font.units_per_em


def _line_path(text: str, x: float, baseline: float, scale: float) -> str:
    font = _font()
    parts = []
    pen = x
    for char in text:
        glyph = font.glyph(char)
        parts.append(glyph.place(pen, baseline, scale))
        pen += glyph.advance * scale
    return "".join(parts)


def text_path(text: str, size: float, x: float, baseline: float) -> str:
    """Path data of ``text`` on one line: pen starts at ``x`` on ``baseline``, font size ``size``."""
    font = _font()
    return _line_path(_clean(text), x, baseline, size / font.units_per_em)


# --- fitting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """Lines stacked with the first baseline at 0, in font units, y down."""

    width: float
    top: float
    bottom: float
    centre: float  # middle of the cap-height span, which goes in the middle of the box
    half: float  # the larger distance from centre to top or bottom


def _block(lines: tuple[_Line, ...]) -> _Block:
    font = _font()
    gap = LINE_GAP * font.units_per_em
    last = (len(lines) - 1) * gap
    # Centring the cap-height span keeps the baseline still as the user types descenders or accents;
    # the ink still counts so that nothing can stick out.
    centre = (last - font.cap_height) / 2
    top = min([-font.cap_height] + [i * gap - line.ink_top for i, line in enumerate(lines)])
    bottom = max([last] + [i * gap - line.ink_bottom for i, line in enumerate(lines)])
    width = max(line.width for line in lines)
    return _Block(width, top, bottom, centre, max(centre - top, bottom - centre))


def _largest_size(lines: tuple[_Line, ...], box: Box, max_size: float) -> float:
    upm = _font().units_per_em
    block = _block(lines)
    size = max_size
    if block.width > 0:
        size = min(size, box.width * upm / block.width)
    if block.half > 0:
        size = min(size, box.height * upm / (2 * block.half))
    return size


def _two_lines(words: list[str]) -> tuple[_Line, _Line]:
    """The word break that makes the longer line shortest."""
    best: tuple[_Line, _Line] | None = None
    for i in range(1, len(words)):
        pair = (_measure(" ".join(words[:i])), _measure(" ".join(words[i:])))
        if best is None or max(p.width for p in pair) < max(b.width for b in best):
            best = pair
    assert best is not None
    return best


def _truncate(text: str, limit: float) -> _Line:
    """``text`` cut short with an ellipsis until it is at most ``limit`` font units wide."""
    line = _measure(text)
    if line.width <= limit:
        return line

    def shortened(k: int) -> _Line:
        return _measure(text[:k].rstrip() + ELLIPSIS)

    low, high = 0, len(text) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if shortened(mid).width <= limit:
            low = mid
        else:
            high = mid - 1
    return shortened(low)


def fit_banner(
    text: str,
    box: Box,
    *,
    max_size: float,
    min_size: float,
    readable_size: float,
    preview_px: int = 128,
    canvas: float = 600,
) -> BannerLayout:
    """Lay ``text`` out as large as possible (up to ``max_size``) inside ``box``.

    One line; two lines when one would be smaller than ``readable_size`` and two give a larger size;
    below ``min_size`` the text is cut short with an ellipsis. The text never leaves the box: if even
    ``min_size`` is too tall for it, the size goes below ``min_size``.
    """
    words = _clean(" ".join(text.split())).split()
    return _fit(tuple(words), box, max_size, min_size, readable_size, preview_px, canvas)


@lru_cache(maxsize=64)  # re-renders with an unchanged banner (colour, glyph changes) are free
def _fit(
    words: tuple[str, ...],
    box: Box,
    max_size: float,
    min_size: float,
    readable_size: float,
    preview_px: int,
    canvas: float,
) -> BannerLayout:
    centre_x, centre_y = box.x + box.width / 2, box.y + box.height / 2
    if not words:
        return BannerLayout((), max_size, "", Box(centre_x, centre_y, 0, 0), False, None)
    if box.width <= 0 or box.height <= 0:
        return BannerLayout(
            (), 0, "", Box(centre_x, centre_y, 0, 0), True, _("The banner has no room for text.")
        )

    lines: tuple[_Line, ...] = (_measure(" ".join(words)),)
    size = _largest_size(lines, box, max_size)
    if size < max(readable_size, min_size) and len(words) >= 2:
        two = _two_lines(list(words))
        two_size = _largest_size(two, box, max_size)
        if two_size > size:
            lines, size = two, two_size

    truncated = size < min_size
    if truncated:
        lines = _truncated_lines(list(words), box, min_size, max_size)
        size = min(min_size, _largest_size(lines, box, max_size))

    path, bounds = _render(lines, size, box)
    warnings = []
    if truncated:
        cut = _(
            "The banner text does not fit even at the smallest size ({size:g}),"
            " so it was cut short with “{ellipsis}”. Shorten it."
        )
        warnings.append(cut.format(size=min_size, ellipsis=ELLIPSIS))
    preview_size = size * preview_px / canvas
    if preview_size < READABLE_PX:
        small = _(
            "The banner text is {height:.1f} px tall at {preview} px;"
            " below {readable:g} px it is hard to read. Shorten it."
        )
        warnings.append(small.format(height=preview_size, preview=preview_px, readable=READABLE_PX))
    return BannerLayout(
        tuple(line.text for line in lines), size, path, bounds, truncated, " ".join(warnings) or None
    )


def _truncated_lines(words: list[str], box: Box, min_size: float, max_size: float) -> tuple[_Line, ...]:
    limit = box.width * _font().units_per_em / min_size
    if len(words) >= 2:
        first = 0
        while first < len(words) - 1 and _measure(" ".join(words[: first + 1])).width <= limit:
            first += 1
        if first:
            two = (_measure(" ".join(words[:first])), _truncate(" ".join(words[first:]), limit))
            if _largest_size(two, box, max_size) >= min_size:
                return two
    return (_truncate(" ".join(words), limit),)


def _render(lines: tuple[_Line, ...], size: float, box: Box) -> tuple[str, Box]:
    font = _font()
    scale = size / font.units_per_em
    block = _block(lines)
    centre_x, centre_y = box.x + box.width / 2, box.y + box.height / 2
    first_baseline = centre_y - block.centre * scale
    gap = LINE_GAP * size
    parts = []
    left, right = math.inf, -math.inf
    for i, line in enumerate(lines):
        x = centre_x - (line.left + line.right) / 2 * scale
        parts.append(_line_path(line.text, x, first_baseline + i * gap, scale))
        left = min(left, x + line.left * scale)
        right = max(right, x + line.right * scale)
    top = centre_y + (block.top - block.centre) * scale
    bottom = centre_y + (block.bottom - block.centre) * scale
    return "".join(parts), Box(left, top, right - left, bottom - top)
