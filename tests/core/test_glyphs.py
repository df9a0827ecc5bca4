"""qtawesome's icon fonts as path outlines, without importing qtawesome or Qt."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

from desktop.designer.glyphs import (
    GlyphError,
    glyph_exists,
    glyph_outline,
    glyph_path,
    icon_sets,
    search,
)
from desktop.designer.text import Box

PREFIXES = ["fa5", "fa5s", "fa5b", "fa6", "fa6s", "fa6b", "ei", "mdi", "mdi6", "ph", "ri", "msc"]


def numbers(path: str) -> list[float]:
    assert re.fullmatch(r"([MLQCZ]|-?\d+(\.\d+)?|\s)*", path), "unexpected path syntax"
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


def test_icon_sets_are_qtawesomes_twelve_with_glyphs() -> None:
    sets = icon_sets()
    assert [s.prefix for s in sets] == PREFIXES
    assert all(s.count > 0 for s in sets)
    assert {s.prefix: s.label for s in sets}["fa6s"] == "Font Awesome 6 Solid"
    assert sum(s.count for s in sets) > 20_000


def test_search_puts_an_exact_name_first() -> None:
    results = search("trophy")
    assert results[0].partition(".")[2] == "trophy"
    assert results[0] == "fa6s.trophy"
    assert all("trophy" in name for name in results)
    assert search("TROPHY") == results


def test_search_needs_every_word_in_any_order() -> None:
    assert search("graduation cap")[0] == "fa6s.graduation-cap"
    assert "fa6s.graduation-cap" in search("cap graduation")
    assert all("graduation" in n and "cap" in n for n in search("cap graduation"))
    assert search("xyzzy nothing") == []


def test_search_ranks_exact_then_prefix_then_substring() -> None:
    results = search("star", limit=5000)
    icons = [name.partition(".")[2] for name in results]
    tiers = [0 if icon == "star" else 1 if icon.startswith("star") else 2 for icon in icons]
    assert tiers == sorted(tiers)
    assert tiers.count(0) > 3 and tiers.count(2) > 3
    assert len(search("star", limit=7)) == 7


def test_search_can_be_limited_to_some_sets() -> None:
    results = search("trophy", prefixes=["ph", "ri"])
    assert results
    assert all(name.split(".")[0] in ("ph", "ri") for name in results)
    with pytest.raises(GlyphError, match="fa6s"):
        search("trophy", prefixes=["nope"])


def test_empty_query_gives_a_stable_page_of_badge_glyphs() -> None:
    page = search("")
    assert page == search("   ")
    assert page[:3] == ["fa6s.trophy", "fa6s.medal", "fa6s.award"]
    assert len(page) == 200
    assert len(set(page)) == len(page)
    assert all(glyph_exists(name) for name in page)
    mdi = search("", limit=10, prefixes=["mdi"])
    assert len(mdi) == 10
    assert all(name.startswith("mdi.") for name in mdi)


def test_glyph_outline_lies_in_the_unit_square() -> None:
    outline = glyph_outline("fa6s.trophy")
    assert outline.name == "fa6s.trophy"
    values = numbers(outline.path)
    assert len(values) > 20
    assert all(-0.01 <= v <= 1.01 for v in values)
    # The ink fills the square one way and is centred the other.
    assert max(outline.bounds.width, outline.bounds.height) == pytest.approx(1)
    assert outline.bounds.x + outline.bounds.right == pytest.approx(1)
    assert outline.bounds.y + outline.bounds.bottom == pytest.approx(1)
    xs, ys = values[0::2], values[1::2]
    assert min(xs) == pytest.approx(outline.bounds.x, abs=1e-3)
    assert max(ys) == pytest.approx(outline.bounds.bottom, abs=1e-3)
    assert glyph_outline("fa6s.trophy") is outline


def test_glyph_outlines_point_down_like_svg() -> None:
    # The arrow's head, its widest part, is in the lower half: larger y in SVG coordinates.
    values = numbers(glyph_outline("fa6s.arrow-down").path)
    points = list(zip(values[0::2], values[1::2], strict=True))
    leftmost, rightmost = min(points), max(points)
    assert leftmost[1] > 0.5 and rightmost[1] > 0.5
    tip = max(points, key=lambda p: p[1])
    assert tip == pytest.approx((0.5, 1.0), abs=0.05)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_set_draws(prefix: str) -> None:
    name = search("", limit=1, prefixes=[prefix])[0]
    assert glyph_exists(name)
    outline = glyph_outline(name)
    assert all(-0.01 <= v <= 1.01 for v in numbers(outline.path))


def test_glyph_path_fits_and_centres_the_glyph_in_a_box() -> None:
    box = Box(100, 50, 300, 100)
    values = numbers(glyph_path("fa6s.trophy", box))
    xs, ys = values[0::2], values[1::2]
    assert min(xs) >= 100 + 100 - 0.01 and max(xs) <= 300 + 0.01  # a 100×100 square in the middle
    assert min(ys) >= 50 - 0.01 and max(ys) <= 150 + 0.01
    assert (min(xs) + max(xs)) / 2 == pytest.approx(250, abs=0.01)


def test_glyph_exists() -> None:
    assert glyph_exists("fa6s.trophy")
    assert glyph_exists("mdi6.trophy-award")
    assert not glyph_exists("fa6s.trophyy")
    assert not glyph_exists("xx.trophy")
    assert not glyph_exists("trophy")


def test_unknown_glyph_suggests_a_close_name() -> None:
    with pytest.raises(GlyphError, match=r"fa6s\.trophyy.*Font Awesome 6 Solid.*did you mean fa6s\.trophy\?"):
        glyph_outline("fa6s.trophyy")
    with pytest.raises(LookupError):
        glyph_outline("fa6s.zzzzzzzzzzzzzzzz")


def test_unknown_prefix_lists_the_sets() -> None:
    with pytest.raises(GlyphError, match=r"fa5s, fa5b.*mdi6") as error:
        glyph_outline("fa7s.trophy")
    assert "fa7s" in str(error.value)
    with pytest.raises(GlyphError, match=r"fa6s\.trophy"):
        glyph_outline("trophy")


def run_fresh(code: str) -> dict[str, object]:
    """Runs ``code`` in a new interpreter (empty caches, nothing imported) and returns its JSON output."""
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True, timeout=120
    )
    result: dict[str, object] = json.loads(completed.stdout)
    return result


def test_using_the_glyphs_imports_neither_qtawesome_nor_qt() -> None:
    result = run_fresh(
        """
        import json, sys
        import desktop.designer.glyphs as glyphs
        glyphs.icon_sets()
        glyphs.search("trophy")
        glyphs.glyph_outline("fa6s.trophy")
        loaded = [m for m in sys.modules if m.split(".")[0] in ("qtawesome", "PySide6", "shiboken6", "qtpy")]
        print(json.dumps({"loaded": loaded}))
        """
    )
    assert result == {"loaded": []}


def test_outlines_from_many_threads_at_once_match_one_thread() -> None:
    result = run_fresh(
        """
        import json
        from concurrent.futures import ThreadPoolExecutor
        from desktop.designer import glyphs, text

        names = ["fa6s.trophy", "mdi6.medal", "ph.crown", "ri.award-fill", "fa6s.star", "ei.star"] * 4
        def work(name):
            return glyphs.glyph_outline(name).path, text.fit_banner(
                name, text.Box(0, 0, 200, 40), max_size=30, min_size=8, readable_size=16
            ).path
        with ThreadPoolExecutor(8) as pool:
            parallel = list(pool.map(work, names))
        glyphs._glyph_outline.cache_clear()
        glyphs._outline.cache_clear()
        text._fit.cache_clear()
        serial = [work(name) for name in names]
        print(json.dumps({"same": parallel == serial, "drawn": all(p and t for p, t in serial)}))
        """
    )
    assert result == {"same": True, "drawn": True}
