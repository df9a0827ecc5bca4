"""The core's user-facing messages, ready for translation with gettext (no Qt here).

A message the user may read (an error the window shows, a line the command line
prints, a conflict's explanation) is written ``_("…")``, with ``{name}`` fields
filled by ``.format()`` *after* translation, and counts with
``ngettext("one …", "{n} …", n)``. Log lines, identifiers and wire values stay
untranslated. ``./dev i18n`` writes every marked message to
``desktop/locale/badgedesk.pot`` (see :mod:`desktop.i18n_catalog`); a language's
compiled catalogue goes to ``desktop/locale/LANG/LC_MESSAGES/badgedesk.mo``.

The application chooses the language once at start (:func:`use_languages`);
tests swap the translation with :func:`use_translation`. :func:`pseudo` is the
pseudo-translation both the core and the views use to find strings that were
never marked and layouts that break when text grows.
"""

from __future__ import annotations

import gettext
import math
import re
from collections.abc import Sequence
from pathlib import Path

DOMAIN = "badgedesk"
LOCALE_DIR = Path(__file__).with_name("locale")

_translation: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the user's language (itself when there is no translation)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` in the user's language."""
    return _translation.ngettext(singular, plural, n)


def use_translation(translation: gettext.NullTranslations) -> gettext.NullTranslations:
    """Translate the core's messages with ``translation``; returns the one used before."""
    global _translation
    previous, _translation = _translation, translation
    return previous


def use_languages(languages: Sequence[str]) -> gettext.NullTranslations:
    """Use the first of ``languages`` ("de_DE", "de", …) with a catalogue; English otherwise."""
    if list(languages) == ["pseudo"]:
        return use_translation(PseudoTranslations())
    wanted = [language.replace("-", "_") for language in languages]
    found = gettext.translation(DOMAIN, LOCALE_DIR, languages=wanted or None, fallback=True)
    return use_translation(found)


# What pseudo-translation leaves alone: format fields ({name}, {count:,}), printf and Qt
# placeholders (%s, %(name)s, %n, %1), HTML tags and entities, and a mnemonic's letter
# (&S keeps Alt+S working; && is a literal ampersand).
_KEPT = re.compile(
    r"\{[^{}]*\}|%\([a-z_]+\)[sd]|%L?[0-9n]|%[sd%]|<[^<>]*>|&[a-z]+;|&&|&\S",
)
_ACCENTED = str.maketrans(
    "AaCcEeIiNnOoSsUuYyZz",
    "ÅåÇçÉéÎîÑñÖöŠšÜüÝýŽž",
)
#: The marks around every pseudo-translated text (a test finds text without them).
PSEUDO_OPEN, PSEUDO_CLOSE = "[", "]"


def pseudo(text: str) -> str:
    """``text`` accented, 30 % longer and bracketed, its placeholders intact."""
    if not text:
        return text
    parts: list[str] = []
    at = 0
    for match in _KEPT.finditer(text):
        parts.append(text[at : match.start()].translate(_ACCENTED))
        parts.append(match.group())
        at = match.end()
    parts.append(text[at:].translate(_ACCENTED))
    padding = "~" * max(1, math.ceil(len(text) * 0.3))
    return f"{PSEUDO_OPEN}{''.join(parts)}{padding}{PSEUDO_CLOSE}"


class PseudoTranslations(gettext.NullTranslations):
    """Every message pseudo-translated (``--language pseudo``, and the UI's pseudo test)."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
