from __future__ import annotations

import math

import pytest

from desktop.designer.colour import (
    DISTINGUISHABLE_DELTA_E,
    ColourError,
    ContrastCheck,
    Deficiency,
    Rgb,
    _ciede2000,
    _srgb_to_lab,
    check_contrast,
    contrast_ratio,
    delta_e,
    family_distinguishability,
    mix,
    parse_colour,
    relative_luminance,
    simulate,
    to_hex,
)

WHITE: Rgb = (255, 255, 255)
BLACK: Rgb = (0, 0, 0)
BRONZE = parse_colour("#cd7f32")
SILVER = parse_colour("#c0c0c0")
GOLD = parse_colour("#ffd700")


# --- parsing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rgb"),
    [
        ("#000000", (0, 0, 0)),
        ("#ffffff", (255, 255, 255)),
        ("#CD7F32", (205, 127, 50)),
        ("#abc", (0xAA, 0xBB, 0xCC)),
        ("  #FfD700\n", (255, 215, 0)),
    ],
)
def test_parse_colour(text: str, rgb: Rgb) -> None:
    assert parse_colour(text) == rgb


@pytest.mark.parametrize("hex_text", ["#000000", "#ffffff", "#cd7f32", "#0a0b0c", "#ffd700"])
def test_hex_round_trip(hex_text: str) -> None:
    assert to_hex(parse_colour(hex_text)) == hex_text
    assert to_hex(parse_colour(hex_text.upper())) == hex_text


@pytest.mark.parametrize(
    "text", ["", "#12", "red", "#gggggg", "cd7f32", "#1234", "#+12", "# 123", "#ffd7000"]
)
def test_parse_colour_rejects_non_colours_naming_the_value(text: str) -> None:
    with pytest.raises(ColourError) as raised:
        parse_colour(text)
    assert str(raised.value) == f"{text!r} is not a colour: use #rgb or #rrggbb"


def test_parse_colour_error_message_reads_well() -> None:
    with pytest.raises(ColourError, match=r"^'#12' is not a colour: use #rgb or #rrggbb$"):
        parse_colour("#12")
    # Callers that only know about ValueError still catch it.
    with pytest.raises(ValueError):
        parse_colour("red")


def test_to_hex_rejects_out_of_range_channels() -> None:
    with pytest.raises(ColourError, match=r"0\.\.255"):
        to_hex((256, 0, 0))
    with pytest.raises(ColourError):
        to_hex((0, -1, 0))


def test_mix() -> None:
    assert mix(BLACK, WHITE, 0) == BLACK
    assert mix(BLACK, WHITE, 1) == WHITE
    assert mix(BLACK, WHITE, 0.5) == (128, 128, 128)  # 127.5 rounds up, not to even
    assert mix((10, 200, 0), (20, 100, 255), 0.25) == (13, 175, 64)  # 12.5, 175, 63.75
    with pytest.raises(ValueError):
        mix(BLACK, WHITE, 1.5)


# --- WCAG contrast ---------------------------------------------------------------------------------


def test_relative_luminance_known_values() -> None:
    assert relative_luminance(WHITE) == pytest.approx(1.0)
    assert relative_luminance(BLACK) == 0.0
    assert relative_luminance((255, 0, 0)) == pytest.approx(0.2126)
    assert relative_luminance((0, 255, 0)) == pytest.approx(0.7152)
    assert relative_luminance((0, 0, 255)) == pytest.approx(0.0722)


# Expected ratios as the WebAIM contrast checker (webaim.org/resources/contrastchecker) reports them,
# to its two decimals; 21, 1, 4.5 and 7 are the WCAG 2.x figures themselves.
@pytest.mark.parametrize(
    ("foreground", "background", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),  # the classic "almost AA" grey
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#595959", "#ffffff", 7.0),  # the lightest grey that passes AAA on white
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.0),
        ("#808080", "#ffffff", 3.95),
    ],
)
def test_contrast_ratio_matches_wcag_checkers(foreground: str, background: str, ratio: float) -> None:
    fg, bg = parse_colour(foreground), parse_colour(background)
    assert contrast_ratio(fg, bg) == pytest.approx(ratio, abs=0.005)
    assert contrast_ratio(bg, fg) == contrast_ratio(fg, bg)


def test_the_aa_boundary_falls_between_777777_and_767676() -> None:
    assert not check_contrast("Banner text", parse_colour("#777777"), WHITE, 4.5).passed
    assert check_contrast("Banner text", parse_colour("#767676"), WHITE, 4.5).passed


