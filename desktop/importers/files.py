"""Opening a list file: refusing what is not a list of members, and choosing its encoding.

Only here does reading a list fail as a whole (:class:`ListFileError`): a file
that cannot be opened, is empty, binary (an image, a workbook, random bytes)
or UTF-32. Everything inside a readable file is reported row by row.

Thread safety: pure functions, safe on any thread.
"""

from __future__ import annotations

import codecs
import os
import re
from typing import Final

from desktop.i18n import _

__all__ = [
    "CONTROL",
    "LEGACY_ENCODINGS",
    "ListFileError",
    "detect_encoding",
    "display_name",
    "not_text",
    "open_error",
    "too_many_controls",
]


class ListFileError(Exception):
    """The file (or text) cannot be read as a list.

    ``str(error)`` is a complete sentence for the user, naming the file or row.
    """


_UTF32_BOMS: Final = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES: Final = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
    (b"\x1f\x8b", "gzip"),
)


def _kind_of_file(signature: str) -> str:
    """What a file with this signature is, in words (translated when a file is refused)."""
    return {
        "zip": _("a ZIP archive, which is what Excel (.xlsx) and OpenDocument (.ods) workbooks are"),
        "office": _("an old Excel workbook (.xls) or another Office document"),
        "png": _("a PNG image"),
        "jpeg": _("a JPEG image"),
        "gif": _("a GIF image"),
        "pdf": _("a PDF document"),
        "gzip": _("a gzip archive"),
    }[signature]


#: The encodings a file without BOM that is not UTF-8 may be read in, with their names for the user:
#: the ANSI code pages Windows (and so Excel's "CSV") uses in each language, and KOI8. Not Mac OS
#: Roman: charset-normalizer takes Windows-1252's typographic quotes, dashes and "€" for it.
#: Keys are Python's codec names (``codecs.lookup(name).name``).
LEGACY_ENCODINGS: Final = {
    "cp1252": "Windows-1252",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1253": "Windows-1253",
    "cp1254": "Windows-1254",
    "cp1255": "Windows-1255",
    "cp1256": "Windows-1256",
    "cp1257": "Windows-1257",
    "cp1258": "Windows-1258",
    "cp874": "Windows-874",
    "cp932": "Shift JIS",
    "gb18030": "GB18030",
    "big5": "Big5",
    "cp949": "Windows-949",
    "koi8-r": "KOI8-R",
    "koi8-u": "KOI8-U",
}
#: Fewer non-ASCII bytes than this are too few to tell one legacy encoding from another.
_GUESS_FROM_BYTES: Final = 16
_ASCII: Final = bytes(range(128))
_UNDEFINED_IN_CP1252: Final = b"\x81\x8d\x8f\x90\x9d"
#: How much messier than the best guess (charset-normalizer's chaos, 0 to 1) a better-fitting one may read.
_CHAOS_MARGIN: Final = 0.05
_MULTIBYTE: Final = ("cp932", "gb18030", "big5", "cp949")

#: Control characters in decoded text: a stray one is text, many are binary data.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def not_text(name: str, what: str | None = None) -> ListFileError:
    if what is None:
        return ListFileError(
            _(
                "“{name}” does not look like a text file: it contains binary data. "
                "Choose a CSV or text file with one email address or username per row."
            ).format(name=name)
        )
    return ListFileError(
        _(
            "“{name}” does not look like a text file: it seems to be {what}. "
            "Save the sheet as CSV (for example “CSV UTF-8” in Excel) and choose that file."
        ).format(name=name, what=what)
    )


