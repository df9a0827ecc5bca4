"""Render a :class:`Design` to SVG: the one drawing of a badge.

The canvas is 600 × 600 units (a 600 px export is one unit a pixel). Text
and glyphs are drawn as paths from font outlines, so the SVG needs no fonts,
looks the same everywhere, and the banner is measured with exactly what is
drawn. Qt only rasterises the result.

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from desktop.designer import glyphs, images
from desktop.designer.colour import mix, parse_colour, to_hex
from desktop.designer.document import Design, EmblemKind, FillKind, Shape
from desktop.designer.text import BannerLayout, Box, fit_banner

CANVAS = 600.0
CENTRE = CANVAS / 2
#: The shape's outer radius; the margin keeps the outline's stroke on the canvas.
RADIUS = 282.0
#: Banner text sizes in canvas units: the largest, and the smallest before truncating.
BANNER_MAX_SIZE = 64.0
BANNER_MIN_SIZE = 22.0
#: Below this the banner text is hard to read at 128 px (7 px tall).
BANNER_READABLE_SIZE = 7 * CANVAS / 128
#: Where the design travels inside the SVG, so another BadgeDesk can edit its layers.
DESIGN_NAMESPACE = "https://badgedesk.app/ns/design/1"

# Room for the emblem inside each shape, as a share of the radius: the
# largest circle around the centre that stays inside the outline.
_ROOM = {
    Shape.CIRCLE: 0.86,
    Shape.SHIELD: 0.74,
    Shape.HEXAGON: 0.8,
    Shape.STAR: 0.5,
    Shape.RIBBON: 0.7,
    Shape.ROUNDED_SQUARE: 0.86,
}
# Where the emblem sits (a shield's and a ribbon's middle is higher up).
_EMBLEM_DY = {Shape.SHIELD: -0.08, Shape.RIBBON: -0.1}


@dataclass(frozen=True, slots=True)
class Rendered:
    """The SVG and what was learnt drawing it.

    ``layers`` is the SVG's drawing in stacking order, bottom first, one
    string per layer (face, frame, edge, emblem, banner; a kept image has only
    its emblem), ``defs`` the definitions (gradients) they refer to by id: a
    screen redrawing the badge as a slider moves keeps the layers that did not
    change as pictures and draws only the others (see :func:`changed_span`
    and :meth:`layer_svg`).
    """

    svg: str
    banner: BannerLayout | None
    defs: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()

    def layer_svg(self, start: int, stop: int) -> str:
        """``layers[start:stop]`` alone, as an SVG of the same canvas, to draw over the layers below them."""
        return _svg("".join(self.defs), self.layers[start:stop], "")


_ID = re.compile(r'\bid="([^"]+)"')


def changed_span(before: Rendered, after: Rendered) -> tuple[int, int]:
    """The layers of ``after`` that differ from ``before``'s, as one ``(start, stop)`` range.

    A layer differs when its markup does or a definition it refers to does (a
    gradient's angle changes the face alone). All the layers when the two are
    drawn from different layers (a kept image and a layered badge), when a
    changed definition has no id, or when nothing differs.
    """
    everything = (0, len(after.layers))
    if len(before.layers) != len(after.layers):
        return everything
    changed_ids: set[str] = set()
    for definition in set(before.defs) ^ set(after.defs):
        found = _ID.search(definition)
        if found is None:
            return everything
        changed_ids.add(found.group(1))
    # A definition that refers to a changed one (a gradient inheriting another's stops) changed too.
    grown = True
    while grown:
        grown = False
        for definition in after.defs:
            found = _ID.search(definition)
            if found and found.group(1) not in changed_ids and _refers(definition, changed_ids):
                changed_ids.add(found.group(1))
                grown = True
    changed = [
        n
        for n, (old, new) in enumerate(zip(before.layers, after.layers, strict=True))
        if old != new or _refers(new, changed_ids)
    ]
    return (changed[0], changed[-1] + 1) if changed else everything


def _refers(markup: str, idents: set[str]) -> bool:
    """Whether ``markup`` uses one of the definitions named ``idents`` (``url(#…)`` or ``href="#…"``)."""
    return any(
        f"url(#{ident})" in markup or f"url('#{ident}')" in markup or f'href="#{ident}"' in markup
        for ident in idents
    )


def render(design: Design, *, size: int | None = None, embed_design: bool = True) -> Rendered:
    """The badge as a standalone SVG document with a square viewBox.

    ``size`` sets the width and height attributes in pixels (the viewBox is
    always 0 0 600 600); ``embed_design`` writes the design into the SVG's
    metadata so BadgeDesk can reopen its layers from the image alone.
    """
    if design.kept_image:
        return _kept(design, size, embed_design)
    defs: list[str] = []
    fill_ref = _fill(design, defs)
    outline = shape_path(design.shape, RADIUS)
    rings = design.frame.rings
    ring_width = design.frame.width
    ring_step = ring_width * 1.75
    edge = to_hex(mix(parse_colour(design.frame.colour if rings else design.fill.colour2), (0, 0, 0), 0.35))

    face = [f'<path d="{outline}" fill="{fill_ref}"/>']
    # A soft light from above gives the face some depth without changing its colours much.
    defs.append(
        '<linearGradient id="bd-sheen" x1="0" y1="0" x2="0" y2="1">'
        '<stop offset="0" stop-color="#ffffff" stop-opacity="0.22"/>'
        '<stop offset="0.55" stop-color="#ffffff" stop-opacity="0"/></linearGradient>'
    )
    face.append(f'<path d="{shape_path(design.shape, RADIUS * 0.97)}" fill="url(#bd-sheen)"/>')
    frame = []
    for ring in range(rings):
        radius = RADIUS - ring_width / 2 - ring * ring_step
        frame.append(
            f'<path d="{shape_path(design.shape, radius)}" fill="none" stroke="{design.frame.colour}"'
            f' stroke-width="{_n(ring_width)}" stroke-linejoin="round"/>'
        )
    outline_edge = (
        f'<path d="{outline}" fill="none" stroke="{edge}" stroke-width="3" stroke-linejoin="round"/>'
    )

    inner = RADIUS - rings * ring_step - 8
    room = inner * _ROOM[design.shape]
    banner_text = design.banner.text.strip()
    centre_y = CENTRE + _EMBLEM_DY.get(design.shape, 0.0) * RADIUS
    if banner_text:
        centre_y -= room * 0.2
        room *= 0.8
    side = room * math.sqrt(2) * design.emblem.scale
    emblem = "".join(_emblem(design, CENTRE, centre_y, side, defs))

    layout = None
    banner = ""
    if banner_text:
        layout, banner_parts = _banner(design)
        banner = "".join(banner_parts)

    layers = ("".join(face), "".join(frame), outline_edge, emblem, banner)
    return _rendered(design, size, embed_design, defs, layers, layout)


def _kept(design: Design, size: int | None, embed_design: bool) -> Rendered:
    """A kept image alone, filling the canvas: no shape, frame or banner around it."""
    defs: list[str] = []
    emblem = "".join(_emblem(design, CENTRE, CENTRE, CANVAS, defs))
    return _rendered(design, size, embed_design, defs, (emblem,), None)


def _rendered(
    design: Design,
    size: int | None,
    embed_design: bool,
    defs: list[str],
    layers: tuple[str, ...],
    layout: BannerLayout | None,
) -> Rendered:
    width = "" if size is None else f' width="{size}" height="{size}"'
    metadata = ""
    if embed_design:
        embedded = escape(design.dumps())
        metadata = f'<metadata><bd:design xmlns:bd="{DESIGN_NAMESPACE}">{embedded}</bd:design></metadata>'
    return Rendered(_svg("".join(defs), layers, width, metadata), layout, tuple(defs), layers)


def _svg(defs: str, layers: tuple[str, ...], width: str, metadata: str = "") -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' viewBox="0 0 {_n(CANVAS)} {_n(CANVAS)}"{width}>'
        f"{metadata}<defs>{defs}</defs>{''.join(layers)}</svg>"
    )


def render_svg(design: Design, *, size: int | None = None, embed_design: bool = True) -> str:
    return render(design, size=size, embed_design=embed_design).svg


def banner_box() -> Box:
    """Where the banner text may go: inside the band, clear of its folds."""
    return Box(108.0, 382.0, 384.0, 80.0)


def _fill(design: Design, defs: list[str]) -> str:
    fill = design.fill
    if fill.kind is FillKind.SOLID:
        return fill.colour
    if fill.kind is FillKind.LINEAR:
        angle = math.radians(fill.angle)
        dx, dy = math.cos(angle) / 2, math.sin(angle) / 2
        defs.append(
            f'<linearGradient id="bd-fill" x1="{_n(0.5 - dx)}" y1="{_n(0.5 - dy)}"'
            f' x2="{_n(0.5 + dx)}" y2="{_n(0.5 + dy)}">'
            f'<stop offset="0" stop-color="{fill.colour}"/><stop offset="1" stop-color="{fill.colour2}"/>'
            "</linearGradient>"
        )
    else:
        defs.append(
            '<radialGradient id="bd-fill" cx="0.5" cy="0.42" r="0.62">'
            f'<stop offset="0" stop-color="{fill.colour}"/><stop offset="1" stop-color="{fill.colour2}"/>'
            "</radialGradient>"
        )
    return "url(#bd-fill)"


def _emblem(design: Design, cx: float, cy: float, side: float, defs: list[str]) -> Iterator[str]:
    emblem = design.emblem
    x, y = cx - side / 2, cy - side / 2
    if emblem.kind is EmblemKind.GLYPH:
        outline = glyphs.glyph_outline(emblem.glyph)
        yield (
            f'<path transform="translate({_n(x)} {_n(y)}) scale({_n(side)})" d="{outline.path}"'
            f' fill="{emblem.colour}"/>'
        )
    elif emblem.kind is EmblemKind.IMAGE and emblem.image is not None:
        image = emblem.image
        vx, vy, vw, vh = _view_box(image)
        scale = side / max(vw, vh)
        # Centred in the emblem's square, aspect ratio kept.
        ox = x + (side - vw * scale) / 2
        oy = y + (side - vh * scale) / 2
        if image.media_type == "image/svg+xml":
            fragment = _fragment(image)
            place = f"translate({_n(ox)} {_n(oy)}) scale({_n(scale)}) translate({_n(-vx)} {_n(-vy)})"
            yield f'<g transform="{place}">{fragment}</g>'

        else:
            uri = quoteattr(_data_uri(image))
            yield (
                f'<image x="{_n(ox)}" y="{_n(oy)}" width="{_n(vw * scale)}" height="{_n(vh * scale)}"'
                f" xlink:href={uri} href={uri}/>"
            )


# Every slider move renders again; the image behind it has not changed, and
# sanitising or encoding it again each time could take long (a big SVG).
@functools.lru_cache(maxsize=8)
def _view_box(image: images.ImportedImage) -> tuple[float, float, float, float]:
    return images.view_box(image)


@functools.lru_cache(maxsize=8)
def _fragment(image: images.ImportedImage) -> str:
    return images.svg_fragment(image, "bd-img-")


@functools.lru_cache(maxsize=8)
def _data_uri(image: images.ImportedImage) -> str:
    return images.data_uri(image)


def _banner(design: Design) -> tuple[BannerLayout, list[str]]:
    banner = design.banner
    box = banner_box()
    layout = fit_banner(
        banner.text,
        box,
        max_size=BANNER_MAX_SIZE,
        min_size=BANNER_MIN_SIZE,
        readable_size=BANNER_READABLE_SIZE,
    )
    parts: list[str] = []
    if banner.background:
        band_top, band_bottom = box.y - 10, box.y + box.height + 10
        fold = to_hex(mix(parse_colour(banner.background), (0, 0, 0), 0.35))
        tail = to_hex(mix(parse_colour(banner.background), (0, 0, 0), 0.18))
        drop = 22.0
        # The tails hang behind the band's ends, each with a notch; the folds
        # are the dark triangles that join them.
        for side in (-1, 1):
            outer = CENTRE + side * 262
            inner = CENTRE + side * 196
            notch = CENTRE + side * 238
            parts.append(
                f'<path d="M{_n(inner)} {_n(band_top + drop)} L{_n(outer)} {_n(band_top + drop)}'
                f" L{_n(notch)} {_n((band_top + band_bottom) / 2 + drop)}"
                f' L{_n(outer)} {_n(band_bottom + drop)} L{_n(inner)} {_n(band_bottom + drop)} Z"'
                f' fill="{tail}"/>'
            )
            edge = CENTRE + side * 212
            parts.append(
                f'<path d="M{_n(edge)} {_n(band_bottom)} L{_n(inner)} {_n(band_bottom + drop)}'
                f' L{_n(inner)} {_n(band_bottom)} Z" fill="{fold}"/>'
            )
        parts.append(
            f'<path d="M{_n(CENTRE - 212)} {_n(band_top)} H{_n(CENTRE + 212)} V{_n(band_bottom)}'
            f' H{_n(CENTRE - 212)} Z" fill="{banner.background}"/>'
        )
    if layout.path:
        parts.append(f'<path d="{layout.path}" fill="{banner.colour}"/>')
    return layout, parts


# --- shapes -------------------------------------------------------------------------


def shape_path(shape: Shape, radius: float) -> str:
    """The outline of ``shape`` around the canvas centre, ``radius`` from it at most."""
    points = _UNIT_SHAPES[shape]
    return " ".join(_scaled(command, radius) for command in points)


def _scaled(command: tuple[str, tuple[float, ...]], radius: float) -> str:
    letter, values = command
    if letter == "A":
        rx, ry, rotation, large, sweep, x, y = values
        return (
            f"A{_n(rx * radius)} {_n(ry * radius)} {_n(rotation)} {int(large)} {int(sweep)}"
            f" {_n(CENTRE + x * radius)} {_n(CENTRE + y * radius)}"
        )
    coords = [_n(CENTRE + value * radius) for value in values]
    return letter + " ".join(coords)


def _polygon(points: list[tuple[float, float]]) -> list[tuple[str, tuple[float, ...]]]:
    commands: list[tuple[str, tuple[float, ...]]] = [("M", points[0])]
    commands.extend(("L", point) for point in points[1:])
    commands.append(("Z", ()))
    return commands


def _regular(count: int, inner: float | None = None) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    steps = count * (2 if inner else 1)
    for index in range(steps):
        angle = -math.pi / 2 + index * 2 * math.pi / steps
        r = inner if inner and index % 2 else 1.0
        points.append((r * math.cos(angle), r * math.sin(angle)))
    return points


def _rounded_square(half: float, corner: float) -> list[tuple[str, tuple[float, ...]]]:
    h, c = half, corner
    return [
        ("M", (-h + c, -h)),
        ("L", (h - c, -h)),
        ("Q", (h, -h, h, -h + c)),
        ("L", (h, h - c)),
        ("Q", (h, h, h - c, h)),
        ("L", (-h + c, h)),
        ("Q", (-h, h, -h, h - c)),
        ("L", (-h, -h + c)),
        ("Q", (-h, -h, -h + c, -h)),
        ("Z", ()),
    ]


_UNIT_SHAPES: dict[Shape, list[tuple[str, tuple[float, ...]]]] = {
    Shape.CIRCLE: [
        ("M", (0.0, -1.0)),
        ("A", (1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0)),
        ("A", (1.0, 1.0, 0.0, 1.0, 1.0, 0.0, -1.0)),
        ("Z", ()),
    ],
    Shape.HEXAGON: _polygon(_regular(6)),
    Shape.STAR: _polygon(_regular(5, inner=0.6)),
    Shape.ROUNDED_SQUARE: _rounded_square(0.86, 0.2),
    Shape.SHIELD: [
        ("M", (-0.84, -0.88)),
        ("Q", (0.0, -1.0, 0.84, -0.88)),
        ("L", (0.84, -0.08)),
        ("C", (0.84, 0.5, 0.44, 0.8, 0.0, 1.0)),
        ("C", (-0.44, 0.8, -0.84, 0.5, -0.84, -0.08)),
        ("Z", ()),
    ],
    Shape.RIBBON: [
        ("M", (-0.66, -0.98)),
        ("L", (0.66, -0.98)),
        ("Q", (0.76, -0.98, 0.76, -0.88)),
        ("L", (0.76, 0.98)),
        ("L", (0.0, 0.64)),
        ("L", (-0.76, 0.98)),
        ("L", (-0.76, -0.88)),
        ("Q", (-0.76, -0.98, -0.66, -0.98)),
        ("Z", ()),
    ],
}


def _n(value: float) -> str:
    """A number as short as SVG allows at a hundredth of a unit."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
