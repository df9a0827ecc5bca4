"""Reading user-provided data into the core (member lists for batches); never imports Qt."""

from desktop.importers.lists import (
    ListFileError,
    ListFormat,
    ListRow,
    RowKind,
    classify,
    read_file_rows,
    read_text_rows,
    sniff_file,
    sniff_text,
)

__all__ = [
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
