"""Reading member lists for batch awards: CSV or text files, and pasted text.

Two steps. *Sniffing* (:func:`sniff_file`, :func:`sniff_text`) looks at the
start of the input and proposes a :class:`ListFormat`: encoding, delimiter,
header row and the column holding emails or usernames, with a preview the
user can check (and change the column). *Reading* (:func:`read_file_rows`,
:func:`read_text_rows`) then streams every row as a classified
:class:`ListRow`; files are never loaded whole, so memory stays flat however
long the list is. Deduplicating and looking members up is for the caller
(:mod:`desktop.batches`).

Nothing in a list stops the reading: every row comes out, either as an
identifier or blank, or as invalid with its row number and the reason — a
malformed address, bytes not valid in the file's encoding, a lone surrogate in
pasted text, a quote never closed, a line of a million characters (see
:mod:`desktop.importers.records`). Only an input that is not a list at all
(missing, empty, binary, UTF-32) raises :class:`ListFileError`, with a
sentence for the user.

Row numbers are what the user can find in their own data:

* files: the record number a spreadsheet shows. The header, if any, is row 1;
  a blank line is a row of its own; a quoted cell spanning several lines is
  still one row (records are counted, not physical lines);
* pasted text: the line number (for a record spanning lines, its first line).

Pasted text has one more mode, a *loose list* (:attr:`ListFormat.split_items`):
unless it looks like a table (a header row, columns of which some are not
identifiers, or tab-separated like a range copied from a spreadsheet), every
line is split at commas, semicolons, tabs and whitespace, and each piece is a
row of its own, numbered by its line: ``"alice, bob\\n@carol"`` gives three
rows (lines 1, 1 and 2); a line with no piece is one blank row. Double-quoted
text and ``<…>`` keep a piece whole (``"Doe, Jane" <jane@x.org>`` is one piece,
read as its address). A file is read this way only when it is a single line
of identifiers, such as ``a@x.org, b@x.org``.

Thread safety: everything here is pure and may run on any thread; the
iterators returned by the readers belong to the thread that iterates them.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import Final, TextIO

from desktop.cancellation import CancelToken
from desktop.importers.files import (
    CONTROL,
    ListFileError,
    detect_encoding,
    display_name,
    not_text,
    open_error,
    too_many_controls,
)
from desktop.importers.identifiers import (
    MAX_EMAIL_LENGTH,
    MAX_USERNAME_LENGTH,
    Classification,
    IdType,
    RowKind,
    classify,
)
from desktop.importers.records import (
    CUT_LINE,
    MARK,
    MARK_ERRORS,
    TOO_LONG,
    bounded_lines,
    csv_records,
    marked,
    shown,
    unreadable_problem,
)

__all__ = [
    "MAX_EMAIL_LENGTH",
    "MAX_USERNAME_LENGTH",
    "PREVIEW_ROWS",
    "Classification",
    "IdType",
    "ListFileError",
    "ListFormat",
    "ListRow",
    "RowKind",
    "classify",
    "read_file_rows",
    "read_text_rows",
    "sniff_file",
    "sniff_text",
]

#: Data rows a :class:`ListFormat` previews (after the header).
PREVIEW_ROWS: Final = 20

#: Records looked at to choose the delimiter, the header and the column.
_SNIFF_RECORDS: Final = 100
#: The cancel token is checked once per this many rows (a power of two, used as a mask).
_CANCEL_EVERY: Final = 4096
#: Pasted text longer than this is sniffed from its start only.
_SNIFF_TEXT_CHARS: Final = 256 * 1024


_DELIMITER_NAMES: Final[dict[str | None, str]] = {
    ",": "comma-separated",
    ";": "semicolon-separated",
    "\t": "tab-separated",
    None: "one value per line",
}
_ENCODING_NAMES: Final = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "cp1252": "Windows-1252",
    "": "pasted text",
}


@dataclass(frozen=True, slots=True)
class ListFormat:
    """How to read a list; proposed by :func:`sniff_file` / :func:`sniff_text`."""

    #: Python codec used to read the file; ``""`` for pasted text (already decoded).
    encoding: str
    #: ``","``, ``";"``, ``"\t"``, or None: one value per line (no splitting, no quoting).
    delimiter: str | None
    has_header: bool
    #: Header cell texts (stripped; a blank one becomes "Column N"), or "Column 1", "Column 2", ...
    columns: tuple[str, ...]
    #: Index into :attr:`columns` of the emails/usernames; change it with :meth:`with_column`.
    column: int
    #: The first data rows (at most :data:`PREVIEW_ROWS`, after the header), cells as read.
    #: In a loose list (:attr:`split_items`) each preview row is one piece.
    preview: tuple[tuple[str, ...], ...]
    #: Loose list (pasted text): each line is split into pieces and every piece is a row.
    split_items: bool = False

    def __post_init__(self) -> None:
        if self.delimiter not in _DELIMITER_NAMES:
            raise ValueError(f"Unsupported delimiter {self.delimiter!r}; use ',', ';', tab or None.")
        if self.encoding not in _ENCODING_NAMES:
            raise ValueError(f"Unsupported encoding {self.encoding!r}.")
        if not 0 <= self.column < len(self.columns):
            raise ValueError(f"Column index {self.column} is outside the {len(self.columns)} column(s).")
        if self.split_items and (self.delimiter is not None or self.has_header or self.column != 0):
            raise ValueError("A loose list has no delimiter, no header and a single column.")

    def with_column(self, column: int) -> ListFormat:
        """The same format reading another column (0-based index into :attr:`columns`)."""
        if isinstance(column, bool) or not isinstance(column, int):
            raise ValueError(f"A column is chosen by its index (an int), not {column!r}.")
        if not 0 <= column < len(self.columns):
            raise IndexError(
                f"There is no column {column}: this list has {len(self.columns)} column(s), "
                f"numbered 0 to {len(self.columns) - 1}."
            )
        return replace(self, column=column)

    @property
    def column_name(self) -> str:
        return self.columns[self.column]

    @property
    def description(self) -> str:
        """For the user, e.g. "UTF-8 with BOM, semicolon-separated, header row, column 'E-Mail'"."""
        if self.split_items:
            return "pasted text, values separated by new lines, commas, semicolons, tabs or spaces"
        parts = [_ENCODING_NAMES[self.encoding], _DELIMITER_NAMES[self.delimiter]]
        parts.append("header row" if self.has_header else "no header row")
        if self.delimiter is not None or self.has_header:
            parts.append(f"column '{self.column_name}'")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of a list, classified.

    ``row`` is 1-based, as described in the module docstring (files: record
    number, header = 1; pasted text: line number, shared by the pieces of a
    loose-list line). ``raw`` is the chosen cell exactly as read (for a loose
    list: the piece, without its separators). ``key`` (identifiers only) is
    what duplicates and lookups compare: see :func:`classify`.
    """

    row: int
    raw: str
    kind: RowKind
    key: str | None
    id_type: IdType | None
    problem: str | None


