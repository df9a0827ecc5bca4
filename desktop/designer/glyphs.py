"""The icon fonts that ship with qtawesome, as SVG path outlines, without Qt.

Importing qtawesome imports Qt, so its package directory is only located (``find_spec`` of a top-level
package does not run it) and the fonts and charmaps of its ``fonts/`` folder are read with fontTools and
json. Names are qtawesome's, ``"<prefix>.<icon>"`` such as ``"fa6s.trophy"``.

Any thread may call these functions: charmaps, fonts and the search index load once under a lock, and
outlines are cached.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib.util
import itertools
import json
import logging
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

from desktop.designer.text import Box, Outline, read_outline
from desktop.i18n import _

# Product names: not translated.
_LABELS = {
    "fa5": "Font Awesome 5 Regular",
    "fa5s": "Font Awesome 5 Solid",
    "fa5b": "Font Awesome 5 Brands",
    "fa6": "Font Awesome 6 Regular",
    "fa6s": "Font Awesome 6 Solid",
    "fa6b": "Font Awesome 6 Brands",
    "ei": "Elusive Icons",
    "mdi": "Material Design Icons 5",
    "mdi6": "Material Design Icons 6",
    "ph": "Phosphor",
    "ri": "Remix Icon",
    "msc": "Codicons",
}
# Equal matches list the newest, most badge-like sets first.
_PREFERENCE = ("fa6s", "fa6", "mdi6", "ph", "ri", "fa6b", "fa5s", "fa5", "fa5b", "mdi", "ei", "msc")
_DECIMALS = 4  # the unit square is scaled up to hundreds of canvas units

# The empty query's page: glyphs that make good badges. Names the installed qtawesome lacks are skipped.
_BADGE_GLYPHS = (
    "fa6s.trophy",
    "fa6s.medal",
    "fa6s.award",
    "fa6s.star",
    "fa6s.crown",
    "fa6s.certificate",
    "fa6s.shield-halved",
    "fa6s.heart",
    "fa6s.rocket",
    "fa6s.graduation-cap",
    "fa6s.gem",
    "fa6s.fire",
    "fa6s.bolt",
    "fa6s.flag-checkered",
    "fa6s.thumbs-up",
    "fa6s.hand-holding-heart",
    "fa6s.handshake",
    "fa6s.lightbulb",
    "fa6s.code",
    "fa6s.book-open",
    "fa6s.pen-nib",
    "fa6s.palette",
    "fa6s.music",
    "fa6s.camera",
    "fa6s.globe",
    "fa6s.leaf",
    "fa6s.seedling",
    "fa6s.mountain",
    "fa6s.bullseye",
    "fa6s.puzzle-piece",
    "fa6s.users",
    "fa6s.user-graduate",
    "fa6s.comments",
    "fa6s.bug",
    "fa6s.wrench",
    "fa6s.circle-check",
    "fa6s.ribbon",
    "fa6s.cake-candles",
    "fa6s.gift",
    "fa6s.hourglass-half",
    "fa6s.calendar-check",
    "fa6s.infinity",
    "fa6s.feather",
    "fa6s.dragon",
    "fa6s.chess-knight",
    "fa6s.dumbbell",
    "fa6s.person-running",
    "fa6s.sun",
    "fa6s.moon",
    "fa6s.snowflake",
    "fa6s.paw",
    "fa6s.anchor",
    "fa6s.compass",
    "fa6s.key",
    "fa6s.hands-clapping",
    "fa6s.face-smile",
    "fa6s.brain",
    "fa6s.microscope",
    "fa6s.flask",
    "fa6s.atom",
    "fa6s.terminal",
    "fa6s.language",
    "fa6s.dove",
    "fa6s.heart-pulse",
    "fa6s.people-group",
    "mdi6.trophy-award",
    "mdi6.trophy-variant",
    "mdi6.medal-outline",
    "mdi6.seal",
    "mdi6.seal-variant",
    "mdi6.podium-gold",
    "mdi6.star-circle",
    "mdi6.shield-star",
    "mdi6.police-badge",
    "mdi6.check-decagram",
)


class GlyphError(LookupError):
    """A glyph name that names no glyph; the message suggests one."""


@dataclass(frozen=True)
class IconSet:
    """One of qtawesome's icon fonts."""

    prefix: str
    label: str
    count: int


