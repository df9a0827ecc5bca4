"""CSS in an imported SVG: style declarations cleaned, stylesheets applied as inline styles.

A ``<style>`` element would also restyle the badge the picture is embedded in,
so its rules are applied to the elements they select as ``style`` attributes
and the stylesheet goes. Only simple selectors (``*``, type, ``.class``,
``#id`` and compounds of them) are applied; other rules and every ``@`` rule
are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from desktop.designer.images.limits import ImageError
from desktop.designer.images.svg_allowlists import PROPERTIES, UNSAFE_VALUE, Notes, short, value_problem
from desktop.designer.images.svg_tree import Element, walk
from desktop.i18n import _

#: Selectors and @ rules in all stylesheets; real pictures have dozens.
_MAX_CSS_RULES: Final = 5_000
#: Selector checks plus declarations copied while inlining a stylesheet; bounds time and output size.
_MAX_STYLE_WORK: Final = 500_000
_CSS_COMMENT: Final = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_AT_RULE: Final = re.compile(r"@[\w-]*")
_AT_RULE_END: Final = re.compile(r"[;{]")
_SELECTOR: Final = re.compile(r"(\*|[A-Za-z][\w-]*)?((?:[.#][^\W\d][\w-]*)*)")


@dataclass(frozen=True)
class _Selector:
    tag: str | None
    ids: tuple[str, ...]
    classes: tuple[str, ...]

    @property
    def specificity(self) -> tuple[int, int, int]:
        return (len(self.ids), len(self.classes), int(self.tag is not None))

    def matches(self, element: Element) -> bool:
        classes = element.attrs.get("class", "").split()
        return (
            (self.tag is None or self.tag == element.tag)
            and all(element.attrs.get("id") == ident for ident in self.ids)
            and all(name in classes for name in self.classes)
        )


@dataclass(frozen=True)
class _Rule:
    selectors: tuple[_Selector, ...]
    declarations: tuple[tuple[str, str], ...]


def _without_important(value: str) -> str:
    # Importance is dropped: after inlining, only the style attribute and presentation attributes compete.
    value = value.strip()
    if value[-9:].lower() == "important" and value[:-9].rstrip().endswith("!"):
        return value[:-9].rstrip()[:-1].rstrip()
    return value


class StyleSheets:
    """The stylesheets of one SVG, and the cleaning of every declaration in it."""

    def __init__(self, notes: Notes, subject: str) -> None:
        self.notes = notes
        self.subject = subject
        #: The text of each ``<style>`` element, in document order.
        self.texts: list[str] = []
        self.css_rules = 0

    def declarations(self, text: str, where: str, what: str) -> list[tuple[str, str]]:
        """The safe declarations of a style attribute or CSS rule body; ``where`` names it in notes."""
        kept: list[tuple[str, str]] = []
        for part in _CSS_COMMENT.sub("", text).split(";"):
            if not part.strip():
                continue
            name, colon, value = part.partition(":")
            name, value = name.strip().lower(), _without_important(value)
            problem = value_problem(value)
            if not colon or not name or not value:
                note = _('unreadable {what} "{text}" on {where}').format(
                    what=what, text=short(part), where=where
                )
            elif problem == UNSAFE_VALUE:
                note = _("unsafe {what} {name} on {where}").format(what=what, name=short(name), where=where)
            elif problem:
                note = _("{problem} on {where}").format(problem=problem, where=where)
            elif name not in PROPERTIES:
                note = _("{what} property {name} on {where}").format(what=what, name=short(name), where=where)
            else:
                kept.append((name, value))
                continue
            self.notes.add(note)
        return kept

    def rules(self, text: str) -> list[_Rule]:
        """The usable rules of a stylesheet."""
        text = _CSS_COMMENT.sub("", text).replace("<!--", " ").replace("-->", " ")
        rules: list[_Rule] = []
        position = 0
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            if position >= len(text):
                return rules
            self.count_css_rules(1)
            if text[position] == "@":
                # @import and @font-face fetch files; @media and the rest are not worth the risk.
                name = _AT_RULE.match(text, position)
                self.notes.add(_("{rule} rule in <style>").format(rule=short(name[0] if name else "@")))
                stop = _AT_RULE_END.search(text, position)
                if stop is None:
                    position = len(text)
                elif stop[0] == ";":
                    position = stop.end()
                else:
                    position = _block_end(text, stop.start())
                continue
            brace = text.find("{", position)
            if brace < 0:
                self.notes.add(_('unreadable CSS "{text}" in <style>').format(text=short(text[position:])))
                return rules
            end = _block_end(text, brace)
            selector_text, body = text[position:brace].strip(), text[brace + 1 : end - 1]
            position = end
            self.count_css_rules(selector_text.count(","))
            selectors = [_parse_selector(s) for s in selector_text.split(",")]
            if not all(selectors) or "{" in body:
                not_simple = _('CSS rule "{selector}" in <style> (only simple selectors work)')
                self.notes.add(not_simple.format(selector=short(selector_text)))
                continue
            declarations = self.declarations(body, "<style>", "style")
            rules.append(_Rule(tuple(s for s in selectors if s), tuple(declarations)))

    def count_css_rules(self, count: int) -> None:
        self.css_rules += count
        if self.css_rules > _MAX_CSS_RULES:
            too_many = _("{subject} has a stylesheet with more than {most:,} rules; that is too complex.")
            raise ImageError(too_many.format(subject=self.subject, most=_MAX_CSS_RULES))

    def apply(self, root: Element) -> None:
        """Turn the stylesheets into style attributes, so they cannot restyle anything else."""
        rules = [rule for text in self.texts for rule in self.rules(text)]
        # Each selector is filed under one thing an element must have, so an element meets only the
        # selectors that could match it rather than the whole stylesheet.
        index: dict[str, list[tuple[_Selector, int]]] = {}
        for number, rule in enumerate(rules):
            for selector in rule.selectors:
                key = (
                    f"#{selector.ids[0]}"
                    if selector.ids
                    else f".{selector.classes[0]}"
                    if selector.classes
                    else selector.tag or "*"
                )
                index.setdefault(key, []).append((selector, number))
        work = 0
        for element in walk(root):
            keys = ["*", element.tag, f"#{element.attrs.get('id')}"]
            keys += {f".{name}" for name in element.attrs.get("class", "").split()}
            candidates = [entry for key in keys for entry in index.get(key, ())]
            matched = sorted((s.specificity, number) for s, number in candidates if s.matches(element))
            work += len(candidates) + sum(len(rules[number].declarations) for _specificity, number in matched)
            if work > _MAX_STYLE_WORK:
                too_complex = _("{subject} has a stylesheet that is too complex to apply.")
                raise ImageError(too_complex.format(subject=self.subject))
            style: dict[str, str] = {}
            for _specificity, number in matched:
                style.update(rules[number].declarations)
            # Inline declarations beat the stylesheet; they were cleaned already.
            style.update(split_declarations(element.attrs.get("style", "")))
            element.attrs.pop("class", None)
            if style:
                element.attrs["style"] = format_declarations(list(style.items()))


def _block_end(text: str, brace: int) -> int:
    """The index after the ``}`` closing the block opened at ``brace`` (or the end of the text)."""
    depth = 0
    for position in range(brace, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                return position + 1
    return len(text)


def _parse_selector(text: str) -> _Selector | None:
    match = _SELECTOR.fullmatch(text.strip())
    if not match or not text.strip():
        return None
    parts = re.findall(r"[.#][^.#]+", match[2])
    tag = None if match[1] in (None, "*") else match[1]
    return _Selector(
        tag, tuple(p[1:] for p in parts if p[0] == "#"), tuple(p[1:] for p in parts if p[0] == ".")
    )


def format_declarations(declarations: list[tuple[str, str]]) -> str:
    return ";".join(f"{name}:{value}" for name, value in declarations)


def split_declarations(style: str) -> list[tuple[str, str]]:
    # Only for style attributes the sanitiser wrote: no comments, no stray semicolons.
    pairs = (part.partition(":") for part in style.split(";") if part)
    return [(name, value) for name, _colon, value in pairs]