_IDENTIFIER, _BLANK_KIND, _INVALID = RowKind.IDENTIFIER, RowKind.BLANK, RowKind.INVALID


# --- sniffing ----------------------------------------------------------------------------------------


def sniff_file(
    path: str | os.PathLike[str], *, sample_bytes: int = 256 * 1024, has_header: bool | None = None
) -> ListFormat:
    """Propose how to read the list in ``path`` from its first ``sample_bytes``.

    Encoding: a BOM decides (UTF-8, UTF-16); UTF-16 without BOM is recognised
    by its NUL bytes; then UTF-8 if the sample is valid UTF-8, else
    Windows-1252. Binary files (NUL bytes, many control characters, known
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
        raise ListFileError("The file is empty.")
    encoding = detect_encoding(data, at_eof, name)
    text = codecs.getincrementaldecoder(encoding)(MARK_ERRORS).decode(data, final=at_eof)
    if too_many_controls(len(CONTROL.findall(text)), len(text)):
        raise not_text(name)
    if at_eof and not text.strip():
        raise ListFileError("The file is empty.")
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
        raise ListFileError("The pasted text is empty.")
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
    rows = [row for row in rows if _is_filled(row)]
    width = max((len(row) for row in rows), default=0)
    emails, identifiers = [0] * width, [0] * width
    for row in rows:
        for index, cell in enumerate(row):
            kind, _, id_type, _ = classify(cell)
            if kind is _IDENTIFIER:
                identifiers[index] += 1
                emails[index] += id_type == "email"
    total = max(len(rows), 1)
    return [_Column(i, emails[i] / total, identifiers[i] / total) for i in range(width)]


def _is_filled(cells: Sequence[str]) -> bool:
    return any(not cell.isspace() and cell for cell in cells)


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
        rows = [row for row in records if _is_filled(row)]
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


def _header_kind(cell: str) -> IdType | None:
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
    if not records or not _is_filled(records[0]):
        return False
    first = records[0]
    if any(_header_kind(cell) for cell in first):
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
        named = {i: kind for i, cell in enumerate(header) if (kind := _header_kind(cell)) is not None}
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
    columns = tuple(name or f"Column {i}" for i, name in enumerate(names, 1))
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
    rows = [row for row in data if _is_filled(row)]
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
        pieces.extend((shown(piece),) for piece in _split_pieces(line.rstrip("\r\n")))
        if len(pieces) >= PREVIEW_ROWS:
            break
    return ListFormat(encoding, None, False, ("Column 1",), 0, tuple(pieces[:PREVIEW_ROWS]), split_items=True)


_CELL_SEPARATORS = re.compile(r"[,;\t]")
_PIECE = re.compile(r'(?:"[^"]*"?|[^,;\t"])+')


def _split_pieces(line: str) -> list[str]:
    """The values of one loose-list line: split at , ; and tab, keeping quotes whole.

    Not at spaces: "bob at example.com" is one malformed address, not three
    usernames, and "Jane Doe <jane@x.org>" stays one value.
    """
    pieces: list[str] = []
    for match in _PIECE.finditer(line):
        piece = match.group().strip()
        if piece:
            pieces.append(piece)
    return pieces


# --- reading -----------------------------------------------------------------------------------------


def read_file_rows(
    path: str | os.PathLike[str], fmt: ListFormat, *, cancel: CancelToken | None = None
) -> Iterator[ListRow]:
    """Stream the rows of the file at ``path`` read as ``fmt`` (the header is skipped).

    Every row comes out, classified: one that cannot be read (bytes not valid
    in ``fmt.encoding``, a quote never closed, a line of a million characters
    or more) is an invalid row with its reason, and reading goes on. Memory
    stays bounded. The file is opened on the first ``next()``; only a file
    that cannot be opened or read raises :class:`ListFileError`. ``cancel``
    is checked every few thousand rows.
    """
    if not fmt.encoding:
        raise ValueError("This format was sniffed from pasted text; sniff the file with sniff_file().")
    name = display_name(path)
    try:
        stream = open(path, encoding=fmt.encoding, errors=MARK_ERRORS, newline="")  # noqa: SIM115
    except OSError as error:
        raise open_error(name, error) from error
    with stream:
        try:
            yield from _rows(stream, fmt, cancel, by_line=False)
        except OSError as error:
            reason = error.strerror or str(error)
            raise ListFileError(
                f"“{name}” could not be read to the end ({reason}); check the file and try again."
            ) from error


def read_text_rows(text: str, fmt: ListFormat, *, cancel: CancelToken | None = None) -> Iterator[ListRow]:
    """Stream the rows of pasted ``text`` read as ``fmt``; rows are numbered by line."""
    yield from _rows(io.StringIO(marked(text), newline=""), fmt, cancel, by_line=True)


def _rows(stream: TextIO, fmt: ListFormat, cancel: CancelToken | None, *, by_line: bool) -> Iterator[ListRow]:
    if fmt.split_items:
        return _pieces(stream, fmt, cancel)
    if fmt.delimiter is None:
        return _lines(stream, fmt, cancel)
    return _records(stream, fmt, cancel, by_line=by_line)


def _non_ascii_row(number: int, raw: str, fmt: ListFormat) -> ListRow:
    """The row of a non-ASCII value: invalid if it holds bytes that could not be read, else classified."""
    if MARK in raw:
        return ListRow(number, shown(raw), _INVALID, None, None, unreadable_problem(fmt.encoding))
    return ListRow(number, raw, *classify(raw))


def _records(
    stream: TextIO, fmt: ListFormat, cancel: CancelToken | None, *, by_line: bool
) -> Iterator[ListRow]:
    """Rows of a delimited table, one per record; the hot loop of a large import."""
    column = fmt.column
    missing = f"row has no column '{fmt.column_name}'"
    classify_, make_row, mask = classify, ListRow, _CANCEL_EVERY - 1
    records = csv_records(stream, fmt.delimiter or ",")
    record = 0
    next_line = 1  # the first line of the next record
    if fmt.has_header:
        header = next(records, None)
        if header is not None:
            record, next_line = 1, 1 + header[0]
    for lines, cells, problem in records:
        record += 1
        number = next_line if by_line else record
        next_line += lines
        if cancel is not None and not record & mask:
            cancel.raise_if_cancelled()
        if problem is not None:
            yield make_row(number, cells[0], _INVALID, None, None, problem)
            continue
        try:
            raw = cells[column]
        except IndexError:
            if _is_filled(cells):
                yield make_row(number, "", _INVALID, None, None, missing)
            else:
                yield make_row(number, "", _BLANK_KIND, None, None, None)
            continue
        if raw.isascii():
            yield make_row(number, raw, *classify_(raw))
        else:
            yield _non_ascii_row(number, raw, fmt)


def _lines(stream: TextIO, fmt: ListFormat, cancel: CancelToken | None) -> Iterator[ListRow]:
    """Rows of a list without delimiter: each line (without its end) is the value."""
    classify_, make_row, mask = classify, ListRow, _CANCEL_EVERY - 1
    number = 0
    for line in bounded_lines(stream):
        number += 1
        if cancel is not None and not number & mask:
            cancel.raise_if_cancelled()
        if number == 1 and fmt.has_header:
            continue
        raw = line.rstrip("\r\n")
        if raw.isascii():
            yield make_row(number, raw, *classify_(raw))
        elif line is CUT_LINE:
            yield make_row(number, "", _INVALID, None, None, TOO_LONG)
        else:
            yield _non_ascii_row(number, raw, fmt)


def _pieces(stream: TextIO, fmt: ListFormat, cancel: CancelToken | None) -> Iterator[ListRow]:
    """Rows of a loose list: one per piece; a line without pieces is one blank row.

    Rows are numbered 1, 2, 3… in reading order, so every row has its own
    number (a list with one value per line is numbered by line).
    """
    number = 0
    item = 0
    for line in bounded_lines(stream):
        number += 1
        if cancel is not None and not number & (_CANCEL_EVERY - 1):
            cancel.raise_if_cancelled()
        if line is CUT_LINE:
            item += 1
            yield ListRow(item, "", _INVALID, None, None, TOO_LONG)
            continue
        content = line.rstrip("\r\n")
        pieces = _split_pieces(content)
        if not pieces:
            item += 1
            yield ListRow(item, shown(content), _BLANK_KIND, None, None, None)
        for piece in pieces:
            item += 1
            yield (
                ListRow(item, piece, *classify(piece))
                if piece.isascii()
                else _non_ascii_row(item, piece, fmt)
            )
