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

from desktop.i18n import _

#: What an award message may say; the server fills them when it awards. Here, not with the
#: designer's checks, so the programs pane has them without loading the designer.
AWARD_PLACEHOLDERS = ("member", "username", "badge", "community", "date")

_FORMATTER = string.Formatter()


def _literal_braces() -> str:
    return _("Write {open} or {close} for a literal brace.").format(open="{{", close="}}")


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
        problem = _("Empty placeholder {shown}: put a name inside the braces.").format(shown=shown)
        raise PlaceholderError(f"{problem} {_choices(allowed)}")
    if name.strip() != name and name.strip() in allowed and field == name and not conversion and not spec:
        raise PlaceholderError(
            _("Placeholder {shown} has spaces inside the braces; write {name}.").format(
                shown=shown, name=_braced(name.strip())
            )
        )
    if name.isdigit():
        problem = _("Numbered placeholder {shown} is not supported; use a name.").format(shown=shown)
        raise PlaceholderError(f"{problem} {_choices(allowed)}")
    if field != name or conversion or spec:
        raise PlaceholderError(_not_plain(shown, name, field, conversion, spec, allowed))
    if name not in allowed:
        if not allowed:
            problem = _("Unknown placeholder {shown}: this text takes no placeholders.").format(shown=shown)
            raise PlaceholderError(f"{problem} {_literal_braces()}")
        problem = _("Unknown placeholder {shown}.").format(shown=shown)
        raise PlaceholderError(f"{problem} {_choices(allowed)}")


def _not_plain(
    shown: str, name: str, field: str, conversion: str | None, spec: str, allowed: Collection[str]
) -> str:
    """Why a field that is more than a name is refused, and what to write instead (whole sentences)."""
    just = name in allowed
    if field != name:
        part = field[len(name) :]
        if field[len(name)] == ".":
            if just:
                text = _(
                    "Placeholder {shown} uses attribute access ({part}), which is not supported;"
                    " write just {name}."
                )
            else:
                text = _(
                    "Placeholder {shown} uses attribute access ({part}), which is not supported;"
                    " write a plain name."
                )
        elif just:
            text = _(
                "Placeholder {shown} uses index access ({part}), which is not supported; write just {name}."
            )
        else:
            text = _(
                "Placeholder {shown} uses index access ({part}), which is not supported; write a plain name."
            )
    elif conversion:
        part = "!" + conversion
        if just:
            text = _(
                "Placeholder {shown} has a conversion ({part}), which is not supported; write just {name}."
            )
        else:
            text = _(
                "Placeholder {shown} has a conversion ({part}), which is not supported; write a plain name."
            )
    else:
        part = ":" + spec
        if just:
            text = _(
                "Placeholder {shown} has a format spec ({part}), which is not supported; write just {name}."
            )
        else:
            text = _(
                "Placeholder {shown} has a format spec ({part}), which is not supported; write a plain name."
            )
    problem = text.format(shown=shown, part=part, name=_braced(name))
    return problem if just else f"{problem} {_choices(allowed)}"


def _braced(name: str) -> str:
    return "{" + name + "}"


def _choices(allowed: Collection[str]) -> str:
    if not allowed:
        return _("This text takes no placeholders.")
    names = ", ".join(_braced(name) for name in sorted(allowed))
    return _("Use one of {names}.").format(names=names)


def _syntax_problem(text: str, parser_message: str) -> str:
    """A sentence locating the brace ``string.Formatter`` stumbled on (its own messages do not)."""
    i, length = 0, len(text)
    while i < length:
        char = text[i]
        if char in "{}" and text[i + 1 : i + 2] == char:
            i += 2
        elif char == "}":
            return f"{_unmatched(text, i)} {_literal_braces()}"
        elif char == "{":
            close = _closing_brace(text, i)
            if close == -1:
                return f"{_unmatched(text, i)} {_literal_braces()}"
            placeholder = text[i : close + 1]
            try:
                list(_FORMATTER.parse(placeholder))
            except ValueError:
                # Balanced, so the field itself is malformed: "{member!}", "{a{b}}".
                return f"{_not_valid(text, i, placeholder)} {_literal_braces()}"
            i = close + 1
        else:
            i += 1
    problem = _("The braces do not match ({why}).").format(why=parser_message)
    return f"{problem} {_literal_braces()}"


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


def _where(text: str, index: int) -> tuple[int, int] | None:
    """(line, column), both 1-based, in text of several lines; None in one line (then the position)."""
    if "\n" not in text:
        return None
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _unmatched(text: str, index: int) -> str:
    """``Unmatched '{' at position 13.`` (1-based), or ``… at line 2, column 5.`` in text of several lines."""
    brace = f"'{text[index]}'"
    where = _where(text, index)
    if where is None:
        return _("Unmatched {brace} at position {position}.").format(brace=brace, position=index + 1)
    return _("Unmatched {brace} at line {line}, column {column}.").format(
        brace=brace, line=where[0], column=where[1]
    )


def _not_valid(text: str, index: int, placeholder: str) -> str:
    where = _where(text, index)
    if where is None:
        return _(
            "Placeholder {placeholder} at position {position} is not valid;"
            " a placeholder is a plain name in braces."
        ).format(placeholder=placeholder, position=index + 1)
    return _(
        "Placeholder {placeholder} at line {line}, column {column} is not valid;"
        " a placeholder is a plain name in braces."
    ).format(placeholder=placeholder, line=where[0], column=where[1])
