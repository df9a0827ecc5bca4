"""Banner text as path outlines: measuring, drawing and fitting into a box."""

from __future__ import annotations

import re

import pytest

from desktop.designer.text import ELLIPSIS, BannerLayout, Box, fit_banner, text_path, text_width
from desktop.resources import resource

BOX = Box(100, 400, 400, 60)
MAX_SIZE, MIN_SIZE = 48.0, 12.0
TOLERANCE = 0.006  # path numbers are rounded to 0.01


def points(path: str) -> list[tuple[float, float]]:
    """The (x, y) pairs of a path made of absolute M/L/Q/C/Z commands."""
    assert re.fullmatch(r"([MLQCZ]|-?\d+(\.\d+)?|\s)*", path), "unexpected path syntax"
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    assert len(numbers) % 2 == 0
    return list(zip(numbers[0::2], numbers[1::2], strict=True))


def fit(text: str, box: Box = BOX, preview_px: int = 128) -> BannerLayout:
    return fit_banner(
        text, box, max_size=MAX_SIZE, min_size=MIN_SIZE, readable_size=28, preview_px=preview_px
    )


def assert_inside(path: str, box: Box, tolerance: float = TOLERANCE) -> None:
    for x, y in points(path):
        assert box.x - tolerance <= x <= box.right + tolerance, (x, box)
        assert box.y - tolerance <= y <= box.bottom + tolerance, (y, box)


def test_resource_finds_the_banner_font_and_names_a_missing_file() -> None:
    assert resource("fonts", "DejaVuSansCondensed-Bold.ttf").is_file()
    with pytest.raises(FileNotFoundError, match="no-such-file"):
        resource("fonts", "no-such-file.ttf")


def test_text_width_scales_linearly_with_size() -> None:
    assert text_width("Gold", 10) > 0
    assert text_width("Gold", 30) == pytest.approx(3 * text_width("Gold", 10))
    assert text_width("Gold Medal", 10) > text_width("Gold", 10)
    assert text_width("", 10) == 0


def test_text_path_draws_text_and_nothing_for_no_text() -> None:
    path = text_path("Gold", 20, x=10, baseline=50)
    assert path.startswith("M")
    assert len(points(path)) > 10
    assert text_path("", 20, x=10, baseline=50) == ""


def test_text_path_starts_at_x_and_sits_on_the_baseline() -> None:
    path = text_path("HH", 100, x=10, baseline=200)
    xs, ys = zip(*points(path), strict=True)
    assert 10 < min(xs) < 20  # H has a small left side bearing
    assert max(xs) <= 10 + text_width("HH", 100)
    assert max(ys) == pytest.approx(200, abs=TOLERANCE)  # H stands on the baseline
    moved = [v for point in points(text_path("HH", 100, x=60, baseline=150)) for v in point]
    expected = [v for x, y in points(path) for v in (x + 50, y - 50)]
    assert moved == pytest.approx(expected, abs=0.011)


def test_missing_characters_draw_as_the_same_box_and_do_not_crash() -> None:
    assert text_width("中", 10) == text_width("文", 10) > 0
    assert text_path("中", 10, 0, 0)


def test_a_short_word_gets_the_largest_size() -> None:
    layout = fit("Gold")
    assert layout.lines == ("Gold",)
    assert layout.size == MAX_SIZE
    assert not layout.truncated
    assert layout.warning is None
    assert BOX.contains(layout.bounds)


def test_whitespace_is_collapsed_and_empty_text_gives_nothing() -> None:
    assert fit("  Gold \n\t Star  ").lines == ("Gold Star",)
    for text in ("", "   \n"):
        layout = fit(text)
        assert layout.lines == ()
        assert layout.path == ""
        assert not layout.truncated
        assert layout.warning is None


def test_a_longer_phrase_shrinks_on_one_line_to_fill_the_width() -> None:
    layout = fit_banner("Community Champion", BOX, max_size=48, min_size=12, readable_size=20)
    assert layout.lines == ("Community Champion",)
    assert 20 < layout.size < 48
    assert layout.bounds.width == pytest.approx(BOX.width)
    assert BOX.contains(layout.bounds)