@dataclass(frozen=True)
class GlyphOutline:
    """A glyph in the unit square: y down, its ink box scaled to fit (0,0)-(1,1), centred, aspect kept.

    Place it with ``translate(x y) scale(s)`` (or :func:`glyph_path`) to fill an s×s square at (x, y).
    """

    name: str
    path: str
    bounds: Box
    """The ink box inside the unit square: one side is 0 to 1, the other centred."""


@dataclass(frozen=True)
class _FontFiles:
    prefix: str
    ttf: Path
    charmap: Path


# qtawesome's prefix of each font it ships, by the font file's name without its version, in
# qtawesome's order: its fonts/ folder holds "<family>-<version>.ttf" and "<family>-charmap-<version>.json".
_FAMILIES = {
    "fa5": "fontawesome5-regular-webfont",
    "fa5s": "fontawesome5-solid-webfont",
    "fa5b": "fontawesome5-brands-webfont",
    "fa6": "fontawesome6-regular-webfont",
    "fa6s": "fontawesome6-solid-webfont",
    "fa6b": "fontawesome6-brands-webfont",
    "ei": "elusiveicons-webfont",
    "mdi": "materialdesignicons5-webfont",
    "mdi6": "materialdesignicons6-webfont",
    "ph": "phosphor",
    "ri": "remixicon",
    "msc": "codicon",
}
_CHARMAP = re.compile(r"(?P<family>.+)-charmap-(?P<version>[0-9][0-9.]*)\.json")


def _fonts_folder() -> Path:
    """qtawesome's bundled fonts, located without importing it (that would import Qt).

    ``find_spec`` of a top-level package does not run it; frozen (PyInstaller), the spec points into
    the bundle, where the fonts are collected as data.
    """
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise GlyphError(_("The icon sets come with qtawesome, which is not installed."))
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _qtawesome_fonts() -> list[_FontFiles]:
    """The prefixes and files of qtawesome's fonts, from its fonts/ folder: the charmaps and their fonts.

    Read from the font files' names, not from qtawesome's source (a frozen app has no source); a newer
    release of a font (a new version in its name) is followed.
    """
    folder = _fonts_folder()
    newest: dict[str, tuple[tuple[int, ...], Path, Path]] = {}
    try:
        names = sorted(item.name for item in folder.iterdir())
    except OSError as error:
        raise GlyphError(
            _("Cannot read qtawesome's icon fonts in {folder}: {problem}").format(
                folder=folder, problem=error
            )
        ) from None
    for name in names:
        found = _CHARMAP.fullmatch(name)
        if found is None:
            continue
        family, version = found["family"], found["version"]
        ttf = folder / f"{family}-{version}.ttf"
        if not ttf.is_file():
            continue
        key = _version_key(version)
        if family not in newest or key > newest[family][0]:
            newest[family] = (key, ttf, folder / name)
    fonts = [
        _FontFiles(prefix, newest[family][1], newest[family][2])
        for prefix, family in _FAMILIES.items()
        if family in newest
    ]
    if not fonts:
        unsupported = _("Cannot find the icon fonts in {folder}; is this qtawesome version supported?")
        raise GlyphError(unsupported.format(folder=folder))
    return fonts


@dataclass(frozen=True)
class _Index:
    files: dict[str, _FontFiles]
    charmaps: dict[str, dict[str, int]]  # prefix -> icon -> code point
    names: tuple[str, ...]  # "prefix.icon", in the order ties are listed
    lowered: tuple[str, ...]
    icons: tuple[str, ...]  # the lowered icon part of each name
    prefixes: tuple[str, ...]  # the prefix of each name
    by_set: tuple[str, ...]  # names by preferred set, then alphabetically: the empty query's filler


_lock = threading.RLock()  # re-entrant: loading a font may build the index
_index_cache: _Index | None = None
_fonts: dict[str, tuple[Any, dict[int, str]]] = {}  # prefix -> (glyph set, cmap)


