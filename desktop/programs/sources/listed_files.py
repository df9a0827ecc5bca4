"""The file a list source reads: a CSV or JSON file, or the newest one in a folder, as rows.

A CSV (or text) file is read by the importers (:mod:`desktop.importers`: its
encoding, delimiter and header sniffed, every row classified); its rows are
numbered as a spreadsheet shows them (the header is row 1). A JSON file is a
list: of strings (each an email address or a username) or of objects (the
field named by the program, else the one named like an email or a username);
its items are numbered from 1.

Whatever makes the file unusable as a whole raises
:class:`~desktop.importers.files.ListFileError` with a sentence for the user:
a missing file, a folder without list files, an encoding that cannot be read,
no column to read, a JSON that is not valid or not a list.

Thread safety: pure functions over the file system; any worker thread.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from desktop.cancellation import CancelToken
from desktop.i18n import _
from desktop.importers.files import ListFileError, detect_encoding, display_name, open_error
from desktop.importers.identifiers import RowKind, classify
from desktop.importers.lists import ListFormat, ListRow
from desktop.importers.reading import read_file_rows
from desktop.importers.sniffing import header_kind, sniff_file

#: The files a folder's newest is chosen among (compared without case).
LIST_SUFFIXES: Final = (".csv", ".tsv", ".txt", ".json")
#: Bigger JSON files are refused: they are read whole.
MAX_JSON_BYTES: Final = 256 * 1024 * 1024

Unit = Literal["row", "item"]


@dataclass(frozen=True, slots=True)
class ChosenFile:
    path: Path
    #: The list files in the folder it was chosen from (0: the program names the file itself).
    among: int = 0


def _is_list_file(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    # Hidden files, editors' lock files and downloads still being written are not a list yet.
    if name.startswith((".", "~")) or not name.casefold().endswith(LIST_SUFFIXES):
        return False
    return entry.is_file()


def choose_file(path: Path) -> ChosenFile:
    """``path`` itself, or for a folder its newest list file (then the name, for equal times)."""
    if path.is_dir():
        try:
            with os.scandir(path) as entries:
                files = [(entry.stat().st_mtime_ns, entry.name) for entry in entries if _is_list_file(entry)]
        except OSError as error:
            raise open_error(os.fspath(path), error) from error
        if not files:
            raise ListFileError(
                _("The folder “{folder}” holds no list file (CSV, TSV, TXT or JSON).").format(
                    folder=os.fspath(path)
                )
            )
        return ChosenFile(path / max(files)[1], len(files))
    if not path.exists():
        raise ListFileError(_("“{path}” does not exist: it was moved, renamed or deleted.").format(path=path))
    return ChosenFile(path)


def read_rows(
    path: Path, column: str | None, cancel: CancelToken | None = None
) -> tuple[Unit, Iterator[ListRow]]:
    """The rows of the list in ``path``, and whether they are a table's rows or a JSON's items.

    ``column`` names the column (CSV header) or field (JSON objects) holding the
    emails or usernames; None: the one named like them ("Email", "Username", …),
    or the only one.
    """
    if path.suffix.casefold() == ".json":
        return "item", iter(_json_rows(path, column))
    return "row", read_file_rows(path, _csv_format(path, column), cancel=cancel)


def _csv_format(path: Path, column: str | None) -> ListFormat:
    name = display_name(path)
    if column is not None:
        fmt = sniff_file(path, has_header=True)
        wanted = column.strip().casefold()
        for index, title in enumerate(fmt.columns):
            if title.strip().casefold() == wanted:
                return fmt.with_column(index)
        raise ListFileError(
            _("“{name}” has no column “{column}”; its columns are: {columns}.").format(
                name=name, column=column, columns=", ".join(fmt.columns)
            )
        )
    fmt = sniff_file(path)
    if len(fmt.columns) == 1 or (fmt.has_header and header_kind(fmt.column_name) is not None):
        return fmt
    raise ListFileError(
        _(
            "“{name}” has no column named like email addresses or usernames (its columns: {columns}); "
            "name the column to read in the program."
        ).format(name=name, columns=", ".join(fmt.columns))
    )


def _json_text(path: Path) -> str:
    name = display_name(path)
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise ListFileError(
                _("“{name}” is larger than {size} MB, too large for a list.").format(
                    name=name, size=MAX_JSON_BYTES // (1024 * 1024)
                )
            )
        data = path.read_bytes()
    except OSError as error:
        raise open_error(name, error) from error
    if not data.strip():
        raise ListFileError(_("“{name}” is empty.").format(name=name))
    encoding = detect_encoding(data, True, name)
    if not encoding.startswith("utf"):
        # JSON is UTF-8 (RFC 8259); a legacy encoding would be guessed, not known.
        position = _first_bad_byte(data)
        raise ListFileError(
            _(
                "“{name}” is not UTF-8 text (byte {byte} at position {position} cannot be read); "
                "export it as UTF-8."
            ).format(name=name, byte=f"0x{data[position]:02X}", position=position)
        )
    return codecs.decode(data, encoding)


def _first_bad_byte(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


def _json_rows(path: Path, column: str | None) -> list[ListRow]:
    name = display_name(path)
    try:
        document = json.loads(_json_text(path))
    except json.JSONDecodeError as error:
        raise ListFileError(
            _("“{name}” is not valid JSON: {problem} (line {line}, column {column}).").format(
                name=name, problem=error.msg, line=error.lineno, column=error.colno
            )
        ) from error
    if not isinstance(document, list):
        if isinstance(document, dict):
            keys = ", ".join(str(key) for key in list(document)[:5])
            raise ListFileError(
                _("“{name}” holds a JSON object (with {keys}), not a list of members.").format(
                    name=name, keys=keys
                )
            )
        raise ListFileError(_("“{name}” holds a single JSON value, not a list of members.").format(name=name))
    field = _json_field(document, column, name)
    return [_json_row(number, item, field) for number, item in enumerate(document, 1)]


def _json_field(document: list[object], column: str | None, name: str) -> str | None:
    """The field of the objects to read (None: the items are strings)."""
    fields: dict[str, str] = {}  # folded → as written, in the order first met
    for item in document:
        if isinstance(item, dict):
            for key in item:
                fields.setdefault(str(key).casefold(), str(key))
    if not fields:
        return None
    if column is not None:
        found = fields.get(column.strip().casefold())
        if found is None:
            raise ListFileError(
                _("The objects in “{name}” have no field “{column}”; their fields are: {fields}.").format(
                    name=name, column=column, fields=", ".join(fields.values())
                )
            )
        return found
    kinds = {key: header_kind(key) for key in fields.values()}
    for wanted in ("email", "username"):
        for key, kind in kinds.items():
            if kind == wanted:
                return key
    raise ListFileError(
        _(
            "The objects in “{name}” have no field named like email addresses or usernames "
            "(their fields: {fields}); name the field to read in the program."
        ).format(name=name, fields=", ".join(fields.values()))
    )


def _json_row(number: int, item: object, field: str | None) -> ListRow:
    value: object = item
    if field is not None and isinstance(item, dict):
        if field not in item:
            return ListRow(number, "", RowKind.INVALID, None, None, _("has no “{field}”").format(field=field))
        value = item[field]
    if isinstance(value, str):
        return ListRow(number, value, *classify(value))
    if value is None:
        return ListRow(number, "", RowKind.BLANK, None, None, None)
    shown = json.dumps(value, ensure_ascii=False)[:80]
    return ListRow(
        number, shown, RowKind.INVALID, None, None, _("is not text (an email address or a username)")
    )
