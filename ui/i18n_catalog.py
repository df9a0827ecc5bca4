"""The views' translation template, and the pseudo-translation built from it.

``python -m ui.i18n_catalog`` (``./dev i18n``) runs Qt's ``pyside6-lupdate`` over
``ui/`` and writes ``ui/resources/translations/badgedesk.ts``: every ``tr()`` and
``QCoreApplication.translate()`` message with its context, the file a translator
opens in Qt Linguist (``pyside6-linguist``) and saves as ``badgedesk_LANG.ts``;
``pyside6-lrelease`` compiles it to the ``.qm`` :func:`ui.i18n.install_translations` loads.

:class:`PseudoTranslator` translates exactly the messages of that template (and
Qt's own), so a string shown untranslated under ``--language pseudo`` was either
never wrapped or wrapped where lupdate cannot read it (an f-string inside
``tr()``, a context that is not the class's name): both would stay English in a
real translation too.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from PySide6.QtCore import QObject, QTranslator

from desktop.i18n import pseudo
from ui.i18n import TRANSLATIONS_DIR, english_form

UI_ROOT = Path(__file__).parent
TEMPLATE = TRANSLATIONS_DIR / "badgedesk.ts"
# Qt's own classes ("QDialogButtonBox", "QShortcut") translate their texts in their name's context.
_QT_CONTEXT = re.compile(r"Q[A-Z]\w*$")

Message = tuple[str, str]


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else name


def ui_sources(root: Path = UI_ROOT) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if "__pycache__" not in path.parts)


def extract(target: Path, sources: list[Path] | None = None) -> None:
    """Write the template of every wrapped message in ``sources`` (default: all of ``ui/``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written afresh: the template carries no translations to keep (and lupdate cannot read
    # a template left with merge conflict marks).
    target.unlink(missing_ok=True)
    files = [str(path) for path in (sources if sources is not None else ui_sources())]
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            *files,
            "-locations",
            "none",
            "-no-obsolete",
            "-silent",
            "-source-language",
            "en",
            "-ts",
            str(target),
        ],
        check=True,
    )
    target.write_text(_counted(_NOTE.sub("", target.read_text(encoding="utf-8"))), encoding="utf-8")


_UNCOUNTED = re.compile(
    r'<message>(\s*<source>[^<]*%L?n[^<]*</source>\s*)<translation type="unfinished"></translation>'
)


# lupdate reads a Python "#:" comment as a note to translators; ours document attributes.
_NOTE = re.compile(r"\s*<extracomment>.*?</extracomment>", re.S)


def _counted(ts: str) -> str:
    """Mark ``%n`` messages lupdate missed (``QCoreApplication.translate(c, s, "", n)``) as counted."""
    return _UNCOUNTED.sub(
        r'<message numerus="yes">\1<translation type="unfinished">\n'
        r"            <numerusform></numerusform>\n        </translation>",
        ts,
    )


def messages(ts: Path) -> dict[Message, bool]:
    """The (context, source) pairs of a .ts file; True for a counted (``%n``) message."""
    found: dict[Message, bool] = {}
    root = ElementTree.parse(ts).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            found[(name, source)] = message.get("numerus") == "yes"
    return found


class PseudoTranslator(QTranslator):
    """Every message of the template, and Qt's own, pseudo-translated."""

    def __init__(self, known: dict[Message, bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.known = known

    def translate(  # None: not ours to answer, Qt asks the next translator
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if (context, source) not in self.known and not _QT_CONTEXT.match(context):
            return None  # not in the template: shown as written, so the test sees it
        return pseudo(english_form(source, n) if n >= 0 else source)

    def isEmpty(self) -> bool:
        return False


def pseudo_translator(parent: QObject | None = None, template: Path = TEMPLATE) -> PseudoTranslator:
    return PseudoTranslator(messages(template), parent)


def main() -> int:
    extract(TEMPLATE)
    found = messages(TEMPLATE)
    print(f"{len(found)} view messages ({sum(found.values())} counted) in {TEMPLATE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