def _index() -> _Index:
    global _index_cache
    if _index_cache is None:
        with _lock:
            if _index_cache is None:
                _index_cache = _build_index()
    return _index_cache


def _build_index() -> _Index:
    files = {f.prefix: f for f in _qtawesome_fonts()}
    charmaps = {}
    for prefix, f in files.items():
        raw = json.loads(f.charmap.read_text(encoding="utf-8"))
        charmaps[prefix] = {icon: int(code, 16) for icon, code in raw.items()}
    rank = {prefix: i for i, prefix in enumerate(_PREFERENCE)}
    entries = sorted(
        (len(icon), rank.get(prefix, len(rank)), icon, prefix)
        for prefix, charmap in charmaps.items()
        for icon in charmap
    )
    names = tuple(f"{prefix}.{icon}" for _length, _rank, icon, prefix in entries)
    by_set = sorted(entries, key=lambda entry: (entry[1], entry[2]))
    return _Index(
        files,
        charmaps,
        names,
        tuple(name.lower() for name in names),
        tuple(icon.lower() for _length, _rank, icon, _prefix in entries),
        tuple(prefix for _length, _rank, _icon, prefix in entries),
        tuple(f"{prefix}.{icon}" for _length, _rank, icon, prefix in by_set),
    )


def icon_sets() -> list[IconSet]:
    """The icon sets, in qtawesome's order."""
    index = _index()
    return [
        IconSet(prefix, _LABELS.get(prefix, prefix), len(index.charmaps[prefix])) for prefix in index.files
    ]


def _unknown_prefix(prefix: str) -> GlyphError:
    return GlyphError(
        _("No icon set '{prefix}'; the sets are {sets}.").format(
            prefix=prefix, sets=", ".join(_index().files)
        )
    )


def search(query: str, limit: int = 200, prefixes: Sequence[str] | None = None) -> list[str]:
    """Glyph names containing every word of ``query`` (case-insensitive), best first.

    An exact icon name first, then names starting with the query, then names where it starts a word,
    then the rest; ties go to the shorter name. An empty query gives a fixed page of badge-like glyphs.
    """
    index = _index()
    if prefixes is not None:
        for prefix in prefixes:
            if prefix not in index.files:
                raise _unknown_prefix(prefix)
    wanted = None if prefixes is None else set(prefixes)
    words = query.lower().split()
    if not words:
        return _first_page(index, limit, wanted)

    lowered, icons = index.lowered, index.icons
    # One pass per word, longest (rarest) first, is much faster than testing all words per name. A word
    # is looked for in the icon part, so that "e" does not match all of ei.*, unless it names a set
    # ("mdi6") or has a dot ("fa6s.tro").
    hits = list(range(len(lowered)))
    for word in sorted(words, key=len, reverse=True):
        names = lowered if "." in word or word in index.files else icons
        hits = [i for i in hits if word in names[i]]
    if wanted is not None:
        hits = [i for i in hits if index.prefixes[i] in wanted]
    joined, word_start = "-".join(words), "-" + "-".join(words)
    # "fa6s.tro" means the full name; "e" should not put all of ei.* first.
    full = query.strip().lower() if "." in query else None

    def tiers() -> Iterator[list[int]]:
        # Lazily, best first: a common query fills the page from the first tiers. Within a tier,
        # index order is the tie order.
        yield [i for i in hits if icons[i] == joined or lowered[i] == full]
        yield [i for i in hits if icons[i].startswith(joined) or (full and lowered[i].startswith(full))]
        yield [i for i in hits if word_start in icons[i]]
        yield hits

    ranked: list[int] = []
    seen: set[int] = set()
    for tier in tiers():
        for i in tier:
            if i not in seen:
                seen.add(i)
                ranked.append(i)
        if len(ranked) >= limit:
            break
    return [index.names[i] for i in ranked[:limit]]


def _first_page(index: _Index, limit: int, wanted: set[str] | None) -> list[str]:
    page: dict[str, None] = {}  # ordered and without repeats
    for name in itertools.chain(_BADGE_GLYPHS, index.by_set):
        if len(page) >= limit:
            break
        if (wanted is None or name.partition(".")[0] in wanted) and _exists(index, name):
            page[name] = None
    return list(page)


