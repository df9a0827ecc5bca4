"""The search box's text as an FTS5 query (``members_fts``): each word a prefix, all required.

Used by the member search (:mod:`desktop.member_search`, which re-exports it)
and by rules' text conditions (:mod:`desktop.rule_sql`).

Thread safety: a pure function; any thread.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")


def match_expression(text: str) -> str | None:
    """The FTS5 query for ``text``: every word as a prefix, all required.

    Each whitespace-separated word becomes a quoted FTS5 string (quotes
    doubled), so nothing the user types is read as FTS5 syntax. The words are
    not folded here: FTS5 runs them through the same tokenizer as the stored
    names, so both sides fold case and accents alike in every script
    ("Straße", "김민수" and "Οδυσσέας" find themselves as typed). A word
    with punctuation inside ("ann-marie", "annika@ex") becomes a phrase of
    its parts.
    """
    words = [w for w in text.split() if _WORD.search(w)]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)
