"""Showing text that others wrote.

Qt guesses whether a string is rich text (``Qt.mightBeRichText``) in labels and
tooltips; member-provided text must never be interpreted as HTML, so it is
either shown with ``Qt.PlainText`` or escaped here.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally, line breaks kept."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
