"""Streaming the rows of a member list read as a :class:`~desktop.importers.lists.ListFormat`.

Every row comes out classified, a bad one as invalid with its reason; files
are read as a stream, so memory stays flat however long the list is.

Thread safety: the iterators returned by the readers belong to the thread
that iterates them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import Final, TextIO

from desktop.cancellation import CancelToken
from desktop.i18n import _
from desktop.importers.files import ListFileError, display_name, open_error
from desktop.importers.identifiers import RowKind, classify
from desktop.importers.lists import ListFormat, ListRow, is_filled, split_pieces
from desktop.importers.records import (
    CUT_LINE,
    MARK,
    MARK_ERRORS,
    bounded_lines,
    csv_records,
    marked,
    shown,
    too_long,
    unreadable_problem,
)

#: The cancel token is checked once per this many rows (a power of two, used as a mask).
_CANCEL_EVERY: Final = 4096

_IDENTIFIER, _BLANK_KIND, _INVALID = RowKind.IDENTIFIER, RowKind.BLANK, RowKind.INVALID


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
                _("“{name}” could not be read to the end ({reason}); check the file and try again.").format(
                    name=name, reason=reason
                )
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
    missing = _("row has no column '{name}'").format(name=fmt.column_name)
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
            if is_filled(cells):
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
            yield make_row(number, "", _INVALID, None, None, too_long())
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
            yield ListRow(item, "", _INVALID, None, None, too_long())
            continue
        content = line.rstrip("\r\n")
        pieces = split_pieces(content)
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
