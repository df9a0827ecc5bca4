"""What the designer checks while you work: contrast, banner fit, families, messages.

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from desktop import placeholders
from desktop.designer.colour import (
    ContrastCheck,
    Deficiency,
    Rgb,
    TierDistinction,
    check_contrast,
    family_distinguishability,
    mix,
    parse_colour,
    relative_luminance,
    to_hex,
)
from desktop.designer.document import BadgeMeta, Design, EmblemKind, FillKind, Shape
from desktop.designer.render import Rendered
from desktop.i18n import _, ngettext
from desktop.placeholders import AWARD_PLACEHOLDERS

#: WCAG 2 AA: text 4.5:1; graphics (the glyph) 3:1.
BANNER_MINIMUM = 4.5
GLYPH_MINIMUM = 3.0
#: Used when a community never set a default of its own. Sent to members (in the community's
#: language, not the moderator's), so not translated; nor is the sample member below.
DEFAULT_AWARD_MESSAGE = "Congratulations {member}! You have been awarded the {badge} badge in {community}."
#: The member the award-message preview is filled for.
SAMPLE_VALUES = {
    "member": "Ada Lovelace",
    "username": "ada",
    "badge": "",
    "community": "",
    "date": "23 November 2026",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the designer's checklist."""

    ok: bool
    text: str


def fill_colours(design: Design) -> list[Rgb]:
    """The colours under the emblem: the stops, and the middle of a gradient (it can dip)."""
    stops = [parse_colour(c) for c in design.fill.stops]
    if len(stops) == 2:
        stops.insert(1, mix(stops[0], stops[1], 0.5))
    return stops


def contrast_checks(design: Design) -> list[ContrastCheck]:
    """Banner text against what is behind it; the glyph against the fill."""
    checks: list[ContrastCheck] = []
    if design.banner.text.strip():
        behind = (
            [parse_colour(design.banner.background)] if design.banner.background else fill_colours(design)
        )
        checks.append(
            check_contrast(_("Banner text"), parse_colour(design.banner.colour), behind, BANNER_MINIMUM)
        )
    if design.emblem.kind is EmblemKind.GLYPH:
        checks.append(
            check_contrast(
                _("Glyph"), parse_colour(design.emblem.colour), fill_colours(design), GLYPH_MINIMUM
            )
        )
    return checks


def design_findings(design: Design, rendered: Rendered) -> list[Finding]:
    """The whole checklist of one design, as rendered."""
    findings = [Finding(c.passed, c.text) for c in contrast_checks(design)]
    layout = rendered.banner
    if layout is not None:
        if layout.warning:
            findings.append(Finding(False, layout.warning))
        else:
            n = len(layout.lines)
            if n == 1:
                fits = _("Banner text fits on one line.")
            else:
                fits = ngettext("Banner text fits on {n} line.", "Banner text fits on {n} lines.", n).format(
                    n=n
                )
            findings.append(Finding(True, fits))
    if design.emblem.kind is EmblemKind.IMAGE and design.emblem.image is not None:
        removed = design.emblem.image.removed
        if removed:
            cleaned = ngettext(
                "Imported image cleaned: {n} unsafe part removed.",
                "Imported image cleaned: {n} unsafe parts removed.",
                len(removed),
            )
            findings.append(Finding(True, cleaned.format(n=len(removed))))
    return findings


def readable_on(background: Sequence[Rgb]) -> str:
    """Black or white, whichever reads better on all of ``background``."""
    darkest = min(relative_luminance(c) for c in background)
    lightest = max(relative_luminance(c) for c in background)
    # The text sits on every one of them: compare each choice's worst case.
    white_worst = 1.05 / (lightest + 0.05)
    black_worst = (darkest + 0.05) / (0.0 + 0.05)
    return "#ffffff" if white_worst >= black_worst else "#1a1a1a"


# --- award messages ---------------------------------------------------------------------