def too_many_controls(count: int, length: int) -> bool:
    """Text has the odd stray control character (a DOS end-of-file mark); binary data has many."""
    return count >= 3 and count * 100 > length


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: every other byte is mostly NUL, as in mostly-ASCII text; else None."""
    half = len(data) // 2
    if half < 2:
        return None
    even, odd = data[0 : half * 2 : 2].count(0), data[1 : half * 2 : 2].count(0)
    if odd * 10 >= half * 3 and even * 10 <= odd:
        return "utf-16-le"
    if even * 10 >= half * 3 and odd * 10 <= even:
        return "utf-16-be"
    return None


def _decodes(data: bytes, encoding: str, final: bool) -> bool:
    """Whether ``data`` is valid in ``encoding``; a character cut at the end is fine unless ``final``."""
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes, at_eof: bool, name: str) -> str:
    """Choose the codec for a file from its first bytes (see :func:`.sniffing.sniff_file`)."""
    if data.startswith(_UTF32_BOMS):
        raise ListFileError(
            _("“{name}” is saved as UTF-32, which BadgeDesk cannot read; save it as UTF-8.").format(name=name)
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise not_text(name, _kind_of_file(kind))
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16  # NULs in every other byte say UTF-16 even when a broken character follows
    if b"\x00" in data:
        raise not_text(name)
    if _decodes(data, "utf-8", at_eof):
        return "utf-8"
    # Not UTF-8: random bytes have plenty of control bytes, legacy text has almost none.
    if too_many_controls(len(_CONTROL_BYTES.findall(data)), len(data)):
        raise not_text(name)
    # A multibyte character cut at the end of the sample would spoil a guess: guess from whole lines.
    return _legacy_encoding(data if at_eof else data[: data.rfind(b"\n") + 1] or data)


def _legacy_encoding(data: bytes) -> str:
    """The legacy encoding of ``data`` (not UTF-8, no BOM): charset-normalizer's guess, or Windows-1252.

    charset-normalizer tells scripts apart (Cyrillic, Greek, Japanese, …) but not the Latin code
    pages, which decode names like "José" alike, and it guesses wildly from a few bytes. So
    Windows-1252, what Excel saves as "CSV" in Western Europe and the Americas, is kept when
    there are too few non-ASCII bytes to tell, or when it reads them as cleanly as the best
    guess, or would but for a stray byte or two it leaves undefined (reported per row when read).
    """
    non_ascii = len(data.translate(None, _ASCII))
    if non_ascii < _GUESS_FROM_BYTES:
        return "cp1252"
    encoding = _guess(data)
    if encoding != "cp1252":
        cleaned = data.translate(None, _UNDEFINED_IN_CP1252)
        stray = len(data) - len(cleaned)
        if stray > 0 and stray * 20 < non_ascii and _guess(cleaned) == "cp1252":
            return "cp1252"
    return encoding or "cp1252"


def _guess(data: bytes) -> str | None:
    """charset-normalizer's legacy encoding for ``data`` (Windows-1252 if it reads it as well); None if none.

    Names next to ASCII addresses look a little messy in any script. A multibyte encoding
    that pairs every byte as cleanly as the best guess wins; else, among the guesses almost
    as clean as the best, the one whose letters fit a language best.
    """
    # Imported when a legacy file is read: 20 ms at start.
    import charset_normalizer

    matches = charset_normalizer.from_bytes(
        data, cp_isolation=list(LEGACY_ENCODINGS), preemptive_behaviour=False
    )
    best = matches.best()
    if best is None:
        return None
    if "cp1252" in best.could_be_from_charset or any(
        match.encoding == "cp1252" and match.chaos <= best.chaos for match in matches
    ):
        return "cp1252"
    multibyte = [match for match in matches if match.encoding in _MULTIBYTE and match.chaos <= best.chaos]
    if multibyte:
        best = multibyte[0]
    else:  # coherence (letter frequencies) knows alphabets, not CJK
        close = [match for match in matches if match.chaos <= best.chaos + _CHAOS_MARGIN]
        best = max(close, key=lambda match: match.coherence)
    encoding = codecs.lookup(best.encoding).name
    return encoding if encoding in LEGACY_ENCODINGS else None


def display_name(path: str | os.PathLike[str]) -> str:
    return os.path.basename(os.fspath(path)) or os.fspath(path)


def open_error(name: str, error: OSError) -> ListFileError:
    reason = error.strerror or str(error)
    return ListFileError(_("“{name}” cannot be opened: {reason}.").format(name=name, reason=reason))
