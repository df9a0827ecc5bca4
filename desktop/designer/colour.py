"""Colour maths for the badge designer's accessibility checks.

WCAG 2.x contrast for banner text and glyphs, colour-vision-deficiency
simulation (Machado, Oliveira & Fernandes 2009) and CIEDE2000 colour
difference, so a badge family can be checked for tiers that only differ in a
way some members cannot see. Pure functions; safe to call from any thread.
"""

from __future__ import annotations

import enum
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from desktop.i18n import _

Rgb = tuple[int, int, int]
"""An sRGB colour, each channel 0..255."""

Lab = tuple[float, float, float]

# CIEDE2000 puts a just-noticeable difference near 1, and 2-3 only shows when two patches touch.
# Tiers must be told apart at a glance, one badge at a time, at icon size, on uncalibrated screens,
# and the simulation is itself an approximation; the usual rule of thumb is that beyond ~10 two
# colours read as different colours rather than shades of one, so that is the bar.
DISTINGUISHABLE_DELTA_E = 10.0

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


class ColourError(ValueError):
    """A value that is not a colour."""


def parse_colour(text: str) -> Rgb:
    """Parse '#rgb' or '#rrggbb' (any case, surrounding spaces ignored)."""
    stripped = text.strip()
    if not _HEX_COLOUR.fullmatch(stripped):
        raise ColourError(_("{text!r} is not a colour: use #rgb or #rrggbb").format(text=text))
    digits = stripped[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _check_rgb(rgb: Rgb) -> None:
    if len(rgb) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in rgb):
        raise ColourError(_("{rgb!r} is not a colour: use three channels 0..255").format(rgb=rgb))


def to_hex(rgb: Rgb) -> str:
    """'#rrggbb', lowercase."""
    _check_rgb(rgb)
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _round_channel(value: float) -> int:
    # Half-up, not Python's half-to-even, so mid-points do not alternate direction by parity.
    return min(255, max(0, math.floor(value + 0.5)))


