"""References inside an imported SVG: ids kept only when usable, references only to ids that exist.

Refuses reference loops and drawings that ``<use>`` and pattern, clip or mask
references would multiply beyond ``MAX_SVG_EXPANDED`` elements.
"""

from __future__ import annotations

from collections.abc import Iterator

from desktop.designer.images.limits import MAX_SVG_EXPANDED, ImageError
from desktop.designer.images.svg_allowlists import ID_PATTERN, LOCAL_URL, Notes, short
from desktop.designer.images.svg_styles import format_declarations, split_declarations
from desktop.designer.images.svg_tree import Element, walk
from desktop.i18n import _


def _references(value: str) -> list[str]:
    return [match[2] for match in LOCAL_URL.finditer(value)]


def check_ids(root: Element, notes: Notes) -> None:
    seen: set[str] = set()
    for element in walk(root):
        ident = element.attrs.get("id")
        if ident is None:
            continue
        if not ID_PATTERN.fullmatch(ident):
            del element.attrs["id"]
            unusable = _('id "{id}" on <{element}> (not usable as a reference)')
            notes.add(unusable.format(id=short(ident), element=element.tag))
        elif ident in seen:
            del element.attrs["id"]
            notes.add(_("duplicate id {id} on <{element}>").format(id=ident, element=element.tag))
        else:
            seen.add(ident)


def check_references(root: Element, notes: Notes, subject: str) -> None:
    """Drop references to missing ids; refuse loops and drawings that references multiply too far."""
    by_id = {e.attrs["id"]: e for e in walk(root) if "id" in e.attrs}
    targets: dict[int, list[Element]] = {}
    for element in walk(root):
        found: list[Element] = []
        for name, value in list(element.attrs.items()):
            if name == "id":
                continue
            if name == "style":
                declarations = split_declarations(value)
                kept = [(n, v) for n, v in declarations if _resolve(v, by_id, found, element, notes)]
                if kept:
                    element.attrs["style"] = format_declarations(kept)
                else:
                    del element.attrs["style"]
            elif not _resolve(value, by_id, found, element, notes, href=name == "xlink:href"):
                del element.attrs[name]
        targets[id(element)] = found
    _check_expansion(root, targets, subject)


def _resolve(
    value: str,
    by_id: dict[str, Element],
    found: list[Element],
    element: Element,
    notes: Notes,
    *,
    href: bool = False,
) -> bool:
    """Whether every reference in ``value`` exists; the targets are added to ``found``."""
    names = [value[1:]] if href else _references(value)
    missing = [name for name in names if name not in by_id]
    for name in missing:
        notes.add(_("reference to missing #{id} on <{element}>").format(id=name, element=element.tag))
    if missing:
        return False
    # A gradient used as paint costs little however often it is used, and its stops refer to nothing;
    # whatever else is referred to is drawn again (and a gradient's href can still form a loop).
    found.extend(by_id[n] for n in names if href or by_id[n].tag not in ("linearGradient", "radialGradient"))
    return True


def _check_expansion(root: Element, targets: dict[int, list[Element]], subject: str) -> None:
    # Iterative depth-first search: reference chains can be far deeper than Python's recursion limit.
    cost: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Element, Iterator[Element]]] = []

    def edges(element: Element) -> Iterator[Element]:
        yield from (c for c in element.children if isinstance(c, Element))
        yield from targets[id(element)]

    stack.append((root, edges(root)))
    on_path.add(id(root))
    while stack:
        element, pending = stack[-1]
        following = next(pending, None)
        if following is None:
            stack.pop()
            on_path.discard(id(element))
            total = 1 + sum(cost[id(n)] for n in edges(element))
            cost[id(element)] = min(total, MAX_SVG_EXPANDED + 1)
            if total > MAX_SVG_EXPANDED:
                too_many = _(
                    "{subject} repeats its shapes through references more than {most:,} times;"
                    " that is too complex."
                )
                raise ImageError(too_many.format(subject=subject, most=MAX_SVG_EXPANDED))
        elif id(following) in on_path:
            ident = following.attrs.get("id")
            if ident:
                circular = _("{subject} has a circular reference: #{id} refers back to itself.")
            else:
                circular = _("{subject} has a circular reference.")
            raise ImageError(circular.format(subject=subject, id=ident))
        elif id(following) not in cost:
            on_path.add(id(following))
            stack.append((following, edges(following)))