def test_contrast_check_text() -> None:
    failing = ContrastCheck("Banner text", 3.2, 4.5)
    assert not failing.passed
    assert failing.text == "Banner text contrast 3.2:1 — needs at least 4.5:1"
    assert ContrastCheck("Banner text", 7.1, 4.5).text == "Banner text contrast 7.1:1 (AA)"
    assert ContrastCheck("Glyph", 3.0, 3).text == "Glyph contrast 3.0:1 (AA)"
    assert ContrastCheck("Glyph", 2.5, 3).text == "Glyph contrast 2.5:1 — needs at least 3:1"
    assert ContrastCheck("Body", 7.5, 7).text == "Body contrast 7.5:1 (AAA)"


def test_a_failing_ratio_never_displays_as_its_minimum() -> None:
    check = check_contrast("Banner text", parse_colour("#777777"), WHITE, 4.5)
    assert check.text == "Banner text contrast 4.4:1 — needs at least 4.5:1"
    assert check_contrast("Banner text", BLACK, WHITE, 4.5).text == "Banner text contrast 21.0:1 (AA)"


def test_check_contrast_on_a_gradient_counts_the_worst_stop() -> None:
    stops = [parse_colour("#222222"), BRONZE, parse_colour("#ffffff")]
    check = check_contrast("Banner text", WHITE, stops, 4.5)
    assert check.ratio == pytest.approx(1.0)
    assert not check.passed
    dark_stops = (parse_colour("#222222"), parse_colour("#444444"))
    worst = contrast_ratio(WHITE, parse_colour("#444444"))
    assert check_contrast("Glyph", WHITE, dark_stops, 3).ratio == pytest.approx(worst)
    assert check_contrast("Glyph", WHITE, BRONZE, 3).ratio == pytest.approx(contrast_ratio(WHITE, BRONZE))
    with pytest.raises(ValueError, match="Glyph"):
        check_contrast("Glyph", WHITE, [], 3)


# --- CIEDE2000 -------------------------------------------------------------------------------------

# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
# supplementary test data, and mathematical observations", Table 1 (pair number first). Checked
# against the copy of the table in colour-science 0.4.7's test suite. Pair 14 is left out: its two
# hues are exactly 180° apart, where the formula's mean hue jumps and the result depends on the
# last bit of atan2 (colour-science skips it for the same reason).
SHARMA_2005 = [
    (1, (50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    (2, (50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    (3, (50.0, 2.8361, -74.0200), (50.0, 0.0, -82.7485), 3.4412),
    (4, (50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
    (5, (50.0, -1.1848, -84.8006), (50.0, 0.0, -82.7485), 1.0000),
    (6, (50.0, -0.9009, -85.5211), (50.0, 0.0, -82.7485), 1.0000),
    (7, (50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    (8, (50.0, -1.0, 2.0), (50.0, 0.0, 0.0), 2.3669),
    (9, (50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    (10, (50.0, 2.49, -0.001), (50.0, -2.49, 0.0010), 7.1792),
    (11, (50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
    (12, (50.0, 2.49, -0.001), (50.0, -2.49, 0.0012), 7.2195),
    (13, (50.0, -0.001, 2.49), (50.0, 0.0009, -2.49), 4.8045),
    (15, (50.0, -0.001, 2.49), (50.0, 0.0011, -2.49), 4.7461),
    (16, (50.0, 2.5, 0.0), (50.0, 0.0, -2.5), 4.3065),
    (17, (50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    (18, (50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    (19, (50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    (20, (50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    (21, (50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0000),
    (22, (50.0, 2.5, 0.0), (50.0, 3.2972, 0.0), 1.0000),
    (23, (50.0, 2.5, 0.0), (50.0, 1.8634, 0.5757), 1.0000),
    (24, (50.0, 2.5, 0.0), (50.0, 3.2592, 0.3350), 1.0000),
    (25, (60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    (26, (63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    (27, (61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    (28, (35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    (29, (22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    (30, (36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    (31, (90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    (32, (90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    (33, (6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    (34, (2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [case[1:] for case in SHARMA_2005],
    ids=[f"pair{case[0]}" for case in SHARMA_2005],
)
def test_ciede2000_matches_sharma_wu_dalal(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float], expected: float
) -> None:
    assert _ciede2000(lab1, lab2) == pytest.approx(expected, abs=5e-5)
    assert _ciede2000(lab2, lab1) == pytest.approx(expected, abs=5e-5)


def test_srgb_to_lab_known_values() -> None:
    assert _srgb_to_lab(WHITE) == pytest.approx((100.0, 0.0, 0.0), abs=1e-9)
    assert _srgb_to_lab(BLACK) == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)
    # Neutral greys have no chroma at all.
    _, a, b = _srgb_to_lab((119, 119, 119))
    assert (a, b) == pytest.approx((0.0, 0.0), abs=1e-9)
    # Widely published CIELAB of sRGB red and blue (D65).
    assert _srgb_to_lab((255, 0, 0)) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)
    assert _srgb_to_lab((0, 0, 255)) == pytest.approx((32.30, 79.19, -107.86), abs=0.05)


def test_delta_e_between_srgb_colours() -> None:
    assert delta_e(BRONZE, BRONZE) == 0.0
    # colour-science 0.4.7, delta_E(method="CIE 2000") on its own sRGB -> Lab conversion.
    assert delta_e(BRONZE, SILVER) == pytest.approx(28.694, abs=0.01)
    assert delta_e(parse_colour("#d62728"), parse_colour("#2ca02c")) == pytest.approx(71.83, abs=0.01)
    assert delta_e(BLACK, WHITE) == pytest.approx(100.0)
    assert delta_e(GOLD, SILVER) == pytest.approx(delta_e(SILVER, GOLD))


# --- colour-vision-deficiency simulation -----------------------------------------------------------

# From colorspacious 1.1.2 (an independent implementation of Machado et al. 2009):
# cspace_convert(rgb / 255, {"name": "sRGB1+CVD", "cvd_type": <deuter|prot|trit>anomaly, "severity": 100},
# "sRGB1"), clipped to 0..1 and scaled to 0..255. Our results may differ by 1 from rounding.
COLORSPACIOUS_CVD = [
    ((255, 0, 0), Deficiency.DEUTERANOPIA, (163.22, 144.28, 0.0)),
    ((255, 0, 0), Deficiency.PROTANOPIA, (108.79, 95.03, 0.0)),
    ((255, 0, 0), Deficiency.TRITANOPIA, (255.0, 0.0, 14.89)),
    ((0, 255, 0), Deficiency.DEUTERANOPIA, (238.69, 214.01, 58.44)),
    ((0, 255, 0), Deficiency.PROTANOPIA, (255.0, 229.35, 0.0)),
    ((0, 255, 0), Deficiency.TRITANOPIA, (0.0, 247.08, 216.65)),
    ((205, 127, 50), Deficiency.DEUTERANOPIA, (169.55, 152.27, 50.75)),
    ((205, 127, 50), Deficiency.PROTANOPIA, (151.08, 134.40, 39.74)),
    ((205, 127, 50), Deficiency.TRITANOPIA, (223.88, 109.49, 111.12)),
    ((255, 215, 0), Deficiency.TRITANOPIA, (255.0, 196.33, 183.18)),
]


@pytest.mark.parametrize(("rgb", "deficiency", "expected"), COLORSPACIOUS_CVD)
def test_simulate_matches_colorspacious(
    rgb: Rgb, deficiency: Deficiency, expected: tuple[float, float, float]
) -> None:
    simulated = simulate(rgb, deficiency)
    for got, want in zip(simulated, expected, strict=True):
        assert abs(got - want) <= 1, (simulated, expected)


@pytest.mark.parametrize("deficiency", list(Deficiency))
@pytest.mark.parametrize("grey", [0, 1, 64, 119, 128, 192, 254, 255])
def test_simulate_leaves_greys_alone(deficiency: Deficiency, grey: int) -> None:
    for got in simulate((grey, grey, grey), deficiency):
        assert abs(got - grey) <= 1


def test_deficiency_labels() -> None:
    assert Deficiency.DEUTERANOPIA.label == "Deuteranopia (no green cones)"
    assert Deficiency.PROTANOPIA.label == "Protanopia (no red cones)"
    assert Deficiency.TRITANOPIA.label == "Tritanopia (no blue cones)"
    assert Deficiency("tritanopia") is Deficiency.TRITANOPIA


# --- badge families --------------------------------------------------------------------------------


def _by_vision(tiers: dict[str, list[Rgb]]) -> dict[Deficiency | None, tuple[tuple[str, str], float, bool]]:
    results = family_distinguishability(tiers)
    assert [r.deficiency for r in results] == [None, *Deficiency]
    return {r.deficiency: (r.worst_pair, r.worst_delta_e, r.distinguishable) for r in results}


def test_threshold_is_a_clear_difference() -> None:
    assert 5 <= DISTINGUISHABLE_DELTA_E <= 20


def test_bronze_silver_gold_stay_distinct_for_everyone() -> None:
    # The classic metals differ in lightness as well as hue, so no deficiency merges them.
    seen = _by_vision({"bronze": [BRONZE], "silver": [SILVER], "gold": [GOLD]})
    assert seen[None][0] == ("bronze", "gold")
    assert seen[None][1] == pytest.approx(28.66, abs=0.05)
    assert seen[Deficiency.DEUTERANOPIA][0] == ("bronze", "gold")
    assert seen[Deficiency.DEUTERANOPIA][1] == pytest.approx(20.18, abs=0.05)
    assert seen[Deficiency.PROTANOPIA][0] == ("bronze", "gold")
    assert seen[Deficiency.PROTANOPIA][1] == pytest.approx(23.73, abs=0.05)
    # Without blue cones gold's yellow turns pinkish-light and moves towards silver.
    assert seen[Deficiency.TRITANOPIA][0] == ("silver", "gold")
    assert seen[Deficiency.TRITANOPIA][1] == pytest.approx(19.02, abs=0.05)
    assert all(distinguishable for _, _, distinguishable in seen.values())
    # Every deficiency brings the worst pair closer than typical vision sees it.
    assert all(seen[d][1] < seen[None][1] for d in Deficiency)


def test_red_and_green_tiers_merge_for_deuteranopes() -> None:
    seen = _by_vision({"red": [parse_colour("#d62728")], "green": [parse_colour("#2ca02c")]})
    assert seen[None][2] is True
    assert seen[None][1] > 50
    assert seen[Deficiency.DEUTERANOPIA][0] == ("red", "green")
    assert seen[Deficiency.DEUTERANOPIA][1] < 6
    assert seen[Deficiency.DEUTERANOPIA][2] is False
    # Tritanopes keep red and green apart.
    assert seen[Deficiency.TRITANOPIA][2] is True


def test_threshold_argument_decides() -> None:
    tiers = {"bronze": [BRONZE], "silver": [SILVER], "gold": [GOLD]}
    assert all(r.distinguishable for r in family_distinguishability(tiers, threshold=15))
    assert not any(r.distinguishable for r in family_distinguishability(tiers, threshold=35))


def test_a_single_tier_cannot_be_confused() -> None:
    for family in ({"gold": [GOLD, SILVER]}, {}):
        results = family_distinguishability(family)
        assert len(results) == 4
        for r in results:
            assert r.worst_pair == ("", "")
            assert r.worst_delta_e == math.inf
            assert r.distinguishable


def test_one_clearly_different_colour_tells_tiers_apart() -> None:
    # Same fill, different ring: the ring alone is enough.
    seen = _by_vision({"plain": [GOLD, GOLD], "ringed": [GOLD, BLACK]})
    assert seen[None][1] == pytest.approx(delta_e(GOLD, BLACK))
    # Corresponding colours are compared in order, not as sets.
    swapped = _by_vision({"a": [GOLD, BLACK], "b": [BLACK, GOLD]})
    assert swapped[None][1] == pytest.approx(delta_e(GOLD, BLACK))


def test_mismatched_lengths_compare_each_colour_with_its_nearest() -> None:
    # An extra stop repeating a colour the other tier has is no difference...
    same = _by_vision({"two-stop": [GOLD, GOLD], "flat": [GOLD]})
    assert same[None][1] == 0.0
    assert same[None][2] is False
    # ...but an extra stop of a new colour is, whichever position it has (a zip would drop it).
    extra = _by_vision({"flat": [GOLD], "banded": [GOLD, BLACK]})
    assert extra[None][1] == pytest.approx(delta_e(GOLD, BLACK))
    nearest = _by_vision({"flat": [SILVER], "banded": [GOLD, parse_colour("#c8c8c8"), BRONZE]})
    assert nearest[None][1] == pytest.approx(max(delta_e(GOLD, SILVER), delta_e(BRONZE, SILVER)))


def test_a_tier_without_colours_is_an_error() -> None:
    with pytest.raises(ValueError, match="'gold'"):
        family_distinguishability({"bronze": [BRONZE], "gold": []})
