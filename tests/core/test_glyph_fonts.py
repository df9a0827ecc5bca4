"""The glyph layer finds qtawesome's fonts from its fonts/ folder alone, as in a frozen app (no source)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.designer import glyphs


def qtawesome_folder() -> Path:
    spec = importlib.util.find_spec("qtawesome")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations)))


@pytest.fixture()
def fresh_index(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The index and fonts are loaded again inside the test, and the cached ones restored after."""
    monkeypatch.setattr(glyphs, "_index_cache", None)
    monkeypatch.setattr(glyphs, "_fonts", {})
    glyphs._outline.cache_clear()
    glyphs._glyph_outline.cache_clear()
    yield
    glyphs._outline.cache_clear()
    glyphs._glyph_outline.cache_clear()


def test_the_fonts_are_those_qtawesome_lists_in_its_source() -> None:
    # qtawesome's own list (its source exists here, not in a frozen app): the same prefixes, files, order.
    package = qtawesome_folder()
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    listed = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "_BUNDLED_FONTS" for t in node.targets)
    )
    found = [(f.prefix, f.ttf.name, f.charmap.name) for f in glyphs._qtawesome_fonts()]
    assert found == [tuple(entry) for entry in listed]


def test_without_qtawesomes_source_the_same_glyphs_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_index: None
) -> None:
    before = ([(s.prefix, s.count) for s in glyphs.icon_sets()], glyphs.search("trophy"))
    trophy = glyphs.glyph_outline("fa6s.trophy")
    # A qtawesome as a bundle has it: its fonts, and no source to read a list from.
    bare = tmp_path / "site" / "qtawesome"
    (bare / "fonts").mkdir(parents=True)
    (bare / "__init__.py").write_text("", encoding="utf-8")
    for item in (qtawesome_folder() / "fonts").iterdir():
        (bare / "fonts" / item.name).symlink_to(item)
    # A newer release of a font is taken over the older (1.10 is newer than 1.3).
    (bare / "fonts" / "phosphor-charmap-1.10.0.json").symlink_to(
        bare / "fonts" / "phosphor-charmap-1.3.0.json"
    )
    (bare / "fonts" / "phosphor-1.10.0.ttf").symlink_to(bare / "fonts" / "phosphor-1.3.0.ttf")
    monkeypatch.delitem(sys.modules, "qtawesome", raising=False)
    monkeypatch.syspath_prepend(str(bare.parent))
    monkeypatch.setattr(glyphs, "_index_cache", None)
    monkeypatch.setattr(glyphs, "_fonts", {})
    glyphs._outline.cache_clear()
    glyphs._glyph_outline.cache_clear()

    assert glyphs._fonts_folder() == bare / "fonts"
    assert {f.prefix: f.ttf.name for f in glyphs._qtawesome_fonts()}["ph"] == "phosphor-1.10.0.ttf"
    assert ([(s.prefix, s.count) for s in glyphs.icon_sets()], glyphs.search("trophy")) == before
    assert glyphs.glyph_outline("fa6s.trophy") == trophy


def test_a_qtawesome_without_fonts_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_index: None
) -> None:
    bare = tmp_path / "site" / "qtawesome"
    (bare / "fonts").mkdir(parents=True)
    (bare / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "qtawesome", raising=False)
    monkeypatch.syspath_prepend(str(bare.parent))
    with pytest.raises(glyphs.GlyphError, match="Cannot find the icon fonts in"):
        glyphs.icon_sets()