def test_a_long_phrase_wraps_to_two_lines_when_that_makes_it_larger() -> None:
    text = "Outstanding Community Contributor of the Year"
    box = Box(100, 380, 400, 100)
    one_line = fit_banner(text, box, max_size=48, min_size=4, readable_size=0)  # never wraps
    layout = fit_banner(text, box, max_size=48, min_size=4, readable_size=28)
    assert one_line.lines == (text,)
    assert len(layout.lines) == 2
    assert " ".join(layout.lines) == text
    assert layout.size > one_line.size * 1.3
    assert not layout.truncated
    assert box.contains(layout.bounds)
    # The break that keeps the longer line shortest.
    assert layout.lines == ("Outstanding Community", "Contributor of the Year")


def test_two_lines_are_each_centred_and_the_block_is_centred_on_cap_height() -> None:
    box = Box(0, 0, 300, 200)
    layout = fit_banner("HIH HHHHHIHHH", box, max_size=100, min_size=4, readable_size=1000)
    assert len(layout.lines) == 2
    xs, ys = zip(*points(layout.path), strict=True)
    # H and I are flat capitals: their ink is exactly the cap-height span of each line.
    assert (min(xs) + max(xs)) / 2 == pytest.approx(150, abs=1)
    assert (min(ys) + max(ys)) / 2 == pytest.approx(100, abs=0.02)
    first_line = [x for x, y in points(layout.path) if y < 100]
    assert (min(first_line) + max(first_line)) / 2 == pytest.approx(150, abs=2)


def test_absurdly_long_text_is_cut_short_at_the_smallest_size() -> None:
    text = " ".join(["word"] * 200)
    layout = fit(text)
    assert layout.truncated
    assert layout.size == MIN_SIZE
    assert layout.lines[-1].endswith(ELLIPSIS)
    assert len(" ".join(layout.lines)) < len(text)
    assert layout.warning is not None and ELLIPSIS in layout.warning
    assert BOX.contains(layout.bounds)
    assert_inside(layout.path, BOX)


def test_a_single_long_word_never_wraps() -> None:
    word = "Supercalifragilisticexpialidocious"
    shrunk = fit(word)
    assert shrunk.lines == (word,)
    assert MIN_SIZE < shrunk.size < MAX_SIZE
    cut = fit(word * 3)
    assert len(cut.lines) == 1
    assert cut.truncated
    assert cut.lines[0].endswith(ELLIPSIS)
    assert cut.size == MIN_SIZE
    assert BOX.contains(cut.bounds)


def test_small_text_warns_with_its_size_on_the_preview() -> None:
    layout = fit("Supercalifragilisticexpialidocious", preview_px=128)
    preview = layout.size * 128 / 600
    assert preview < 7
    assert layout.warning is not None
    assert f"{preview:.1f} px" in layout.warning
    assert "128 px" in layout.warning
    assert fit("Supercalifragilisticexpialidocious", preview_px=512).warning is None


VARIED = [
    "Gold",
    "MVP",
    "Zoë's Café",
    "Ångström Ærøskøbing",
    "ÉÇÀÔ Ǻ",
    "q̃ combining",
    "日本語のバッジ",
    "中文 Badge",
    "🏆 Champion 🏆",
    "👩\u200d💻 Developer",
    "Star\ufe0f",
    "Top Contributor 2024",
    "Outstanding Community Contributor of the Year",
    "Supercalifragilisticexpialidocious",
    "A",
    "i",
    ".",
    "___",
    "gjpqy",
    "ÀÉÎÕÜ gjpqy",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
    "a b",
    "Bug Hunter of the Month",
    "Первый вклад",
    "Ελληνικά γράμματα",
    "שלום עולם",
    "مرحبا بالعالم",
    "tab\tand\nnewline",
    " ".join(["Very long banner text"] * 12),
    "f" * 5 + "ƒ" * 5,
]
BOXES = [BOX, Box(50, 50, 500, 200), Box(10, 10, 80, 30), Box(200, 100, 40, 120)]


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("text", VARIED)
def test_text_never_leaves_its_box(text: str, box: Box) -> None:
    layout = fit_banner(text, box, max_size=48, min_size=10, readable_size=24)
    assert layout.size > 0
    assert box.contains(layout.bounds)
    assert layout.path
    # Cross-check the reported bounds against the numbers actually drawn.
    assert_inside(layout.path, layout.bounds)
    assert_inside(layout.path, box)
    if layout.warning is None:
        assert layout.size * 128 / 600 >= 7


def test_a_box_without_room_gives_no_text_and_says_so() -> None:
    layout = fit("Gold", Box(0, 0, 0, 40))
    assert layout.lines == ()
    assert layout.path == ""
    assert layout.warning
