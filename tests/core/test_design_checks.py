"""The designer's checks: contrast with known ratios, metadata, award messages, tier families (no Qt)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.designer.checks import (
    BANNER_MINIMUM,
    DEFAULT_AWARD_MESSAGE,
    GLYPH_MINIMUM,
    SAMPLE_VALUES,
    Deficiency,
    award_preview,
    check_family,
    contrast_checks,
    design_findings,
    make_family,
    meta_problems,
)
from desktop.designer.colour import contrast_ratio, parse_colour
from desktop.designer.document import (
    BadgeMeta,
    Banner,
    Design,
    Emblem,
    EmblemKind,
    Fill,
    FillKind,
    Frame,
    Shape,
)
from desktop.designer.render import render
from desktop.placeholders import PlaceholderError

WHITE = parse_colour("#ffffff")
BLACK = parse_colour("#000000")


def banner_on(background: str, *, text: str = "Gold", colour: str = "#ffffff") -> Design:
    """White banner text on a band; no glyph, so only the banner is checked."""
    return Design(
        banner=Banner(text=text, colour=colour, background=background),
        emblem=Emblem(kind=EmblemKind.NONE),
    )


def glyph_on(fill: Fill, colour: str = "#ffffff") -> Design:
    return Design(fill=fill, emblem=Emblem(glyph="fa6s.star", colour=colour))


# --- contrast ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grey", "ratio"),
    # White on these greys, by the WCAG 2 formula (WebAIM shows 4.54, 4.48, 3.03 and 2.99:1).
    [("#767676", 4.542), ("#777777", 4.478), ("#949494", 3.033), ("#959595", 2.995)],
)
def test_the_reference_ratios(grey: str, ratio: float) -> None:
    assert contrast_ratio(WHITE, parse_colour(grey)) == pytest.approx(ratio, abs=0.0005)


@pytest.mark.parametrize(("band", "ratio", "passed"), [("#767676", 4.54, True), ("#777777", 4.48, False)])
def test_banner_text_needs_4_5_to_1_on_its_band(band: str, ratio: float, passed: bool) -> None:
    [check] = contrast_checks(banner_on(band))
    assert check.label == "Banner text"
    assert check.minimum == BANNER_MINIMUM == 4.5
    assert check.ratio == pytest.approx(ratio, abs=0.005)
    assert check.passed is passed
    assert ("needs at least 4.5:1" in check.text) is not passed


@pytest.mark.parametrize(("fill", "ratio", "passed"), [("#949494", 3.033, True), ("#959595", 2.995, False)])
def test_the_glyph_needs_3_to_1_on_the_fill(fill: str, ratio: float, passed: bool) -> None:
    [check] = contrast_checks(glyph_on(Fill(FillKind.SOLID, fill)))
    assert check.label == "Glyph"
    assert check.minimum == GLYPH_MINIMUM == 3.0
    assert check.ratio == pytest.approx(ratio, abs=0.0005)
    assert check.passed is passed
    assert ("needs at least 3:1" in check.text) is not passed


def test_a_solid_fill_ignores_its_unused_second_colour() -> None:
    [check] = contrast_checks(glyph_on(Fill(FillKind.SOLID, "#000000", colour2="#ffffff")))
    assert check.ratio == pytest.approx(21.0)


def test_without_a_band_the_banner_text_is_checked_on_the_fill() -> None:
    on_band = replace(banner_on("#000000"), fill=Fill(FillKind.SOLID, "#777777"))
    assert contrast_checks(on_band)[0].ratio == pytest.approx(21.0)

    band_off = replace(on_band, banner=replace(on_band.banner, background=""))
    [check] = contrast_checks(band_off)
    assert check.ratio == pytest.approx(4.478, abs=0.0005)
    assert not check.passed


def test_a_gradient_counts_its_worst_stop() -> None:
    # White text: the light stop is the worst.
    design = replace(banner_on(""), fill=Fill(FillKind.LINEAR, "#000000", "#777777"))
    [check] = contrast_checks(design)
    assert check.ratio == pytest.approx(4.48, abs=0.005)
    reversed_stops = replace(design, fill=Fill(FillKind.RADIAL, "#777777", "#000000"))
    assert contrast_checks(reversed_stops)[0].ratio == pytest.approx(4.48, abs=0.005)


def test_a_gradient_counts_its_midpoint_where_it_dips() -> None:
    # Red to teal: black text passes on both stops, but the sRGB middle (#805858) is darker.
    stops = ("#ff0000", "#00b0b0")
    assert contrast_ratio(BLACK, parse_colour(stops[0])) >= 4.5
    assert contrast_ratio(BLACK, parse_colour(stops[1])) >= 4.5
    design = replace(banner_on("", colour="#000000"), fill=Fill(FillKind.LINEAR, *stops))

    [check] = contrast_checks(design)

    assert check.ratio == pytest.approx(contrast_ratio(BLACK, parse_colour("#805858")))
    assert check.ratio < 4.5 and not check.passed


def test_the_glyph_check_counts_the_midpoint_too() -> None:
    # Both stops pass 3:1 for a black glyph; the middle #705050 does not.
    design = glyph_on(Fill(FillKind.LINEAR, "#e00000", "#00a0a0"), colour="#000000")
    [check] = contrast_checks(design)
    assert check.ratio == pytest.approx(contrast_ratio(BLACK, parse_colour("#705050")))
    assert not check.passed


def test_only_what_is_drawn_is_checked() -> None:
    assert contrast_checks(Design(emblem=Emblem(kind=EmblemKind.NONE))) == []
    assert [c.label for c in contrast_checks(Design())] == ["Glyph"]  # no banner text
    both = Design(banner=Banner(text="Gold"))
    assert [c.label for c in contrast_checks(both)] == ["Banner text", "Glyph"]


def test_findings_list_contrast_and_banner_fit() -> None:
    design = banner_on("#777777", text="Supercalifragilisticexpialidocious" * 2)  # 68 letters
    design = replace(design, banner=replace(design.banner, text=design.banner.text[:60]))
    findings = design_findings(design, render(design))
    assert [f.ok for f in findings] == [False, False]
    assert "4.4:1" in findings[0].text  # 4.48 is shown rounded down, never as a pass
    assert "Shorten it" in findings[1].text

    fine = banner_on("#222222", text="Gold")
    assert [(f.ok, f.text) for f in design_findings(fine, render(fine))][-1] == (
        True,
        "Banner text fits on one line.",
    )


# --- metadata and award messages ---------------------------------------------------------------


def test_title_and_description_are_required_by_field() -> None:
    problems = meta_problems(BadgeMeta(title="  ", description=""))
    assert [p.field for p in problems] == ["title", "description"]
    assert "title" in str(problems[0]) and "description" in str(problems[1])
    assert meta_problems(BadgeMeta("Gold", "For the best.")) == []


def test_overlong_title_and_description_are_reported() -> None:
    problems = meta_problems(BadgeMeta("x" * 121, "y" * 4001))
    assert [p.field for p in problems] == ["title", "description"]
    assert "121 characters" in str(problems[0])


def test_an_unknown_placeholder_is_named() -> None:
    [problem] = meta_problems(BadgeMeta("Gold", "Best", award_message="Well done {membr}!"))
    assert problem.field == "award_message"
    assert "{membr}" in str(problem)
    assert "{member}" in str(problem)  # and the choices are offered


@pytest.mark.parametrize(
    "message",
    [
        "{member} {badge} {community} {username} {date}",
        "Braces are written {{x}} and {member} is filled.",
        "No placeholders at all.",
        "",
    ],
)
def test_known_placeholders_and_doubled_braces_are_accepted(message: str) -> None:
    assert meta_problems(BadgeMeta("Gold", "Best", award_message=message)) == []


@pytest.mark.parametrize("message", ["Hi {member", "Hi {member.name}", "Hi {0}", "Hi {}"])
def test_malformed_placeholders_are_reported(message: str) -> None:
    [problem] = meta_problems(BadgeMeta("Gold", "Best", award_message=message))
    assert problem.field == "award_message"


def test_the_preview_fills_the_sample_member() -> None:
    meta = BadgeMeta(
        "Gold Star", "Best", award_message="{member} ({username}) got {badge} in {community} on {date}"
    )
    preview = award_preview(meta, DEFAULT_AWARD_MESSAGE, "Rust Club")
    assert preview == (
        f"{SAMPLE_VALUES['member']} ({SAMPLE_VALUES['username']}) got Gold Star in Rust Club"
        f" on {SAMPLE_VALUES['date']}"
    )
    assert "{" not in preview


def test_the_preview_falls_back_to_the_default_message() -> None:
    preview = award_preview(BadgeMeta("Gold Star"), "Well done {member}, {badge} is yours.", "")
    assert preview == f"Well done {SAMPLE_VALUES['member']}, Gold Star is yours."
    built_in = award_preview(BadgeMeta(""), DEFAULT_AWARD_MESSAGE, "")
    assert built_in == (
        f"Congratulations {SAMPLE_VALUES['member']}! You have been awarded the Untitled badge badge"
        " in your community."
    )


def test_the_preview_of_a_bad_message_raises() -> None:
    with pytest.raises(PlaceholderError, match="membr"):
        award_preview(BadgeMeta("Gold", award_message="Hi {membr}"), DEFAULT_AWARD_MESSAGE, "Club")


def test_literal_braces_in_values_stay_as_they_are() -> None:
    preview = award_preview(BadgeMeta("{member}", award_message="{badge} for {{you}}"), "", "Club")
    assert preview == "{member} for {you}"


# --- families ------------------------------------------------------------------------------------

BASES = {
    "band": Design(banner=Banner(text="Champion"), emblem=Emblem(glyph="fa6s.trophy")),
    "solid-shield": Design(
        shape=Shape.SHIELD,
        fill=Fill(FillKind.SOLID, "#222222"),
        banner=Banner(text="Mentor", colour="#000000", background="#eeeeee"),
        emblem=Emblem(glyph="fa6s.star", colour="#ffffff"),
    ),
    "no-banner": Design(fill=Fill(FillKind.RADIAL, "#ffffff", "#eeeeee"), emblem=Emblem(colour="#ffffff")),
    "dark-glyph": Design(emblem=Emblem(glyph="fa6s.star", colour="#000000"), frame=Frame(rings=0)),
}


@pytest.mark.parametrize("base", BASES.values(), ids=BASES.keys())
def test_a_ring_family_differs_by_colour_and_ring_count_and_stays_readable(base: Design) -> None:
    family = make_family(base, by="rings")

    assert list(family) == ["bronze", "silver", "gold"]
    tiers = list(family.values())
    assert [t.frame.rings for t in tiers] == [1, 2, 3]
    assert {t.shape for t in tiers} == {base.shape}
    assert {t.emblem.glyph for t in tiers} == {base.emblem.glyph}
    assert {t.banner.text for t in tiers} == {base.banner.text}
    assert len({(t.fill.colour, t.fill.colour2) for t in tiers}) == 3
    for tier in tiers:
        checks = contrast_checks(tier)
        assert len(checks) == (2 if tier.banner.text else 1)
        assert all(c.passed for c in checks), [(c.label, c.ratio) for c in checks]
        assert bool(tier.banner.background) == bool(base.banner.background)
    assert check_family(family).ok


@pytest.mark.parametrize("base", BASES.values(), ids=BASES.keys())
def test_a_shape_family_gives_each_tier_its_own_shape(base: Design) -> None:
    family = make_family(base, by="shape")
    tiers = list(family.values())
    assert len({t.shape for t in tiers}) == 3
    assert {t.frame.rings for t in tiers} == {base.frame.rings}
    assert {t.emblem.glyph for t in tiers} == {base.emblem.glyph}
    for tier in tiers:
        assert all(c.passed for c in contrast_checks(tier))
    report = check_family(family)
    assert report.ok
    assert report.shape_cues == ("shape",)


def test_a_family_of_two_tiers_and_bad_arguments() -> None:
    family = make_family(Design(), tiers=("bronze", "gold"))
    assert list(family) == ["bronze", "gold"]
    assert [t.frame.rings for t in family.values()] == [1, 2]
    with pytest.raises(ValueError, match="'rings' or 'shape'"):
        make_family(Design(), by="colour")
    with pytest.raises(ValueError, match="platinum"):
        make_family(Design(), tiers=("bronze", "platinum"))


def test_the_made_family_reports_ok_for_every_vision() -> None:
    report = check_family(make_family(BASES["band"]))
    assert report.ok
    assert report.shape_cues == ("ring count",)
    assert [d.deficiency for d in report.distinctions] == [None, *Deficiency]
    lines = report.lines()
    assert all(line.ok for line in lines)
    assert lines[-1].text == "Tiers also differ by ring count, which needs no colour."


def test_a_family_that_differs_only_by_colour_has_no_shape_cue() -> None:
    family = {name: replace(d, frame=replace(d.frame, rings=1)) for name, d in make_family(Design()).items()}
    report = check_family(family)
    assert report.shape_cues == ()
    assert not report.ok
    last = report.lines()[-1]
    assert not last.ok
    assert "only by colour" in last.text


def solid(colour: str) -> Design:
    return Design(fill=Fill(FillKind.SOLID, colour), frame=Frame(rings=1, colour="#ffffff"))


def test_red_and_green_tiers_look_alike_under_deuteranopia() -> None:
    report = check_family({"red": solid("#d62728"), "green": solid("#2ca02c")})
    by_vision = {d.deficiency: d for d in report.distinctions}

    assert by_vision[None].distinguishable
    assert not by_vision[Deficiency.DEUTERANOPIA].distinguishable
    assert by_vision[Deficiency.DEUTERANOPIA].worst_pair == ("red", "green")
    assert not report.ok
    deuteranopia = next(line for line in report.lines() if line.text.startswith("Deuteranopia"))
    assert not deuteranopia.ok
    assert "red and green look alike" in deuteranopia.text
    # Not "only their colours tell them apart": the colours are what looks alike.
    assert deuteranopia.text.endswith("nothing else tells them apart")


def test_a_colour_blind_clash_is_rescued_by_ring_count() -> None:
    family = {
        "red": solid("#d62728"),
        "green": replace(solid("#2ca02c"), frame=Frame(rings=2, colour="#ffffff")),
    }
    report = check_family(family)
    assert report.shape_cues == ("ring count",)
    assert not report.ok  # still flagged: colour alone does not tell them apart
    deuteranopia = next(line for line in report.lines() if line.text.startswith("Deuteranopia"))
    assert "only their ring count tells them apart" in deuteranopia.text


def test_a_cue_counts_only_when_every_tier_differs() -> None:
    family = make_family(Design())
    family["gold"] = replace(family["gold"], frame=replace(family["gold"].frame, rings=2))  # as silver
    assert check_family(family).shape_cues == ()
    family["gold"] = replace(family["gold"], shape=Shape.STAR)  # silver and bronze share a shape
    assert check_family(family).shape_cues == ()
