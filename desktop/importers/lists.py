"""Reading member lists for batch awards: CSV or text files, and pasted text.

This module holds what a list is read as: its :class:`ListFormat` and its
rows (:class:`ListRow`). Two steps use them. *Sniffing*
(:mod:`desktop.importers.sniffing`: ``sniff_file``, ``sniff_text``) looks at
the start of the input and proposes a :class:`ListFormat`: encoding,
delimiter, header row and the column holding emails or usernames, with a
preview the user can check (and change the column). *Reading*
(:mod:`desktop.importers.reading`: ``read_file_rows``, ``read_text_rows``)
then streams every row as a classified :class:`ListRow`; files are never
loaded whole, so memory stays flat however long the list is. Deduplicating
and looking members up is for the caller (:mod:`desktop.batches`).

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

Thread safety: everything here is pure and may run on any thread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from desktop.i18n import _
from desktop.importers.files import LEGACY_ENCODINGS
from desktop.importers.identifiers import IdType, RowKind

__all__ = ["PREVIEW_ROWS", "ListFormat", "ListRow", "is_filled", "split_pieces"]

#: Data rows a :class:`ListFormat` previews (after the header).
PREVIEW_ROWS: Final = 20

_DELIMITERS: Final[frozenset[str | None]] = frozenset({",", ";", "\t", None})
_ENCODINGS: Final = frozenset(
    {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "", *LEGACY_ENCODINGS}
)


def _delimiter_name(delimiter: str | None) -> str:
    names: dict[str | None, str] = {
        ",": _("comma-separated"),
        ";": _("semicolon-separated"),
        "\t": _("tab-separated"),
        None: _("one value per line"),
    }
    return names[delimiter]


def _encoding_name(encoding: str) -> str:
    """The name of a :attr:`ListFormat.encoding` for the user ("UTF-8 with BOM", "Windows-1251")."""
    if encoding in LEGACY_ENCODINGS:
        return LEGACY_ENCODINGS[encoding]
    names = {
        "utf-8": "UTF-8",
        "utf-8-sig": _("UTF-8 with BOM"),
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16 LE",
        "utf-16-be": "UTF-16 BE",
        "": _("pasted text"),
    }
    return names[encoding]


@dataclass(frozen=True, slots=True)
class ListFormat:
    """How to read a list; proposed by ``sniffing.sniff_file`` / ``sniffing.sniff_text``."""

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
        if self.delimiter not in _DELIMITERS:
            raise ValueError(f"Unsupported delimiter {self.delimiter!r}; use ',', ';', tab or None.")
        if self.encoding not in _ENCODINGS:
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
            return _("pasted text, values separated by new lines, commas, semicolons, tabs or spaces")
        parts = [_encoding_name(self.encoding), _delimiter_name(self.delimiter)]
        parts.append(_("header row") if self.has_header else _("no header row"))
        if self.delimiter is not None or self.has_header:
            parts.append(_("column '{name}'").format(name=self.column_name))
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of a list, classified.

    ``row`` is 1-based, as described in the module docstring (files: record
    number, header = 1; pasted text: line number, shared by the pieces of a
    loose-list line). ``raw`` is the chosen cell exactly as read (for a loose
    list: the piece, without its separators). ``key`` (identifiers only) is
    what duplicates and lookups compare: see
    :func:`desktop.importers.identifiers.classify`.
    """

    row: int
    raw: str
    kind: RowKind
    key: str | None
    id_type: IdType | None
    problem: str | None


def is_filled(cells: Sequence[str]) -> bool:
    """Whether a record has a cell that is not blank."""
    return any(not cell.isspace() and cell for cell in cells)


_PIECE = re.compile(r'(?:"[^"]*"?|[^,;\t"])+')


def split_pieces(line: str) -> list[str]:
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