def _exists(index: _Index, name: str) -> bool:
    prefix, _dot, icon = name.partition(".")
    return icon in index.charmaps.get(prefix, {})


def glyph_exists(name: str) -> bool:
    return _exists(_index(), name)


def _code_point(name: str) -> tuple[str, int]:
    index = _index()
    prefix, dot, icon = name.partition(".")
    if not dot:
        found = search(name, limit=1)
        problem = _("No glyph '{name}': names start with an icon set, as in fa6s.trophy.").format(name=name)
        if found:
            problem += " " + _("Did you mean {glyph}?").format(glyph=found[0])
        raise GlyphError(problem)
    if prefix not in index.files:
        raise _unknown_prefix(prefix)
    charmap = index.charmaps[prefix]
    if icon not in charmap:
        label = _LABELS.get(prefix, prefix)
        close = difflib.get_close_matches(icon, list(charmap), n=1)
        if close:
            suggestion = f"{prefix}.{close[0]}"
        else:
            suggestion = next((f"{p}.{icon}" for p in _PREFERENCE if icon in index.charmaps.get(p, {})), "")
        if suggestion:
            missing = _("No glyph '{name}' in {icon_set}; did you mean {glyph}?")
        else:
            missing = _("No glyph '{name}' in {icon_set}.")
        raise GlyphError(missing.format(name=name, icon_set=label, glyph=suggestion))
    return prefix, charmap[icon]


def _font(prefix: str) -> tuple[Any, dict[int, str]]:
    """Opened on first use: the files are large, and most sessions use one or two sets."""
    font = _fonts.get(prefix)
    if font is None:
        with _quiet_fonttools():
            ttf = TTFont(str(_index().files[prefix].ttf), lazy=True)
            font = (ttf.getGlyphSet(), ttf.getBestCmap())
        _fonts[prefix] = font
    return font


@contextlib.contextmanager
def _quiet_fonttools() -> Iterator[None]:
    """Some qtawesome fonts have harmless quirks (odd timestamps, padding) that fontTools logs as warnings."""
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@lru_cache(maxsize=1024)
def _outline(name: str) -> Outline:
    prefix, code_point = _code_point(name)
    with _lock:  # a lazy TTFont reads its file on demand and is not thread-safe
        glyph_set, cmap = _font(prefix)
        glyph_name = cmap.get(code_point)
        if glyph_name is None:
            no_glyph = _("The {icon_set} font has no glyph for '{name}'.")
            raise GlyphError(no_glyph.format(icon_set=_LABELS.get(prefix, prefix), name=name))
        return read_outline(glyph_set, glyph_name, _DECIMALS)


def _unit_transform(outline: Outline) -> tuple[float, float, float, Box]:
    """Origin x, origin y and scale that fit the ink into the unit square, and the ink box there."""
    if outline.ink is None:
        return 0.0, 0.0, 0.0, Box(0.5, 0.5, 0.0, 0.0)
    xmin, ymin, xmax, ymax = outline.ink
    width, height = xmax - xmin, ymax - ymin
    scale = 1 / max(width, height, 1e-9)
    left, top = (1 - width * scale) / 2, (1 - height * scale) / 2
    return left - xmin * scale, top + ymax * scale, scale, Box(left, top, width * scale, height * scale)


def glyph_outline(name: str) -> GlyphOutline:
    """The glyph ``name`` in the unit square (see :class:`GlyphOutline`); GlyphError if there is none."""
    return _glyph_outline(name)


@lru_cache(maxsize=1024)
def _glyph_outline(name: str) -> GlyphOutline:
    outline = _outline(name)
    x, y, scale, bounds = _unit_transform(outline)
    return GlyphOutline(name, outline.place(x, y, scale), bounds)


def glyph_path(name: str, box: Box) -> str:
    """Path data of the glyph ``name`` fitted and centred into ``box`` (canvas units), aspect kept."""
    outline = _outline(name)
    x, y, scale, _bounds = _unit_transform(outline)
    side = min(box.width, box.height)
    origin_x = box.x + (box.width - side) / 2 + x * side
    origin_y = box.y + (box.height - side) / 2 + y * side
    return outline.place(origin_x, origin_y, scale * side)