class MetaError(ValueError):
    """A metadata field is wrong; ``field`` names it for the form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def meta_problems(meta: BadgeMeta) -> list[MetaError]:
    """Every problem with the badge's metadata, for the form to show beside each field."""
    problems: list[MetaError] = []
    if not meta.title.strip():
        problems.append(MetaError("title", _("A badge needs a title.")))
    elif len(meta.title) > 120:
        n = len(meta.title)
        too_long = ngettext(
            "The title has {n} character; at most 120.", "The title has {n} characters; at most 120.", n
        )
        problems.append(MetaError("title", too_long.format(n=n)))
    if not meta.description.strip():
        problems.append(MetaError("description", _("A badge needs a description: what it stands for.")))
    elif len(meta.description) > 4000:
        problems.append(MetaError("description", _("The description is longer than 4,000 characters.")))
    if meta.award_message:
        try:
            placeholders.check(meta.award_message, AWARD_PLACEHOLDERS)
        except placeholders.PlaceholderError as error:
            problems.append(MetaError("award_message", str(error)))
    return problems


def check_award_message(text: str) -> None:
    """Raise :class:`desktop.placeholders.PlaceholderError` for an unknown or malformed placeholder."""
    placeholders.check(text, AWARD_PLACEHOLDERS)


def award_preview(meta: BadgeMeta, default_message: str, community: str) -> str:
    """The award message as the sample member would receive it."""
    template = meta.award_message or default_message
    values = {
        **SAMPLE_VALUES,
        "badge": meta.title or _("Untitled badge"),
        "community": community or _("your community"),
    }
    return placeholders.render(template, values)


# --- families -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TierStyle:
    name: str
    fill: str
    fill2: str
    frame: str
    banner: str


TIER_STYLES: dict[str, TierStyle] = {
    "bronze": TierStyle("bronze", "#b87333", "#6b3a17", "#f0c39a", "#4a250d"),
    "silver": TierStyle("silver", "#e4e8ee", "#8d97a5", "#ffffff", "#3b4452"),
    "gold": TierStyle("gold", "#ffd95a", "#c48a00", "#fff3b0", "#7a4e00"),
}
TIERS = tuple(TIER_STYLES)
#: When a family differs by shape rather than rings: one shape per tier.
TIER_SHAPES = (Shape.CIRCLE, Shape.HEXAGON, Shape.STAR)


def make_family(base: Design, *, by: str = "rings", tiers: Sequence[str] = TIERS) -> dict[str, Design]:
    """Tiers of ``base`` that share its style and differ by colour and by rings or shape.

    ``by="rings"`` gives tier *n* n rings (1, 2, 3); ``by="shape"`` gives each
    tier its own shape. The glyph and banner text colours follow each tier's
    fill so they stay readable.
    """
    if by not in ("rings", "shape"):
        raise ValueError(f"A family differs by 'rings' or 'shape', not {by!r}.")
    unknown = [t for t in tiers if t not in TIER_STYLES]
    if unknown:
        raise ValueError(f"Unknown tier {unknown[0]!r}; the tiers are {', '.join(TIER_STYLES)}.")
    # Tiers differ by their layers: a kept image (drawn alone) would hide every difference.
    base = base.layered
    family: dict[str, Design] = {}
    for index, tier in enumerate(tiers):
        style = TIER_STYLES[tier]
        kind = base.fill.kind if base.fill.kind is not FillKind.SOLID else FillKind.LINEAR
        design = replace(
            base,
            fill=replace(base.fill, kind=kind, colour=style.fill, colour2=style.fill2),
            frame=replace(
                base.frame, colour=style.frame, rings=index + 1 if by == "rings" else base.frame.rings
            ),
            banner=replace(base.banner, background=style.banner if base.banner.background else ""),
            shape=TIER_SHAPES[index % len(TIER_SHAPES)] if by == "shape" else base.shape,
        )
        fill = fill_colours(design)
        glyph = design.emblem.colour
        if check_contrast("", parse_colour(glyph), fill, GLYPH_MINIMUM).ratio < GLYPH_MINIMUM:
            glyph = readable_on([*fill, parse_colour(style.fill2)])
        banner_behind = [parse_colour(style.banner)] if design.banner.background else fill
        text = design.banner.colour
        if check_contrast("", parse_colour(text), banner_behind, BANNER_MINIMUM).ratio < BANNER_MINIMUM:
            text = readable_on(banner_behind)
            if design.banner.text and check_contrast(
                "", parse_colour(text), banner_behind, BANNER_MINIMUM
            ).ratio < (BANNER_MINIMUM):
                # No colour reads on both ends of this tier's gradient: the text gets a band.
                design = replace(design, banner=replace(design.banner, background=style.banner))
                text = readable_on([parse_colour(style.banner)])
        family[tier] = replace(
            design,
            emblem=replace(design.emblem, colour=to_hex(parse_colour(glyph))),
            banner=replace(design.banner, colour=to_hex(parse_colour(text))),
        ).validated()
    return family


