"""The importers' use of email-validator (addresses) and charset-normalizer (legacy encodings).

email-validator decides whether a value is an address, by its syntax only: it never looks
anything up. charset-normalizer names the encoding of a file that is neither UTF-8 nor marked
by a BOM; Windows-1252 stays the answer when it cannot tell (see ``files._legacy_encoding``).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.importers import identifiers
from desktop.importers.files import ListFileError
from desktop.importers.identifiers import RowKind, classify
from desktop.importers.reading import read_file_rows
from desktop.importers.sniffing import sniff_file
from desktop.programs.sources.listed_files import read_rows

IDENTIFIER, INVALID = RowKind.IDENTIFIER, RowKind.INVALID
UNREADABLE = (
    "has bytes that are neither UTF-8 nor {encoding} text; save the file as “CSV UTF-8” and import it again"
)


def library_accepts(value: str) -> bool:
    """email-validator's verdict, except that special-use domains (``.local``, ``.test``) count as domains."""
    local, _at, domain = value.rpartition("@")
    head, _dot, top = domain.rpartition(".")
    if head and top.casefold() in SPECIAL_USE_DOMAIN_NAMES:
        value = f"{local}@{head}.org"
    try:
        validate_email(
            value, check_deliverability=False, allow_quoted_local=False, allow_domain_literal=False
        )
    except EmailNotValidError:
        return False
    return True


# --- email-validator ---------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Any name lookup or socket fails the test (and is recorded, in case the failure is swallowed)."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: object, **kwargs: object) -> Any:
            attempts.append(what)
            raise AssertionError(f"network used while checking addresses: {what}{args!r}")

        return refused

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection", "socket"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield attempts
    assert attempts == []


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("josé@exämple.org", "josé@exämple.org"),
        ("Zoë <ZOË@Bücher.Example>", "zoë@bücher.example"),
        ("ann@shop.xn--p1ai", "ann@shop.xn--p1ai"),  # "--" takes the slow path
        ("山田@例え.jp", "山田@例え.jp"),
        # Special-use domains: undeliverable, but intranet and test communities use them.
        ("ann@example.test", "ann@example.test"),
        ("Ann@Intranet.LOCAL", "ann@intranet.local"),
        ("x@server.home.arpa", "x@server.home.arpa"),
        ("ann@bücher.local", "ann@bücher.local"),
        ("nobody@no-such-domain-anywhere.xn--zckzah", "nobody@no-such-domain-anywhere.xn--zckzah"),
    ],
)
def test_checking_an_address_never_looks_anything_up(no_network: list[str], raw: str, key: str) -> None:
    assert classify(raw) == (IDENTIFIER, key, "email", None)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("a..b@example.org", "email has a '.' at the start or end of the part before '@', or two in a row"),
        (".ann@example.org", "email has a '.' at the start or end of the part before '@', or two in a row"),
        ("ann.@example.org", "email has a '.' at the start or end of the part before '@', or two in a row"),
        ("ann@-example.org", "email domain '-example.org' has a part that starts or ends with '-'"),
        ("ann@example-.org", "email domain 'example-.org' has a part that starts or ends with '-'"),
        ("ann@example.123", "email domain 'example.123' is not a valid domain name"),
        ("ann@ab--cd.org", "email domain 'ab--cd.org' is not a valid domain name"),
        ("ann@xn--zz.org", "email domain 'xn--zz.org' is not a valid domain name"),
    ],
)
def test_addresses_email_validator_refuses_say_why(no_network: list[str], raw: str, problem: str) -> None:
    """Shapes the hand-written check let through; the reasons are ours (translatable), not the library's."""
    assert classify(raw) == (INVALID, None, None, problem)


_ASCII_ADDRESS = st.text(st.sampled_from("ab9Z.-_+#!'@"), min_size=1, max_size=12).map(
    lambda s: s + "@"
) | st.just("")
_DOMAIN = st.lists(
    st.text(st.sampled_from("ab9Z-_"), min_size=0, max_size=7)
    | st.sampled_from(["xn--bcher-kva", "xn--zz", "ab--cd", "test", "LOCAL", "onion", "123", "a" * 64]),
    min_size=1,
    max_size=4,
).map(".".join)


