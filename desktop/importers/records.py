"""Lines and CSV records from any text, however broken: a bad row is reported, never raised.

A list is whatever the user has: bytes in another encoding, a quote never
closed, a line of a million characters, a broken character pasted from a
damaged file. The readers here turn each of those into one *broken record*
with a reason for the user and go on at the next line, so one bad row never
stops the reading nor swallows the rows behind it. Memory stays bounded: a
line is held only up to :data:`MAX_LINE_CHARS`.

Lone surrogates mark what cannot be read. No decoded file contains them
(undecodable bytes become :data:`MARK` through the :data:`MARK_ERRORS` codec
error handler) and pasted text has its own replaced by :data:`MARK` first
(:func:`marked`); so the other two markers cannot come from the input:

* a line too long to hold comes as :data:`CUT_LINE`;
* the end of the input is probed with :data:`_END`, which tells whether a
  quoted cell was still open there (the csv module silently closes it).

Thread safety: pure functions and generators; a generator belongs to the
thread iterating it.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain
from typing import Final, TextIO

from desktop.i18n import _
from desktop.importers.files import LEGACY_ENCODINGS

__all__ = [
    "CUT_LINE",
    "MARK",
    "MARK_ERRORS",
    "MAX_LINE_CHARS",
    "bounded_lines",
    "csv_records",
    "marked",
    "shown",
    "too_long",
    "unreadable_problem",
]

#: A line this long or longer (in characters) is not held: it bounds the memory one row can take.
MAX_LINE_CHARS: Final = 1 << 20
#: Stands for undecodable bytes in a file, or a lone surrogate in pasted text.
MARK: Final = "\ud800"
MARK_ERRORS: Final = "badgedesk-importers-mark"
_CUT: Final = "\udbff"
#: What :func:`bounded_lines` gives for a line of :data:`MAX_LINE_CHARS` or more (always this object).
CUT_LINE: Final = _CUT + "\n"
_END: Final = "\udfff"
_SURROGATES = re.compile("[\ud800-\udfff]")

#: Longest first line kept as the text of a broken record (what the user sees of it).
_SHOWN_CHARS: Final = 200


def too_long() -> str:
    """Why a row of :data:`MAX_LINE_CHARS` characters or more is invalid."""
    return _("row is longer than {n:,} characters").format(n=MAX_LINE_CHARS)


def _unclosed_quote() -> str:
    return _('starts a quoted cell (") that is never closed')


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    if isinstance(error, UnicodeDecodeError):
        return MARK, error.end
    raise error


codecs.register_error(MARK_ERRORS, _mark_undecodable)


def marked(text: str) -> str:
    """Pasted ``text`` with every lone surrogate replaced by :data:`MARK`, the only one the readers know."""
    # isascii() is O(1) in CPython: nearly every list skips the search.
    return text if text.isascii() else _SURROGATES.sub(MARK, text)


def shown(text: str) -> str:
    """``text`` fit to show and store: markers and lone surrogates become U+FFFD (�)."""
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


def unreadable_problem(encoding: str) -> str:
    """Why a value holding :data:`MARK` is invalid, for a file read as ``encoding`` ("" = pasted text)."""
    if not encoding:
        return _(
            "the pasted text has half of a UTF-16 surrogate pair; copy the list again or retype this value"
        )
    if encoding.startswith("utf-8"):
        return _("has bytes that are not valid UTF-8; save the file as “CSV UTF-8” and import it again")
    if encoding.startswith("utf-16"):
        return _("has bytes that are not valid UTF-16; save the file as “CSV UTF-8” and import it again")
    return _(
        "has bytes that are neither UTF-8 nor {encoding} text;"
        " save the file as “CSV UTF-8” and import it again"
    ).format(encoding=LEGACY_ENCODINGS.get(encoding, encoding))


def bounded_lines(
    stream: TextIO, *, taken: list[str] | None = None, cuts: list[str] | None = None
) -> Iterator[str]:
    """The lines of ``stream`` (opened with ``newline=""``), each ending as in the input.

    A line of :data:`MAX_LINE_CHARS` characters or more is read past, one chunk
    at a time, and comes as :data:`CUT_LINE` (and is added to ``cuts``). Every
    line given is also appended to ``taken``, for a reader that may need to
    read a record again.
    """
    limit = MAX_LINE_CHARS
    read = partial(stream.readline, limit)
    line = read()
    while line:
        if len(line) >= limit:
            line = _after_long_line(read, line)
            if cuts is not None:
                cuts.append(_CUT)
            if taken is not None:
                taken.append(CUT_LINE)
            yield CUT_LINE
            continue
        if taken is not None:
            taken.append(line)
        yield line
        line = read()


def _after_long_line(read: Callable[[], str], chunk: str) -> str:
    """Read to the end of the line whose first ``chunk`` filled the limit; the line after it."""
    while chunk and chunk[-1] not in "\r\n":
        chunk = read()
    following = read()
    if chunk.endswith("\r") and following == "\n":  # a "\r\n" the chunk size cut in two
        following = read()
    return following


def _again(lines: list[str], taken: list[str], cuts: list[str]) -> Iterator[str]:
    """``lines`` read before, given again as :func:`bounded_lines` gave them."""
    for line in lines:
        taken.append(line)
        if line is CUT_LINE:
            cuts.append(_CUT)
        yield line


def _end_probe(events: list[str]) -> Iterator[str]:
    events.append(_END)
    yield _END


def csv_records(stream: TextIO, delimiter: str) -> Iterator[tuple[int, list[str], str | None]]:
    """The records of delimited text: ``(lines, cells, problem)``, problem None for a good record.

    ``lines`` is how many lines of the input the record spans. A record that
    cannot be read (a quoted cell never closed, a cell longer than the csv
    module's field limit, a line longer than :data:`MAX_LINE_CHARS`) comes
    with its problem and its first line (cut to a few hundred characters, as
    :func:`shown`) as its only cell; a quote never closed takes only its own
    line, and reading goes on with the next one.
    """
    taken: list[str] = []  # the lines of the record being read
    events: list[str] = []  # a cut line or the end probe, met in the record being read
    lines = bounded_lines(stream, taken=taken, cuts=events)
    source: Iterator[str] = chain(lines, _end_probe(events))
    while True:
        reader = csv.reader(source, delimiter=delimiter)
        try:
            for cells in reader:
                if not events:  # nearly every record
                    count = len(taken)
                    taken.clear()
                    yield count, cells, None
                    continue
                if _END not in events:
                    count = len(taken)
                    taken.clear()
                    events.clear()
                    yield count, [""], too_long()
                    continue
                if not taken:  # the probe on its own: every line has been read
                    return
                # The probe landed inside a quoted cell: the quote was never closed.
                problem = _unclosed_quote()
                break
            else:
                return
        except csv.Error as error:
            problem = _csv_problem(error, spans_lines=len(taken) > 1)
        yield 1, [_first_line(taken)], problem
        source = _read_again(taken, events, lines)


def _read_again(taken: list[str], events: list[str], lines: Iterator[str]) -> Iterator[str]:
    """The lines after the first one of a broken record, then the rest of the input."""
    again = taken[1:]
    ended = _END in events
    taken.clear()
    events.clear()
    rest = _end_probe(events) if ended else chain(lines, _end_probe(events))
    return chain(_again(again, taken, events), rest)


def _first_line(taken: list[str]) -> str:
    if not taken or taken[0] is CUT_LINE:
        return ""
    line = taken[0].rstrip("\r\n")
    if len(line) > _SHOWN_CHARS:
        line = line[:_SHOWN_CHARS] + "…"
    return shown(line)


def _csv_problem(error: csv.Error, *, spans_lines: bool) -> str:
    if "field larger than field limit" not in str(error):
        # Not expected from lines split as bounded_lines splits them; said plainly all the same.
        return _("cannot be read as a row of cells")
    if spans_lines:
        return _unclosed_quote()
    return _("has a cell longer than {n:,} characters").format(n=csv.field_size_limit())