@dataclass(frozen=True, slots=True)
class FamilyReport:
    """Whether the tiers of a family can be told apart, and how."""

    distinctions: tuple[TierDistinction, ...]
    #: Cues that need no colour vision: "ring count", "shape".
    shape_cues: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return all(d.distinguishable for d in self.distinctions) and bool(self.shape_cues)

    def lines(self) -> list[Finding]:
        findings = []
        for distinction in self.distinctions:
            vision = _("Typical vision") if distinction.deficiency is None else distinction.deficiency.label
            if distinction.distinguishable:
                text = _("{vision}: tiers distinguishable by colour (closest ΔE {delta:.0f})").format(
                    vision=vision, delta=distinction.worst_delta_e
                )
            else:
                first, second = distinction.worst_pair
                text = self._look_alike().format(
                    vision=vision, first=first, second=second, delta=distinction.worst_delta_e
                )
            findings.append(Finding(distinction.distinguishable, text))
        cues = set(self.shape_cues)
        if cues == {"ring count", "shape"}:
            also = _("Tiers also differ by ring count and shape, which needs no colour.")
        elif cues == {"ring count"}:
            also = _("Tiers also differ by ring count, which needs no colour.")
        elif cues == {"shape"}:
            also = _("Tiers also differ by shape, which needs no colour.")
        else:
            findings.append(
                Finding(False, _("Tiers differ only by colour: give them different ring counts or shapes."))
            )
            return findings
        findings.append(Finding(True, also))
        return findings

    def _look_alike(self) -> str:
        """Two tiers that look alike, and what else tells them apart (a whole sentence per case)."""
        cues = set(self.shape_cues)
        if cues == {"ring count", "shape"}:
            return _(
                "{vision}: {first} and {second} look alike (ΔE {delta:.1f});"
                " only their ring count and shape tell them apart"
            )
        if cues == {"ring count"}:
            return _(
                "{vision}: {first} and {second} look alike (ΔE {delta:.1f}); only their ring count tells "
                "them apart"
            )
        if cues == {"shape"}:
            return _(
                "{vision}: {first} and {second} look alike (ΔE {delta:.1f}); only their shape tells them "
                "apart"
            )
        return _("{vision}: {first} and {second} look alike (ΔE {delta:.1f}); nothing else tells them apart")


def tier_colours(design: Design) -> list[Rgb]:
    """The colours that tell a tier at a glance: the fill stops and the frame."""
    colours = [parse_colour(c) for c in design.fill.stops]
    if len(colours) == 1:
        colours.append(colours[0])
    colours.append(parse_colour(design.frame.colour) if design.frame.rings else colours[0])
    return colours


def check_family(family: Mapping[str, Design]) -> FamilyReport:
    distinctions = family_distinguishability({name: tier_colours(d) for name, d in family.items()})
    cues = []
    pairs = list(itertools.combinations(family.values(), 2))
    if pairs and all(a.frame.rings != b.frame.rings for a, b in pairs):
        cues.append("ring count")
    if pairs and all(a.shape != b.shape for a, b in pairs):
        cues.append("shape")
    return FamilyReport(tuple(distinctions), tuple(cues))


__all__ = [
    "AWARD_PLACEHOLDERS",
    "DEFAULT_AWARD_MESSAGE",
    "TIERS",
    "Deficiency",
    "FamilyReport",
    "Finding",
    "MetaError",
    "award_preview",
    "check_award_message",
    "check_family",
    "contrast_checks",
    "design_findings",
    "make_family",
    "meta_problems",
]
