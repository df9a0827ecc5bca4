"""Text the user reads (a batch's name) as part of a file name a save dialog suggests."""

from __future__ import annotations

#: Characters no file name may hold on Windows (and "/" nowhere).
_RESERVED = frozenset('<>:"/\\|?*')


def file_name_part(text: str) -> str:
    """``text`` fit for a file name on any system: no separator, reserved or control character.

    "Contest Winner · 2025-06-12 · #3 · 40 members" → "Contest Winner - 2025-06-12 - #3 - 40 members".
    """
    cleaned = "".join(" " if c in _RESERVED or ord(c) < 32 else c for c in text.replace("·", "-"))
    return " ".join(cleaned.split()).strip(" .")
