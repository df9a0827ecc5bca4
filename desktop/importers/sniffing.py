"""Proposing how to read a member list from its start: encoding, delimiter, header row and column.

The proposal is a :class:`~desktop.importers.lists.ListFormat` with a preview
the user can check; see :func:`sniff_text` for the rules and
:mod:`desktop.importers.lists` for loose lists.

Thread safety: everything here is pure and may run on any thread.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Final

from desktop.i18n import _
from desktop.importers.files import (
    CONTROL,
    ListFileError,
    detect_encoding,
    display_name,
    not_text,
    open_error,
    too_many_controls,
)
from desktop.importers.identifiers import IdType, RowKind, classify
from desktop.importers.lists import PREVIEW_ROWS, ListFormat, is_filled, split_pieces
from desktop.importers.records import MARK_ERRORS, bounded_lines, csv_records, marked, shown

#: Records looked at to choose the delimiter, the header and the column.
_SNIFF_RECORDS: Final = 100
#: Pasted text longer than this is sniffed from its start only.
_SNIFF_TEXT_CHARS: Final = 256 * 1024

_IDENTIFIER: Final = RowKind.IDENTIFIER


def sniff_file(
    path: str | os.PathLike[str], *, sample_bytes: int = 256 * 1024, has_header: bool | None = None
) -> ListFormat:
    """Propose how to read the list in ``path`` from its first ``sample_bytes``.

    Encoding: a BOM decides (UTF-8, UTF-16); UTF-16 without BOM is recognised
    by its NUL bytes; then UTF-8 if the sample is valid UTF-8, else the legacy
    encoding charset-normalizer finds (Windows-1252 when it is as good, or
    when there are too few non-ASCII bytes to tell). Binary files (NUL bytes, many control characters, known
    signatures such as PNG or xlsx) and empty files are refused with a
    :class:`ListFileError`. ``has_header`` overrides the header detection.
    For the delimiter, header and column, see :func:`sniff_text`.
    """
    if sample_bytes < 64:
        raise ValueError("sample_bytes must be at least 64.")
    name = display_name(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(sample_bytes)
            at_eof = not handle.read(1)
    except OSError as error:
        raise open_error(name, error) from error
    if not data:
        raise ListFileError(_("The file is empty."))
    encoding = detect_encoding(data, at_eof, name)
    text = codecs.getincrementaldecoder(encoding)(MARK_ERRORS).decode(data, final=at_eof)
    if too_many_controls(len(CONTROL.findall(text)), len(text)):
        raise not_text(name)
    if at_eof and not text.strip():
        raise ListFileError(_("The file is empty."))
    if not at_eof:
        text = _without_last_line(text)
    return _sniff(text, encoding, has_header=has_header, loose_allowed=at_eof, pasted=False)


def sniff_text(text: str, *, has_header: bool | None = None) -> ListFormat:
    """Propose how to read pasted ``text``.

    Delimiter: comma, semicolon or tab, when it splits most records into at
    least two cells (parsed with quotes); among several, the one giving the
    most emails in a column wins, then :class:`csv.Sniffer`'s guess; else
    one value per line. Header: the first row names a known column ("Email",
    "E-Mail address", "Username", "Login", "Handle", "Member", "Nick", …, in
    any case and punctuation), or the best column is emails below a first
    cell without "@". Column: among columns named like identifiers, or else
    among all, the one whose values are most often valid, preferring emails.
    Text that is not a table becomes a loose list (see the module docstring).
    """
    if not text.strip():
        raise ListFileError(_("The pasted text is empty."))
    text = marked(text)
    if len(text) > _SNIFF_TEXT_CHARS:
        text = _without_last_line(text[:_SNIFF_TEXT_CHARS])
    return _sniff(text, "", has_header=has_header, loose_allowed=True, pasted=True)


def _without_last_line(text: str) -> str:
    """Drop the last line of a sample: it may be cut off."""
    end = max(text.rfind("\n"), text.rfind("\r"))
    return text[: end + 1] if end >= 0 else text


@dataclass(frozen=True, slots=True)
class _Column:
    """How one column of the sniffed rows classifies (fractions of the non-blank rows)."""

    index: int
    emails: float
    identifiers: float

    def rank(self) -> tuple[bool, float, float, int]:
        """Mostly emails first, then the most valid values, then the leftmost."""
        return (self.emails >= 0.5, self.identifiers, self.emails, -self.index)


def _column_stats(rows: Sequence[Sequence[str]]) -> list[_Column]:
    rows = [row for row in rows if is_filled(row)]
    width = max((len(row) for row in rows), default=0)
    emails, identifiers = [0] * width, [0] * width
    for row in rows:
        for index, cell in enumerate(row):
            kind, _key, id_type, _problem = classify(cell)
            if kind is _IDENTIFIER:
                identifiers[index] += 1
                emails[index] += id_type == "email"
    total = max(len(rows), 1)
    return [_Column(i, emails[i] / total, identifiers[i] / total) for i in range(width)]


def _parse_sample(text: str, delimiter: str | None) -> list[list[str]]:
    """The first records of ``text``, read as the readers will read them (a broken one as its first line)."""
    stream = io.StringIO(text, newline="")
    if delimiter is None:
        return [[line.rstrip("\r\n")] for line in islice(bounded_lines(stream), _SNIFF_RECORDS)]
    return [cells for _lines, cells, _problem in islice(csv_records(stream, delimiter), _SNIFF_RECORDS)]


def _sniffer_guess(text: str) -> str | None:
    try:
        return csv.Sniffer().sniff(text[:16384], delimiters=",;\t").delimiter
    except csv.Error:
        return None


def _choose_delimiter(parsed: dict[str | None, list[list[str]]], sniffed: str | None) -> str | None:
    """The delimiter splitting most records into two or more cells, with the best identifier column."""
    best: str | None = None
    best_rank: tuple[float, float, bool, float, int] | None = None
    for delimiter, records in parsed.items():
        if delimiter is None:
            continue
        rows = [row for row in records if is_filled(row)]
        split = [len(row) for row in rows if len(row) >= 2]
        if not rows or len(split) * 10 < len(rows) * 7:
            continue
        columns = _column_stats(rows)
        emails = max(column.emails for column in columns)
        identifiers = max(column.identifiers for column in columns)
        width = Counter(split).most_common(1)[0][0]
        rank = (emails, identifiers, delimiter == sniffed, len(split) / len(rows), width)
        if best_rank is None or rank > best_rank:
            best, best_rank = delimiter, rank
    return best


# fmt: off
_EMAIL_HEADERS: Final = frozenset((
    "email", "emails", "mail", "eaddress", "emailaddress", "emailaddresses", "mailaddress",
    "emailadresse", "mailadresse", "adresseemail", "adressemail", "courriel", "adressecourriel",
    "correo", "correoelectronico", "epost", "epostadresse"
))
_USERNAME_HEADERS: Final = frozenset((
    "username", "usernames", "user", "users", "userid", "login", "loginname", "handle", "handles",
    "member", "members", "membername", "account", "accountname", "nick", "nickname", "nicknames",
    "screenname", "benutzer", "benutzername", "nutzername", "utilisateur", "nomdutilisateur", "pseudo",
    "usuario", "nombredeusuario", "gebruikersnaam"
))
# fmt: on


def header_kind(cell: str) -> IdType | None:
    """Whether a header cell names an email or username column ("E-Mail Address", "User name", …)."""
    if "@" in cell:
        return None
    decomposed = unicodedata.normalize("NFKD", cell)
    normal = "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()
    if not normal or len(normal) > 40:
        return None
    if normal in _EMAIL_HEADERS or "email" in normal:
        return "email"
    if normal in _USERNAME_HEADERS or "username" in normal:
        return "username"
    return None


def _detect_header(records: Sequence[Sequence[str]]) -> bool:
    if not records or not is_filled(records[0]):
        return False
    first = records[0]
    if any(header_kind(cell) for cell in first):
        return True
    # Emails below a first cell without "@": that cell is a column name ("Adresse", "Contact").
    # Usernames below tell nothing: "alice" could be a header or a member.
    columns = _column_stats(records[1:])
    if not columns:
        return False
    best = max(columns, key=_Column.rank)
    return (
        best.emails >= 0.5
        and best.index < len(first)
        and bool(first[best.index].strip())
        and "@" not in first[best.index]
    )


def _suggest_column(header: Sequence[str] | None, data: Sequence[Sequence[str]]) -> int:
    columns = _column_stats(data)
    if header is not None:
        named = {i: kind for i, cell in enumerate(header) if (kind := header_kind(cell)) is not None}
        if named:
            by_index = {column.index: column for column in columns}

            def rank(index: int) -> tuple[tuple[bool, float, float, int], bool]:
                column = by_index.get(index, _Column(index, 0.0, 0.0))
                return column.rank(), named[index] == "email"

            return max(named, key=rank)
    if not columns:
        return 0
    return max(columns, key=_Column.rank).index


def _sniff(
    text: str, encoding: str, *, has_header: bool | None, loose_allowed: bool, pasted: bool
) -> ListFormat:
    """Delimiter, header, column and preview for a decoded sample (see :func:`sniff_text`)."""
    parsed = {delimiter: _parse_sample(text, delimiter) for delimiter in (None, ",", ";", "\t")}
    delimiter = _choose_delimiter(parsed, _sniffer_guess(text))
    records = parsed[delimiter]
    header = _detect_header(records) if has_header is None else has_header and bool(records)
    data = records[1:] if header else records
    if loose_allowed and not header and _is_loose_list(data, delimiter, pasted=pasted):
        return _loose_format(text, encoding)
    preview = tuple(tuple(shown(cell) for cell in row) for row in data[:PREVIEW_ROWS])
    width = max([len(records[0]) if header else 1, *(len(row) for row in data)])
    names = [shown(cell.strip()) for cell in records[0]] if header else []
    names += [""] * (width - len(names))
    columns = tuple(name or _("Column {n}").format(n=i) for i, name in enumerate(names, 1))
    column = _suggest_column(records[0] if header else None, data)
    return ListFormat(encoding, delimiter, header, columns, column, preview)


def _is_loose_list(data: Sequence[Sequence[str]], delimiter: str | None, *, pasted: bool) -> bool:
    """Whether rows without header read better as a loose list than as a table.

    Pasted text is a loose list unless it is a table: two or more rows split
    by tabs (a spreadsheet range), or by commas/semicolons into the same
    number of cells with both a column of identifiers and one of something
    else (names, dates). A *file* is a loose list only when it is a single
    line of mostly identifiers ("a@x.org, b@y.org; @cid"), as one row of a
    table would keep just one of them.
    """
    rows = [row for row in data if is_filled(row)]
    if not pasted:
        if delimiter is None or len(rows) != 1:
            return False
        pieces = [
            piece.strip() for cell in rows[0] for piece in _CELL_SEPARATORS.split(cell) if piece.strip()
        ]
        identifiers = sum(classify(piece)[0] is _IDENTIFIER for piece in pieces)
        return len(pieces) >= 2 and identifiers * 10 >= len(pieces) * 8
    if delimiter is None or len(rows) < 2:
        return True
    if delimiter == "\t":
        return False
    if len({len(row) for row in rows}) > 1:
        return True
    columns = _column_stats(rows)
    return not (
        any(column.identifiers >= 0.5 for column in columns)
        and any(column.identifiers < 0.5 for column in columns)
    )


def _loose_format(text: str, encoding: str) -> ListFormat:
    pieces: list[tuple[str]] = []
    for line in io.StringIO(text, newline=""):
        pieces.extend((shown(piece),) for piece in split_pieces(line.rstrip("\r\n")))
        if len(pieces) >= PREVIEW_ROWS:
            break
    column = _("Column {n}").format(n=1)
    return ListFormat(encoding, None, False, (column,), 0, tuple(pieces[:PREVIEW_ROWS]), split_items=True)


_CELL_SEPARATORS = re.compile(r"[,;\t]")
