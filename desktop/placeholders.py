"""Placeholders in member-facing message templates: ``Hi {member}, …``.

A template names its placeholders in braces; ``{{`` and ``}}`` stand for literal
braces. Only plain names are allowed: no positional fields (``{0}``, ``{}``),
attribute or index access (``{member.name}``, ``{member[0]}``), conversions
(``{member!r}``) or format specs (``{member:>10}``). Templates are written by
moderators and filled with text written by members, so values are inserted
literally and never interpreted again, and ``str.format`` is never called on
them.

Used by the deny / return reason templates (:mod:`desktop.decision_templates`)
and meant for badge award messages too.

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Iterator, Mapping

_FORMATTER = string.Formatter()
_LITERAL_BRACES = "Write {{ or }} for a literal brace."


class PlaceholderError(ValueError):
    """A template's placeholders are wrong; ``str(error)`` is a sentence for the user."""


def placeholders_in(text: str) -> list[str]:
    """The field names in ``text`` as written, each once, in order of first appearance.

    Names are returned even where :func:`check` would refuse them (``"0"``,
    ``"member.name"``); raises :class:`PlaceholderError` if the braces do not match.
    """
    names: dict[str, None] = {}
    for field, _spec, _conversion in _fields(text):
        names.setdefault(field, None)
    return list(names)


def check(text: str, allowed: Collection[str]) -> None:
    """Raise :class:`PlaceholderError` naming the first problem with ``text``'s placeholders."""
    for field, spec, conversion in _fields(text):
        _check_field(field, spec, conversion, allowed)


def render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each placeholder replaced by its value, inserted as-is.

    The placeholders are checked against the keys of ``values`` first
    (:func:`check`); a value containing braces stays exactly as it is.
    """
    check(text, values.keys())
    parts: list[str] = []
    for literal, field, _spec, _conversion in _FORMATTER.parse(text):
        parts.append(literal)
        if field is not None:
            parts.append(values[field])
    return "".join(parts)


def _fields(text: str) -> Iterator[tuple[str, str, str | None]]:
    """(field name, format spec, conversion) of every placeholder; the whole text is parsed first."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as error:
        raise PlaceholderError(_syntax_problem(text, str(error))) from None
    for _literal, field, spec, conversion in parsed:
        if field is not None:
            yield field, spec or "", conversion


def _check_field(field: str, spec: str, conversion: str | None, allowed: Collection[str]) -> None:
    shown = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    name = re.split(r"[.\[]", field, maxsplit=1)[0]
    if not name.strip():
        raise PlaceholderError(
            f"Empty placeholder {shown}: put a name inside the braces. {_choices(allowed)}"
        )
    if name.strip() != name and name.strip() in allowed and field == name and not conversion and not spec:
        raise PlaceholderError(f"Placeholder {shown} has spaces inside the braces; write {{{name.strip()}}}.")
    if name.isdigit():
        raise PlaceholderError(
            f"Numbered placeholder {shown} is not supported; use a name. {_choices(allowed)}"
        )
    if field != name:
        access = "attribute access" if field[len(name)] == "." else "index access"
        raise PlaceholderError(
            f"Placeholder {shown} uses {access} ({field[len(name) :]}), which is not supported; "
            f"{_instead(name, allowed)}"
        )
    if conversion:
        raise PlaceholderError(
            f"Placeholder {shown} has a conversion (!{conversion}), which is not supported; "
            f"{_instead(name, allowed)}"
        )
    if spec:
        raise PlaceholderError(
            f"Placeholder {shown} has a format spec (:{spec}), which is not supported; "
            f"{_instead(name, allowed)}"
        )
    if name not in allowed:
        if not allowed:
            raise PlaceholderError(
                f"Unknown placeholder {shown}: this text takes no placeholders. {_LITERAL_BRACES}"
            )
        raise PlaceholderError(f"Unknown placeholder {shown}. {_choices(allowed)}")


def _choices(allowed: Collection[str]) -> str:
    if not allowed:
        return "This text takes no placeholders."
    return "Use one of " + ", ".join(f"{{{name}}}" for name in sorted(allowed)) + "."


def _instead(name: str, allowed: Collection[str]) -> str:
    if name in allowed:
        return f"write just {{{name}}}."
    return "write a plain name. " + _choices(allowed)


def _syntax_problem(text: str, parser_message: str) -> str:
    """A sentence locating the brace ``string.Formatter`` stumbled on (its own messages do not)."""
    i, length = 0, len(text)
    while i < length:
        char = text[i]
        if char in "{}" and text[i + 1 : i + 2] == char:
            i += 2
        elif char == "}":
            return f"Unmatched '}}' {_where(text, i)}. {_LITERAL_BRACES}"
        elif char == "{":
            close = _closing_brace(text, i)
            if close == -1:
                return f"Unmatched '{{' {_where(text, i)}. {_LITERAL_BRACES}"
            placeholder = text[i : close + 1]
            try:
                list(_FORMATTER.parse(placeholder))
            except ValueError:
                # Balanced, so the field itself is malformed: "{member!}", "{a{b}}".
                return (
                    f"Placeholder {placeholder} {_where(text, i)} is not valid; "
                    f"a placeholder is a plain name in braces. {_LITERAL_BRACES}"
                )
            i = close + 1
        else:
            i += 1
    return f"The braces do not match ({parser_message}). {_LITERAL_BRACES}"


def _closing_brace(text: str, start: int) -> int:
    """Index of the '}' closing the '{' at ``start`` (nested pairs count, as in a format spec), or -1."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _where(text: str, index: int) -> str:
    """``at position 13`` (1-based), or ``at line 2, column 5`` in text of several lines."""
    if "\n" not in text:
        return f"at position {index + 1}"
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"at line {line}, column {column}"