@settings(max_examples=400, deadline=None, database=None)
@given(local=st.text(st.sampled_from("ab9Z.-_+#!'é"), min_size=1, max_size=12), domain=_DOMAIN)
def test_an_address_is_what_email_validator_accepts(local: str, domain: str) -> None:
    """Fast path or not, ``classify`` says "email" exactly when email-validator accepts the syntax."""
    value = f"{local}@{domain}"
    kind, _key, id_type, problem = classify(value)
    if library_accepts(value):
        assert (kind, id_type) == (IDENTIFIER, "email"), problem
    else:
        assert kind is INVALID and problem, value
    if identifiers._ASCII_EMAIL(value) and len(value) <= identifiers.MAX_EMAIL_LENGTH:
        assert library_accepts(value), f"the fast path accepts {value!r}, email-validator does not"


# --- charset-normalizer ------------------------------------------------------------------------------


def members(*names: str) -> str:
    """A list as a community exports it: display name, username (in its script) and ASCII address."""
    rows = [f"{name};{name.split()[-1].lower()};member{i}@example.org" for i, name in enumerate(names)]
    return "Name;Username;Email\n" + "\n".join(rows) + "\n"


RUSSIAN = members("Иван Петров", "Мария Сидорова", "Алексей Смирнов", "Ольга Кузнецова", "Пётр Иванов")
GREEK = members("Γιώργος Παπαδόπουλος", "Μαρία Κωνσταντίνου", "Νίκος Οικονόμου", "Ελένη Γεωργίου")
ARABIC = members("محمد أحمد", "فاطمة علي", "عمر حسن", "ليلى يوسف", "خالد إبراهيم")
HEBREW = members("דוד כהן", "שרה לוי", "משה מזרחי", "רחל אברהם", "יוסף פרץ")
THAI = members("สมชาย ใจดี", "สมหญิง รักไทย", "ประเสริฐ ทองดี", "วิไล ศรีสุข")
TAIWANESE = members(*(f"{a} {b}" for a in ("陳", "林", "黃", "張") for b in ("大文", "美玲", "志明", "淑芬")))
KOREAN = members(*(f"{a} {b}" for a in ("김", "이", "박", "최") for b in ("민수", "지은", "서준", "유진")))


@pytest.mark.parametrize(
    ("text", "codec", "encoding", "name"),
    [
        (RUSSIAN, "cp1251", "cp1251", "Windows-1251"),
        (RUSSIAN, "koi8_r", "koi8-r", "KOI8-R"),
        (GREEK, "cp1253", "cp1253", "Windows-1253"),
        (ARABIC, "cp1256", "cp1256", "Windows-1256"),
        (HEBREW, "cp1255", "cp1255", "Windows-1255"),
        (THAI, "cp874", "cp874", "Windows-874"),
        (TAIWANESE, "big5", "big5", "Big5"),
        (KOREAN, "euc_kr", "cp949", "Windows-949"),
    ],
)
def test_legacy_encodings_of_other_scripts(
    tmp_path: Path, text: str, codec: str, encoding: str, name: str
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(codec))
    fmt = sniff_file(path)
    assert fmt.encoding == encoding
    assert fmt.description == f"{name}, semicolon-separated, header row, column 'Email'"
    lines = [line.split(";") for line in text.splitlines()]
    assert fmt.columns == tuple(lines[0])
    assert fmt.preview[0] == tuple(lines[1])
    rows = list(read_file_rows(path, fmt.with_column(1)))
    assert [row.raw for row in rows] == [cells[1] for cells in lines[1:]]


WESTERN = "".join(
    f"Jérôme Lefèvre {i};jerome{i}@example.fr\nFrançoise Dupré – “Zoë”;f{i}@example.fr\n"
    f"Jürgen Müller;j{i}@example.de\nGünther Strauß;g{i}@example.de\nMaría Peña;maría_{i}\n"
    for i in range(20)
)


