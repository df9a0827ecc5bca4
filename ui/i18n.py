"""The views' language: Qt's translation tools, the locale's dates and numbers.

How a view's text is written (``./dev i18n`` extracts it with ``pyside6-lupdate``
into ``ui/resources/translations/badgedesk.ts``, the template translators start from):

- in a QObject subclass: ``self.tr("&Apply")``; the context is the class's name;
- anywhere else (item models' headers, module functions):
  ``QCoreApplication.translate("MemberTable", "Name")``;
- a count: ``self.tr("%n member(s)", "", n)``, shown "1 member", "3 members" in English
  (:class:`EnglishPlurals`) and as a translation's plural forms elsewhere; ``%Ln``
  groups thousands by the locale ("20,000");
- fields: ``self.tr("Granted by {who}").format(who=…)``, filled after translating;
- dates and numbers outside a message: :func:`format_date`, :func:`format_datetime`,
  :func:`format_number` (the locale's conventions, never ``strftime``);
- a label that shows the user's data (a member's name), not our text: :func:`shows_data`,
  so the pseudo-translation test does not expect it translated.

:func:`install_translations` picks the language at start: Qt's own translations
(``qtbase_LANG.qm``: the standard buttons, the file dialog), BadgeDesk's (if
that language has one) and the core's gettext catalogue. ``--language pseudo``
shows every wrapped string bracketed and 30 % longer (:mod:`ui.i18n_catalog`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QTime,
    QTranslator,
)
from PySide6.QtWidgets import QWidget

from desktop import i18n as core_i18n

TRANSLATIONS_DIR = Path(__file__).with_name("resources") / "translations"
#: The property :func:`shows_data` sets on a widget showing the user's data, not our text.
DATA_PROPERTY = "badgedeskShowsData"
#: A header role: True where a column's title is the user's data (a badge's name), not our text.
SHOWS_DATA_ROLE = int(Qt.ItemDataRole.UserRole) + 99
#: How many leading choices of a data combo box are our text (:func:`shows_data`).
OUR_CHOICES_PROPERTY = "badgedeskOurChoices"

# "member(s)" -> member / members; "(is|are)" -> is / are.
_PLURAL = re.compile(r"(?<=\w)\(([a-z]+)\)|\(([^()|]*)\|([^()|]*)\)")


def english_form(text: str, n: int) -> str:
    """The English singular (``n == 1``) or plural of a ``%n`` message's source text."""
    one = n == 1

    def form(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return "" if one else match.group(1)
        return match.group(2) if one else match.group(3)

    return _PLURAL.sub(form, text)


class EnglishPlurals(QTranslator):
    """English plural forms for ``%n`` messages with no translation of their own.

    Installed first, so a real translation installed later answers before it.
    """

    def translate(  # None: not ours to answer, Qt asks the next translator
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if n < 0 or "%" not in source or "(" not in source:
            return None  # not ours to answer (an empty text would be an answer: blank)
        return english_form(source, n)

    def isEmpty(self) -> bool:
        return False


def shows_data(widget: QWidget, our_choices: int = 0) -> QWidget:
    """Mark ``widget`` as showing the user's data (a name, a note), not text to translate.

    A combo box of data may start with ``our_choices`` of our own ("All badges").
    """
    widget.setProperty(DATA_PROPERTY, True)
    widget.setProperty(OUR_CHOICES_PROPERTY, our_choices)
    return widget


def translated(context: str, marked: object) -> str:
    """A table's text, marked ``QT_TRANSLATE_NOOP(context, marked)`` where it is defined, as shown.

    lupdate reads the message at its mark; here it is only looked up. (``marked`` is
    typed ``object`` as PySide's stubs type what ``QT_TRANSLATE_NOOP`` returns.)
    """
    text = str(marked)
    return QCoreApplication.translate(context, text)


def _as_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """A date as the user's locale writes it briefly; a datetime is shown in local time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone().date() if value.tzinfo else value.date()
    return QLocale().toString(_as_qdate(value), QLocale.FormatType.ShortFormat)


def format_datetime(value: dt.datetime | None, seconds: bool = False) -> str:
    """A moment in local time, as the user's locale writes date and time briefly."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo else value
    locale = QLocale()
    time_format = locale.timeFormat(QLocale.FormatType.ShortFormat)
    if seconds and ":ss" not in time_format:
        time_format = time_format.replace(":mm", ":mm:ss")
    date = locale.toString(_as_qdate(local.date()), QLocale.FormatType.ShortFormat)
    time = locale.toString(QTime(local.hour, local.minute, local.second), time_format)
    return f"{date} {time}"


def format_number(value: int | float, decimals: int = 1) -> str:
    """A number with the locale's digit grouping and decimal sign."""
    if isinstance(value, int):
        return QLocale().toString(value)
    return QLocale().toString(float(value), "f", decimals)


class Translations(QObject):
    """The translators installed at start, kept alive for the application's life."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.translators: list[QTranslator] = []
        self.language = ""

    def install(self, translator: QTranslator) -> None:
        QCoreApplication.installTranslator(translator)
        self.translators.append(translator)

    def remove_all(self) -> None:
        for translator in reversed(self.translators):
            QCoreApplication.removeTranslator(translator)
        self.translators.clear()


def default_locale() -> QLocale:
    """The system's locale; "C" (no preference, as on a bare server) reads as US English."""
    system = QLocale.system()
    if system.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return system


def remove_translations(app: QCoreApplication) -> None:
    """Take back what :func:`install_translations` installed (Qt shows the source texts)."""
    for existing in app.findChildren(Translations):
        existing.remove_all()
        existing.setParent(None)
        existing.deleteLater()


def available_languages() -> list[str]:
    """The languages BadgeDesk has a translation for ("de", "fr_CA"), besides its English."""
    return sorted(path.stem.removeprefix("badgedesk_") for path in TRANSLATIONS_DIR.glob("badgedesk_*.qm"))


def install_translations(app: QCoreApplication, language: str | None = None) -> Translations:
    """Translate the views, Qt's own dialogs and the core into ``language`` (default: the system's).

    ``language`` is a locale name ("de", "fr_CA") or "pseudo". A language with no
    BadgeDesk translation still gets Qt's (standard buttons) and the locale's dates.
    """
    remove_translations(app)
    translations = Translations(app)
    translations.install(EnglishPlurals(translations))
    if language == "pseudo":
        from ui.i18n_catalog import pseudo_translator

        locale = default_locale()
        translations.install(pseudo_translator(translations))
    else:
        locale = QLocale(language) if language else default_locale()
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in (("qtbase", qt_dir), ("badgedesk", str(TRANSLATIONS_DIR))):
            translator = QTranslator(translations)
            if translator.load(locale, name, "_", folder):
                translations.install(translator)
    QLocale.setDefault(locale)
    core_i18n.use_languages(["pseudo"] if language == "pseudo" else locale.uiLanguages())
    translations.language = language or locale.name()
    return translations
