"""The views are ready for translation: a current template, the locale's formats, Qt's texts translated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.i18n import _
from tests.ui import untranslated
from tests.ui.translation_walk import clipped
from tests.ui.translation_walk import untranslated as untranslated_texts
from ui import app as app_module
from ui.i18n import format_date, format_datetime, format_number, install_translations, shows_data
from ui.i18n_catalog import TEMPLATE, extract, messages


@pytest.fixture()
def german(qapp: QApplication) -> Iterator[None]:
    install_translations(qapp, "de_DE")
    yield
    install_translations(qapp, "en_US")


def test_no_view_shows_a_literal_without_translating_it() -> None:
    assert untranslated.problems() == []


def test_the_finder_sees_literals_f_strings_and_unreadable_tr(tmp_path: Path) -> None:
    source = tmp_path / "view.py"
    source.write_text(
        "def build(self, label, n):\n"
        '    label.setText("Apply")\n'
        '    self.message.emit(f"Exported {n} rows")\n'
        '    label.setText(self.tr(f"Exported {n}"))\n'
        '    label.setText(self.tr("Apply"))\n'
        '    label.setText("BadgeDesk")  # i18n: not translated\n'
        '    label.setText(f"{n:,}")\n',
        encoding="utf-8",
    )
    found = [line.split(": ", 1)[1] for line in _problems_of(source)]
    assert found == [
        "untranslated text shown by setText()",
        "untranslated text shown by emit()",
        "tr() of text built in the call: lupdate cannot read it",
    ]


def _problems_of(path: Path) -> list[str]:
    original = untranslated.UI
    untranslated.UI = path.parent
    try:
        return untranslated.problems_in(path)
    finally:
        untranslated.UI = original


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What lupdate extracts from the views as they are now."""
    fresh = tmp_path_factory.mktemp("i18n") / "badgedesk.ts"
    extract(fresh)
    return fresh


def test_the_translation_template_is_current(fresh_template: Path) -> None:
    """ui/resources/translations/badgedesk.ts holds every message of the views (./dev i18n)."""
    assert messages(TEMPLATE) == messages(fresh_template), "run ./dev i18n"


def test_lupdate_extracts_every_wrapped_text_under_its_context(fresh_template: Path) -> None:
    """lupdate skips some calls silently (a count computed in the call, "//" in an argument):
    such a text would stay English in every translation."""
    extracted = messages(fresh_template)
    missed = [
        f"{where}: {context}: {text!r}"
        for (context, text), where in untranslated.wrapped().items()
        if (context, text) not in extracted
    ]
    assert missed == [], "\n".join(missed)


def test_counts_read_as_english_and_group_thousands() -> None:
    translate = QCoreApplication.translate
    assert translate("Test", "%n member(s)", "", 1) == "1 member"
    assert translate("Test", "%Ln member(s) (is|are) waiting", "", 20000) == "20,000 members are waiting"
    assert translate("Test", "%n entry", "", 3) == "3 entry"  # no plural marked: left as written


def test_dates_and_numbers_follow_the_locale(german: None) -> None:
    moment = dt.datetime(2024, 1, 5, 15, 4, 9)
    assert format_date(moment.date()) == "05.01.24"
    assert format_datetime(moment) == "05.01.24 15:04"
    assert format_datetime(moment, seconds=True) == "05.01.24 15:04:09"
    assert format_number(20000) == "20.000"
    assert format_number(2.5) == "2,5"


def test_dates_and_numbers_in_the_tests_english() -> None:
    moment = dt.datetime(2024, 1, 5, 15, 4, 9)
    assert format_date(moment) == "1/5/24"
    assert format_datetime(moment).replace("\u202f", " ") == "1/5/24 3:04 PM"
    assert format_number(20000) == "20,000"
    assert format_date(None) == format_datetime(None) == ""


def test_qt_s_own_texts_come_in_the_chosen_language(german: None) -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    assert _("Cannot read {path}") == "Cannot read {path}"  # no German catalogue yet: English


def test_the_language_is_chosen_on_the_command_line() -> None:
    assert app_module.parse_args(["--language", "pseudo"]).language == "pseudo"
    assert app_module.parse_args([]).language is None


def test_the_walk_finds_english_and_cut_text(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    english = QLabel("Members")
    data = shows_data(QLabel("Ann Lee"))
    squeezed = QPushButton("[Åpprövé åll thé réqüéštš~~~~~~]")
    squeezed.setFixedWidth(40)
    for widget in (english, data, squeezed):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    assert [problem.split(": ")[0] for problem in untranslated_texts(window)] == ["label of QLabel(?)"]
    assert len(clipped(window)) == 1


def test_a_text_lupdate_skips_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "ui"
    folder.mkdir()
    (folder / "view.py").write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "def age(seconds: int) -> tuple[str, str]:\n"
        '    return (QCoreApplication.translate("View", "%n minute(s) ago", "", seconds // 60),\n'
        '            QCoreApplication.translate("View", "Age"))\n',
        encoding="utf-8",
    )
    template = tmp_path / "view.ts"
    extract(template, [folder / "view.py"])
    original = untranslated.UI
    untranslated.UI = folder
    try:
        asked = untranslated.wrapped(folder)
    finally:
        untranslated.UI = original
    assert set(asked) == {("View", "%n minute(s) ago"), ("View", "Age")}
    assert set(asked) - set(messages(template)) == {("View", "%n minute(s) ago")}