def test_typographic_quotes_dashes_and_euro_stay_windows_1252(tmp_path: Path) -> None:
    """Excel's autocorrected text: charset-normalizer took it for Mac OS Roman ("O’Brien" → "OíBrien")."""
    text = "name,note\n" + "".join(f"Seán O’Brien{i},“top” contributor – €5\n" for i in range(6))
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode("cp1252"))
    fmt = sniff_file(path)
    assert fmt.encoding == "cp1252"
    assert fmt.preview[1] == ("Seán O’Brien0", "“top” contributor – €5")


def test_western_text_stays_windows_1252(tmp_path: Path) -> None:
    """Latin code pages decode such names alike; charset-normalizer's pick among them would be a coin toss."""
    path = tmp_path / "list.csv"
    path.write_bytes(("Name;Email\n" + WESTERN).encode("cp1252"))
    fmt = sniff_file(path)
    assert fmt.encoding == "cp1252"
    assert fmt.preview[1] == ("Françoise Dupré – “Zoë”", "f0@example.fr")


def test_a_stray_byte_keeps_western_text_windows_1252_and_is_its_row_s_problem(tmp_path: Path) -> None:
    data = ("Name;Email\n" + WESTERN).encode("cp1252")
    broken = data.replace(b"j3@example.de", b"j3\x8d\x90@example.de")
    path = tmp_path / "list.csv"
    path.write_bytes(broken)
    fmt = sniff_file(path)
    assert fmt.encoding == "cp1252"
    bad = [row for row in read_file_rows(path, fmt) if row.kind is INVALID]
    assert [(row.row, row.raw, row.problem) for row in bad] == [
        (
            19,
            "j3\ufffd\ufffd@example.de",
            UNREADABLE.format(encoding="Windows-1252"),
        )
    ]


def test_bytes_undefined_in_the_guessed_encoding_are_reported_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    sample = RUSSIAN.encode("cp1251")
    path.write_bytes(sample + b"\x98\xe8\xe2\xe0\xed;\xe8\xe2\xe0\xed;ivan@example.org\n")  # 0x98: undefined
    fmt = sniff_file(path, sample_bytes=len(sample))
    assert fmt.encoding == "cp1251"
    last = list(read_file_rows(path, fmt.with_column(0)))[-1]
    assert (last.row, last.kind, last.raw) == (7, INVALID, "\ufffdиван")
    assert last.problem == UNREADABLE.format(encoding="Windows-1251")


@pytest.mark.parametrize("text", ["Имя\nИван\n", "Email\nj\xe9r\xf4me@example.org\n", "Όνομα\nΓιώργος\n"])
def test_too_few_non_ascii_bytes_to_tell_are_read_as_windows_1252(tmp_path: Path, text: str) -> None:
    """charset-normalizer guesses wildly from a handful of bytes; the answer stays what it always was."""
    path = tmp_path / "list.csv"
    codec = "cp1253" if "Ό" in text else "cp1251" if "И" in text else "cp1252"
    path.write_bytes(text.encode(codec))
    assert sniff_file(path).encoding == "cp1252"


def test_a_sample_cut_inside_a_multibyte_character_is_still_guessed(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    data = KOREAN.encode("euc_kr")
    path.write_bytes(data)
    for sample_bytes in range(len(data) - 60, len(data) - 20):  # every cut, in a character or between two
        assert sniff_file(path, sample_bytes=sample_bytes).encoding == "cp949"


def test_a_json_list_in_a_legacy_encoding_is_refused(tmp_path: Path) -> None:
    """JSON is UTF-8: a guessed encoding, however likely, is not read."""
    path = tmp_path / "members.json"
    path.write_text('["иван", "мария", "алексей", "ольга", "пётр", "наталья"]', encoding="cp1251")
    with pytest.raises(ListFileError, match=r"^“members\.json” is not UTF-8 text \(byte 0xE8 at position 2"):
        read_rows(path, None)