def mix(a: Rgb, b: Rgb, t: float) -> Rgb:
    """Interpolate from a (t=0) to b (t=1) in sRGB, as Qt paints gradients."""
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"mix: t must be between 0 and 1, got {t}")
    r, g, bl = (_round_channel(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return (r, g, bl)


def _decode(channel: int) -> float:
    # WCAG 2.x prints 0.03928 where IEC 61966-2-1 has 0.04045; no 8-bit value lies between them
    # (10/255 < 0.03928, 11/255 > 0.04045), so using the sRGB figure is identical for our inputs.
    c = channel / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encode(linear: float) -> int:
    v = min(1.0, max(0.0, linear))
    c = v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055
    return _round_channel(c * 255.0)


def relative_luminance(rgb: Rgb) -> float:
    """WCAG 2.x relative luminance, 0 (black) .. 1 (white)."""
    r, g, b = (_decode(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Rgb, b: Rgb) -> float:
    """WCAG contrast ratio, 1..21, whichever colour is lighter."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


class Deficiency(enum.Enum):
    """The three dichromacies the designer simulates."""

    DEUTERANOPIA = "deuteranopia"
    PROTANOPIA = "protanopia"
    TRITANOPIA = "tritanopia"

    @property
    def label(self) -> str:
        if self is Deficiency.DEUTERANOPIA:
            return _("Deuteranopia (no green cones)")
        if self is Deficiency.PROTANOPIA:
            return _("Protanopia (no red cones)")
        return _("Tritanopia (no blue cones)")


_Matrix = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]

# Machado, Oliveira & Fernandes (2009), severity 1.0 (dichromacy), for linear RGB.
_MACHADO_2009: dict[Deficiency, _Matrix] = {
    Deficiency.PROTANOPIA: (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    Deficiency.DEUTERANOPIA: (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    Deficiency.TRITANOPIA: (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _apply(matrix: _Matrix, v: tuple[float, float, float]) -> tuple[float, float, float]:
    x, y, z = (row[0] * v[0] + row[1] * v[1] + row[2] * v[2] for row in matrix)
    return (x, y, z)


def simulate(rgb: Rgb, deficiency: Deficiency) -> Rgb:
    """How rgb looks with the given deficiency (Machado 2009, full severity)."""
    _check_rgb(rgb)
    linear = (_decode(rgb[0]), _decode(rgb[1]), _decode(rgb[2]))
    r, g, b = (_encode(c) for c in _apply(_MACHADO_2009[deficiency], linear))
    return (r, g, b)


# IEC 61966-2-1 linear sRGB -> CIE XYZ (D65).
_SRGB_TO_XYZ: _Matrix = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
# The white point is the image of sRGB white under that matrix (D65 to the matrix's precision), so
# white lands exactly on L*=100, a*=b*=0 instead of a hair off from rounding in a published constant.
_WHITE = tuple(sum(row) for row in _SRGB_TO_XYZ)


def _lab_f(t: float) -> float:
    delta = 6 / 29
    return t ** (1 / 3) if t > delta**3 else t / (3 * delta**2) + 4 / 29


def _srgb_to_lab(rgb: Rgb) -> Lab:
    x, y, z = _apply(_SRGB_TO_XYZ, (_decode(rgb[0]), _decode(rgb[1]), _decode(rgb[2])))
    fx, fy, fz = _lab_f(x / _WHITE[0]), _lab_f(y / _WHITE[1]), _lab_f(z / _WHITE[2])
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def _ciede2000(lab1: Lab, lab2: Lab) -> float:
    """CIEDE2000 with kL = kC = kH = 1, following Sharma, Wu & Dalal (2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    delta_lp = l2 - l1
    delta_cp = c2p - c1p
    if c1p * c2p == 0:
        delta_hp = 0.0
    else:
        delta_hp = h2p - h1p
        if delta_hp > 180:
            delta_hp -= 360
        elif delta_hp < -180:
            delta_hp += 360
    delta_big_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(delta_hp / 2))

    l_bar_p = (l1 + l2) / 2
    c_bar_p = (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar_p = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar_p = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_bar_p = (h1p + h2p + 360) / 2
    else:
        h_bar_p = (h1p + h2p - 360) / 2

    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar_p - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar_p))
        + 0.32 * math.cos(math.radians(3 * h_bar_p + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar_p - 63))
    )
    delta_theta = 30 * math.exp(-(((h_bar_p - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(c_bar_p**7 / (c_bar_p**7 + 25**7))
    s_l = 1 + 0.015 * (l_bar_p - 50) ** 2 / math.sqrt(20 + (l_bar_p - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_t = -math.sin(math.radians(2 * delta_theta)) * r_c

    dl, dc, dh = delta_lp / s_l, delta_cp / s_c, delta_big_hp / s_h
    return math.sqrt(dl**2 + dc**2 + dh**2 + r_t * dc * dh)


def delta_e(a: Rgb, b: Rgb) -> float:
    """CIEDE2000 difference between two sRGB colours (D65)."""
    return _ciede2000(_srgb_to_lab(a), _srgb_to_lab(b))


def _format_ratio(ratio: float) -> str:
    # Rounded down, so 4.48:1 reads "4.4:1" and a failing ratio never displays as its minimum.
    # The tiny allowance keeps 21.0 from showing as 20.9 after floating-point error.
    return f"{math.floor(ratio * 10 + 1e-9) / 10:.1f}"


@dataclass(frozen=True)
class ContrastCheck:
    """One contrast requirement and how a design fared against it."""

    label: str
    ratio: float
    minimum: float

    @property
    def passed(self) -> bool:
        return self.ratio >= self.minimum

    @property
    def text(self) -> str:
        """One line for the designer's checklist, e.g. 'Banner text contrast 7.1:1 (AA)'."""
        shown = _format_ratio(self.ratio)
        if not self.passed:
            text = _("{what} contrast {ratio}:1 — needs at least {minimum:g}:1")
        # 4.5 (text) and 3 (large text, graphics) are WCAG AA; 7 is AAA for text.
        elif self.minimum >= 7:
            text = _("{what} contrast {ratio}:1 (AAA)")
        elif self.minimum >= 3:
            text = _("{what} contrast {ratio}:1 (AA)")
        else:
            text = _("{what} contrast {ratio}:1 (at least {minimum:g}:1)")
        return text.format(what=self.label, ratio=shown, minimum=self.minimum)


def check_contrast(
    label: str, foreground: Rgb, background: Rgb | Sequence[Rgb], minimum: float
) -> ContrastCheck:
    """Contrast of foreground on background; for several backgrounds (gradient stops) the worst counts.

    Only the given colours are checked: an sRGB gradient can dip slightly darker between two stops
    of different hue, so pass intermediate ``mix`` colours too when that matters.
    """
    # A lone colour is a tuple of ints; several are a sequence of such tuples.
    if background and all(isinstance(c, int) for c in background):
        backgrounds = [cast(Rgb, tuple(background))]
    else:
        backgrounds = [cast(Rgb, c) for c in background]
    if not backgrounds:
        raise ValueError(f"{label}: no background colour to check against")
    worst = min(contrast_ratio(foreground, b) for b in backgrounds)
    return ContrastCheck(label=label, ratio=worst, minimum=minimum)


@dataclass(frozen=True)
class TierDistinction:
    """The two least distinct tiers of a family for one kind of vision (None = typical vision)."""

    deficiency: Deficiency | None
    worst_pair: tuple[str, str]
    worst_delta_e: float
    distinguishable: bool


def _tier_distance(a: Sequence[Rgb], b: Sequence[Rgb]) -> float:
    # The largest difference, because one clearly different part (say the ring) is enough to tell
    # two tiers apart.
    if len(a) == len(b):
        return max(delta_e(x, y) for x, y in zip(a, b, strict=True))
    # No correspondence to follow: pair every colour with its closest match on the other side, so
    # an extra stop that repeats a colour the other tier has does not count as a difference.
    nearest_from_a = (min(delta_e(x, y) for y in b) for x in a)
    nearest_from_b = (min(delta_e(y, x) for x in a) for y in b)
    return max(itertools.chain(nearest_from_a, nearest_from_b))


def family_distinguishability(
    tiers: Mapping[str, Sequence[Rgb]], threshold: float = DISTINGUISHABLE_DELTA_E
) -> list[TierDistinction]:
    """For typical vision and each deficiency, the least distinct pair of tiers.

    ``tiers`` maps a tier name to its characteristic colours (fill stops, ring, ...), in the same
    order for every tier. Returns one entry per vision, typical vision first.
    """
    for name, colours in tiers.items():
        if not colours:
            raise ValueError(f"tier {name!r} has no colours")
    visions: list[Deficiency | None] = [None, *Deficiency]
    results = []
    for vision in visions:
        seen = {
            name: [c if vision is None else simulate(c, vision) for c in colours]
            for name, colours in tiers.items()
        }
        worst_pair, worst = ("", ""), math.inf
        for first, second in itertools.combinations(seen, 2):
            distance = _tier_distance(seen[first], seen[second])
            if distance < worst:
                worst_pair, worst = (first, second), distance
        results.append(TierDistinction(vision, worst_pair, worst, worst >= threshold))
    return results
