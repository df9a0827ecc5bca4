from __future__ import annotations

import codecs
import random
import time
import tracemalloc
from pathlib import Path

import pytest

from desktop.cancellation import Cancelled, CancelToken
from desktop.importers.files import ListFileError
from desktop.importers.identifiers import RowKind, classify
from desktop.importers.lists import ListFormat, ListRow
from desktop.importers.reading import read_file_rows, read_text_rows
from desktop.importers.sniffing import sniff_file, sniff_text

IDENTIFIER, BLANK, INVALID = RowKind.IDENTIFIER, RowKind.BLANK, RowKind.INVALID


def write(tmp_path: Path, data: str | bytes, name: str = "list.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def read_all(path: Path, fmt: ListFormat | None = None) -> list[ListRow]:
    return list(read_file_rows(path, fmt or sniff_file(path)))


def summary(rows: list[ListRow]) -> list[tuple[int, RowKind, str | None]]:
    """(row, kind, key or problem) of each row."""
    return [(r.row, r.kind, r.problem if r.kind is INVALID else r.key) for r in rows]


# --- classify ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key", "id_type"),
    [
        ("jane@example.org", "jane@example.org", "email"),
        ("  Jane.Doe@Example.COM\t", "jane.doe@example.com", "email"),
        ("first.last+tag@mail.example.co.uk", "first.last+tag@mail.example.co.uk", "email"),
        ("<jane@example.org>", "jane@example.org", "email"),
        ('"jane@example.org"', "jane@example.org", "email"),
        ("Jane Doe <Jane@Example.org>", "jane@example.org", "email"),
        ('"Doe, Jane" <jane@example.org>', "jane@example.org", "email"),
        ("josé@exämple.org", "josé@exämple.org", "email"),
        ("alice", "alice", "username"),
        ("@Alice", "alice", "username"),
        ("  @bob_smith-2.0 ", "bob_smith-2.0", "username"),
        ("jane.doe", "jane.doe", "username"),
        ("Zoë_Ünal", "zoë_ünal", "username"),
        ("Straße", "strasse", "username"),
        ("김민수", "김민수", "username"),
        ("Jose\u0301", "josé", "username"),  # decomposed accent: same key as the composed form
        ("a" * 60, "a" * 60, "username"),
        ("@jane.doe", "jane.doe", "username"),
        ("#team@example.org", "#team@example.org", "email"),  # "#" is allowed before the "@"
    ],
)
def test_identifiers_and_their_keys(raw: str, key: str, id_type: str) -> None:
    assert classify(raw) == (IDENTIFIER, key, id_type, None)


@pytest.mark.parametrize("raw", ["", "   ", "\t", '""', "<>", "\u00a0"])
def test_blank_values(raw: str) -> None:
    assert classify(raw) == (BLANK, None, None, None)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("jane.doe@", "email has no domain after '@'"),
        ("bob at example.com", "email has no '@' (it is spelled out)"),
        ("no at sign.com", "email has no '@' (it is spelled out)"),
        ("Jane Doe", "contains spaces"),
        ("see example.org", "email has no '@' (this looks like an address)"),
        ("jane doe@example.org", "contains spaces"),
        ("jane@@example.org", "email has more than one '@'"),
        ("jane@example.org;bob@example.org", "email has more than one '@'"),
        ("jane@localhost", "email domain 'localhost' has no '.'"),
        ("jane@example..org", "email domain 'example..org' has an empty part between dots"),
        ("jane@example.org.", "email domain 'example.org.' has an empty part between dots"),
        ("jane,doe@example.org", "email contains ','"),
        ("jane@exa_mple.org", "email domain contains '_'"),
        ("x" * 250 + "@example.org", "email is longer than 254 characters"),
        ("jane.doe.example.com", "email has no '@' (this looks like an address)"),
        ("jane(at)example.org", "email has no '@' (it is spelled out)"),
        ("a" * 61, "username is longer than 60 characters"),
        ("alice!", "username contains '!'"),
        ("alice,bob", "username contains ','"),
        ("-", "username has no letters or digits"),
        ("@", "'@' alone is not a username"),
        ("jane\u200b@example.org", "contains an invisible or control character (U+200B)"),
    ],
)
def test_invalid_values_say_why(raw: str, problem: str) -> None:
    assert classify(raw) == (INVALID, None, None, problem)


# --- encodings ---------------------------------------------------------------------------------------

TEXT = "Name,Email\r\nJosé Núñez,jose@example.org\r\nZoë,Zoe@Example.org\r\n"
EXPECTED = [(2, IDENTIFIER, "jose@example.org"), (3, IDENTIFIER, "zoe@example.org")]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = write(tmp_path, data)
    fmt = sniff_file(path)
    assert (fmt.encoding, fmt.delimiter, fmt.has_header) == (encoding, ",", True)
    assert fmt.columns == ("Name", "Email")  # no BOM left in the first header cell
    assert fmt.column == 1
    assert fmt.preview == (("José Núñez", "jose@example.org"), ("Zoë", "Zoe@Example.org"))
    assert summary(read_all(path, fmt)) == EXPECTED


def test_cp1252_names_keep_their_accents(tmp_path: Path) -> None:
    path = write(tmp_path, "Nombre;Usuario\r\nMaría Peña;maría_p\r\nJosé;josé\r\n", encoding="cp1252")
    fmt = sniff_file(path)
    assert (fmt.encoding, fmt.delimiter, fmt.column) == ("cp1252", ";", 1)
    assert fmt.preview[0] == ("María Peña", "maría_p")
    rows = read_all(path, fmt)
    assert [(r.raw, r.key, r.id_type) for r in rows] == [
        ("maría_p", "maría_p", "username"),
        ("josé", "josé", "username"),
    ]


def test_a_multibyte_character_cut_by_the_sample_is_still_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "Email\n" + "josé@exämple.org\n" * 50)
    for sample_bytes in range(64, 100):
        assert sniff_file(path, sample_bytes=sample_bytes).encoding == "utf-8"
    utf16 = write(tmp_path, codecs.BOM_UTF16_LE + ("Email\n" + "😀@example.org\n" * 20).encode("utf-16-le"))
    for sample_bytes in range(64, 72):
        assert sniff_file(utf16, sample_bytes=sample_bytes).encoding == "utf-16"


def test_invalid_utf8_later_in_the_file_is_an_invalid_row_and_reading_goes_on(tmp_path: Path) -> None:
    lines = ["Email"] + [f"member{i}@example.org" for i in range(2, 40213)] + ["josé@example.org"]
    data = "\n".join(lines[:-1]).encode() + b"\n" + lines[-1].encode("cp1252") + b"\nlast@example.org\n"
    path = write(tmp_path, data)
    fmt = sniff_file(path)  # the first 256 KB are plain ASCII
    assert fmt.encoding == "utf-8"
    rows = read_all(path, fmt)
    assert len(rows) == 40213
    bad = rows[-2]
    assert (bad.row, bad.kind, bad.raw) == (40213, INVALID, "jos\ufffd@example.org")
    assert bad.problem is not None and bad.problem.startswith("has bytes that are not valid UTF-8; save")
    assert (rows[-1].row, rows[-1].key) == (40214, "last@example.org")


def test_invalid_bytes_in_the_sample_are_invalid_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path, codecs.BOM_UTF8 + b"Email\nann@example.org\nbj\xf6rn@example.org\nbob@example.org\n"
    )
    fmt = sniff_file(path)
    assert (fmt.encoding, fmt.has_header) == ("utf-8-sig", True)
    assert fmt.preview[1] == ("bj\ufffdrn@example.org",)  # shown, never as a lone surrogate
    assert [(r.row, r.kind, r.raw) for r in read_all(path, fmt)] == [
        (2, IDENTIFIER, "ann@example.org"),
        (3, INVALID, "bj\ufffdrn@example.org"),
        (4, IDENTIFIER, "bob@example.org"),
    ]


def test_bytes_undefined_in_windows_1252_are_invalid_rows(tmp_path: Path) -> None:
    path = write(tmp_path, b"Email\nj\xe9r\xf4me@example.org\nbad\x81@example.org\n")
    fmt = sniff_file(path)
    assert fmt.encoding == "cp1252"
    rows = read_all(path, fmt)
    assert [(r.row, r.kind, r.raw) for r in rows] == [
        (2, IDENTIFIER, "jérôme@example.org"),
        (3, INVALID, "bad\ufffd@example.org"),
    ]
    assert rows[1].problem is not None and rows[1].problem.startswith("has bytes that are neither UTF-8 nor")


# --- files that are not lists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1).randbytes(5000),
        random.Random(2).randbytes(40),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"\x89PNG\r\n\x1a\n",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        b"Email\nann@example.org\x00\x00\x01\x02bob@example.org\n",
    ],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, data, name="members.xlsx")
    with pytest.raises(ListFileError, match=r"^“members\.xlsx” does not look like a text file: "):
        sniff_file(path)


def test_a_workbook_gets_advice(tmp_path: Path) -> None:
    path = write(tmp_path, b"PK\x03\x04" + bytes(200), name="members.xlsx")
    with pytest.raises(ListFileError, match=r"Excel .* Save the sheet as CSV"):
        sniff_file(path)


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n\t\n\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\xef\xbb\xbf \n"]
)
def test_empty_files_are_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ListFileError, match=r"^The file is empty\.$"):
        sniff_file(write(tmp_path, data))


def test_a_missing_file_is_a_list_file_error(tmp_path: Path) -> None:
    with pytest.raises(ListFileError, match=r"^“gone\.csv” cannot be opened: No such file or directory\.$"):
        sniff_file(tmp_path / "gone.csv")
    fmt = sniff_text("ann@example.org")
    file_fmt = ListFormat("utf-8", None, False, ("Column 1",), 0, ())
    with pytest.raises(ListFileError, match=r"^“gone\.csv” cannot be opened"):
        list(read_file_rows(tmp_path / "gone.csv", file_fmt))
    with pytest.raises(ValueError, match="sniffed from pasted text"):
        list(read_file_rows(tmp_path / "gone.csv", fmt))


def test_a_header_only_file_has_no_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "Name;E-Mail\r\n")
    fmt = sniff_file(path)
    assert (fmt.delimiter, fmt.has_header, fmt.columns, fmt.column, fmt.preview) == (
        ";",
        True,
        ("Name", "E-Mail"),
        1,
        (),
    )
    assert read_all(path, fmt) == []
    single = write(tmp_path, "Username", name="single.csv")
    assert read_all(single) == []


def test_an_unclosed_quote_is_an_invalid_row_and_the_rows_after_it_are_read(tmp_path: Path) -> None:
    rows = ["Name,Email", "Ann,ann@example.org", '"Bob,bob@example.org'] + [
        f"M{i},m{i}@x.org" for i in range(20000)
    ]
    path = write(tmp_path, "\n".join(rows) + "\n")
    read = read_all(path, sniff_file(path))
    assert [(r.row, r.kind) for r in read[:2]] == [(2, IDENTIFIER), (3, INVALID)]
    assert read[1].problem == 'starts a quoted cell (") that is never closed'
    assert [r.key for r in read[2:]] == [f"m{i}@x.org" for i in range(20000)]
    assert [r.row for r in read] == list(range(2, 20004))


def test_an_endless_line_is_an_invalid_row_read_without_holding_it(tmp_path: Path) -> None:
    path = write(tmp_path, "Email\nann@example.org\n" + "x" * 3_000_000 + "\nbob@example.org\n")
    fmt = sniff_file(path)
    rows = read_file_rows(path, fmt)
    assert next(rows).key == "ann@example.org"
    long = next(rows)
    assert (long.row, long.kind, long.raw) == (3, INVALID, "")
    assert long.problem == "row is longer than 1,048,576 characters"
    assert [(r.row, r.key) for r in rows] == [(4, "bob@example.org")]


# --- delimiters, headers, columns --------------------------------------------------------------------


def test_semicolon_separated_with_bom(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\ufeffName;E-Mail;Joined\r\nDoe, Jane;jane@example.org;2024\r\nBob;bob@example.org;2023\r\n",
    )
    fmt = sniff_file(path)
    assert fmt.description == "UTF-8 with BOM, semicolon-separated, header row, column 'E-Mail'"
    assert fmt.preview[0] == ("Doe, Jane", "jane@example.org", "2024")
    assert summary(read_all(path, fmt)) == [
        (2, IDENTIFIER, "jane@example.org"),
        (3, IDENTIFIER, "bob@example.org"),
    ]


def test_tab_separated(tmp_path: Path) -> None:
    path = write(tmp_path, "user name\tdisplay name\nalice\tAlice A.\n@bob\tBob B.\n")
    fmt = sniff_file(path)
    assert (fmt.delimiter, fmt.has_header, fmt.columns, fmt.column) == (
        "\t",
        True,
        ("user name", "display name"),
        0,
    )
    assert summary(read_all(path, fmt)) == [(2, IDENTIFIER, "alice"), (3, IDENTIFIER, "bob")]


def test_one_value_per_line_without_header(tmp_path: Path) -> None:
    path = write(tmp_path, 'alice@example.org\r\nbob\r\n@carol\r\n"Doe, Jane" <jane@example.org>\r\n')
    fmt = sniff_file(path)
    assert (fmt.delimiter, fmt.has_header, fmt.columns, fmt.column) == (None, False, ("Column 1",), 0)
    assert fmt.description == "UTF-8, one value per line, no header row"
    assert summary(read_all(path, fmt)) == [
        (1, IDENTIFIER, "alice@example.org"),
        (2, IDENTIFIER, "bob"),
        (3, IDENTIFIER, "carol"),
        (4, IDENTIFIER, "jane@example.org"),
    ]
    assert read_all(path, fmt)[3].raw == '"Doe, Jane" <jane@example.org>'


@pytest.mark.parametrize(
    "header",
    [
        "email",
        "E-Mail",
        "E-mail address",
        "Email Address",
        "MAIL",
        "Primary email",
        "E-Mail-Adresse",
        "Courriel",
        "Username",
        "User name",
        "user",
        "Login",
        "Handle",
        "Member",
        "Account",
        "Nick",
        "Benutzername",
        "Nom d'utilisateur",
    ],
)
def test_header_names(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"Display name,{header}\nAnn Lee,ann\nBob Roe,bob@example.org\n")
    fmt = sniff_file(path)
    assert (fmt.has_header, fmt.column, fmt.column_name) == (True, 1, header)
    assert [r.row for r in read_all(path, fmt)] == [2, 3]


def test_email_column_wins_over_username_column(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Username,Email\nAnn,ann,ann@example.org\nBob,bob,bob@example.org\n")
    assert sniff_file(path).column_name == "Email"


def test_the_column_with_values_wins_over_an_empty_one(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Email,Username\nAnn,,ann\nBob,,bob\nCid,,cid\n")
    assert sniff_file(path).column_name == "Username"


def test_header_found_from_the_data(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom,Adresse\nAnn,ann@example.org\nBob,bob@example.org\n")
    fmt = sniff_file(path)
    assert (fmt.has_header, fmt.column_name) == (True, "Adresse")


def test_without_header_the_column_of_emails_is_chosen(tmp_path: Path) -> None:
    path = write(tmp_path, "Ann Lee,ann@example.org,2024\nBob Roe,bob@example.org,2023\n")
    fmt = sniff_file(path)
    assert (fmt.has_header, fmt.columns, fmt.column) == (False, ("Column 1", "Column 2", "Column 3"), 1)
    assert summary(read_all(path, fmt)) == [
        (1, IDENTIFIER, "ann@example.org"),
        (2, IDENTIFIER, "bob@example.org"),
    ]


def test_usernames_in_the_first_row_are_data(tmp_path: Path) -> None:
    path = write(tmp_path, "alice\nbob\ncarol\n")
    fmt = sniff_file(path)
    assert not fmt.has_header
    assert [r.key for r in read_all(path, fmt)] == ["alice", "bob", "carol"]
    forced = sniff_file(path, has_header=True)
    assert (forced.has_header, forced.columns) == (True, ("alice",))
    assert [r.row for r in read_all(path, forced)] == [2, 3]


def test_with_column(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Email\nAnn,ann@example.org\n")
    fmt = sniff_file(path)
    other = fmt.with_column(0)
    assert (other.column, other.column_name, fmt.column) == (0, "Name", 1)
    assert summary(read_all(path, other)) == [(2, IDENTIFIER, "ann")]
    with pytest.raises(IndexError, match="There is no column 2: this list has 2 column"):
        fmt.with_column(2)
    with pytest.raises(IndexError):
        fmt.with_column(-1)
    with pytest.raises(ValueError):
        fmt.with_column("Email")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ListFormat("utf-8", "|", False, ("Column 1",), 0, ())


def test_short_rows_say_which_column_is_missing(tmp_path: Path) -> None:
    path = write(tmp_path, "Name;E-Mail\r\nAnn;ann@example.org\r\nBob\r\n;\r\nCid;cid@example.org;extra\r\n")
    assert summary(read_all(path)) == [
        (2, IDENTIFIER, "ann@example.org"),
        (3, INVALID, "row has no column 'E-Mail'"),
        (4, BLANK, None),
        (5, IDENTIFIER, "cid@example.org"),
    ]


# --- rows --------------------------------------------------------------------------------------------


def test_blank_lines_are_rows_with_their_own_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Email\n\nAnn,ann@example.org\n\n\nBob,  \n,\nCid,cid@example.org\n\n")
    assert summary(read_all(path)) == [
        (2, BLANK, None),
        (3, IDENTIFIER, "ann@example.org"),
        (4, BLANK, None),
        (5, BLANK, None),
        (6, BLANK, None),
        (7, BLANK, None),
        (8, IDENTIFIER, "cid@example.org"),
        (9, BLANK, None),
    ]
    single = write(tmp_path, "Email\r\nann@example.org\r\n\r\n  \r\nbob@example.org\r\n", name="single.csv")
    assert summary(read_all(single)) == [
        (2, IDENTIFIER, "ann@example.org"),
        (3, BLANK, None),
        (4, BLANK, None),
        (5, IDENTIFIER, "bob@example.org"),
    ]


def test_duplicates_and_mixed_case_come_out_as_rows_with_one_key(tmp_path: Path) -> None:
    path = write(
        tmp_path, "Email\nJane.Doe@Example.COM\njane.doe@example.com\n JANE.DOE@EXAMPLE.COM \n@Bob\nbob\n"
    )
    rows = read_all(path)
    assert [(r.row, r.kind, r.key, r.id_type) for r in rows] == [
        (2, IDENTIFIER, "jane.doe@example.com", "email"),
        (3, IDENTIFIER, "jane.doe@example.com", "email"),
        (4, IDENTIFIER, "jane.doe@example.com", "email"),
        (5, IDENTIFIER, "bob", "username"),
        (6, IDENTIFIER, "bob", "username"),
    ]
    assert rows[2].raw == " JANE.DOE@EXAMPLE.COM "  # as read, not trimmed


def test_malformed_emails_with_their_rows_and_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Email\nAnn,ann@example.org\nJane,jane.doe@\nBob,bob at example.com\n")
    rows = read_all(path)
    assert [(r.row, r.raw, r.kind, r.problem) for r in rows] == [
        (2, "ann@example.org", IDENTIFIER, None),
        (3, "jane.doe@", INVALID, "email has no domain after '@'"),
        (4, "bob at example.com", INVALID, "email has no '@' (it is spelled out)"),
    ]


def test_quoted_cells_with_delimiters_and_newlines_count_as_one_row(tmp_path: Path) -> None:
    text = (
        'Name,Email,Note\r\n"Doe, Jane","jane@example.org","line one\r\nline two, ""quoted"""\r\n'
        "Bob,bob@example.org,\r\n"
    )
    path = write(tmp_path, text)
    fmt = sniff_file(path)
    assert (fmt.delimiter, fmt.column) == (",", 1)
    assert fmt.preview[0] == ("Doe, Jane", "jane@example.org", 'line one\r\nline two, "quoted"')
    # Files count records, as a spreadsheet shows them ...
    assert summary(read_all(path, fmt)) == [
        (2, IDENTIFIER, "jane@example.org"),
        (3, IDENTIFIER, "bob@example.org"),
    ]
    # ... pasted text counts lines (a record is numbered by its first line).
    text_fmt = sniff_text(text)
    assert (text_fmt.delimiter, text_fmt.has_header, text_fmt.column) == (",", True, 1)
    assert [r.row for r in read_text_rows(text, text_fmt)] == [2, 4]


def test_a_single_line_file_of_several_identifiers_gives_one_row_each(tmp_path: Path) -> None:
    path = write(tmp_path, "ann@example.org, bob@example.org; @cid\n")
    fmt = sniff_file(path)
    assert fmt.split_items
    assert summary(read_all(path, fmt)) == [
        (1, IDENTIFIER, "ann@example.org"),
        (2, IDENTIFIER, "bob@example.org"),
        (3, IDENTIFIER, "cid"),
    ]


@pytest.mark.slow
def test_a_million_rows_stream_in_bounded_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    total = 1_000_000
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Name,Email\r\n")
        for start in range(0, total, 100_000):
            handle.write(
                "".join(
                    "\r\n"
                    if i % 100 == 0
                    else f"Jane {i},jane.doe{i}@\r\n"
                    if i % 100 == 1
                    else f"Handle {i},@Handle{i}\r\n"
                    if i % 100 == 2
                    else "Dup,Same@Example.org\r\n"
                    if i % 100 == 3
                    else f"User {i},User{i}@Example.org\r\n"
                    for i in range(start, start + 100_000)
                )
            )
    fmt = sniff_file(path)
    assert (fmt.encoding, fmt.delimiter, fmt.has_header, fmt.column_name) == ("utf-8", ",", True, "Email")

    def count() -> tuple[dict[str, int], int]:
        counts = dict.fromkeys(("blank", "invalid", "email", "username", "same"), 0)
        expected = 2
        misnumbered = 0
        for row in read_file_rows(path, fmt):
            misnumbered += row.row != expected
            expected += 1
            if row.kind is IDENTIFIER:
                counts[row.id_type or ""] += 1
                counts["same"] += row.key == "same@example.org"
            else:
                counts[row.kind.value] += 1
        return counts, misnumbered

    started = time.perf_counter()
    counts, misnumbered = count()
    elapsed = time.perf_counter() - started
    assert counts == {
        "blank": 10_000,
        "invalid": 10_000,
        "email": 970_000,
        "username": 10_000,
        "same": 10_000,
    }
    assert misnumbered == 0

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        assert count()[0] == counts
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024
    with capsys.disabled():
        print(
            f"\n  {total:,} rows ({path.stat().st_size / 1e6:.0f} MB) read in {elapsed:.2f} s "
            f"({total / elapsed:,.0f} rows/s); peak traced memory {peak / 1024:,.0f} KiB"
        )


# --- pasted text -------------------------------------------------------------------------------------


def test_pasted_lines() -> None:
    text = "ann@example.org\n@Bob\n\n  \ncid\njane.doe@\n"
    fmt = sniff_text(text)
    assert (fmt.encoding, fmt.split_items, fmt.delimiter, fmt.has_header) == ("", True, None, False)
    assert summary(list(read_text_rows(text, fmt))) == [
        (1, IDENTIFIER, "ann@example.org"),
        (2, IDENTIFIER, "bob"),
        (3, BLANK, None),
        (4, BLANK, None),
        (5, IDENTIFIER, "cid"),
        (6, INVALID, "email has no domain after '@'"),
    ]


def test_pasted_values_separated_on_one_line_give_one_row_each() -> None:
    text = (
        "ann@example.org, bob@example.org;cid\t@dan\r\n\r\n"
        'Jane Doe <jane@example.org>, "Roe, Rick" <rick@example.org>,,bob at example.com\n'
    )
    fmt = sniff_text(text)
    assert fmt.split_items
    assert fmt.description.startswith("pasted text, values separated by new lines, commas")
    assert fmt.preview == (
        ("ann@example.org",),
        ("bob@example.org",),
        ("cid",),
        ("@dan",),
        ("Jane Doe <jane@example.org>",),
        ('"Roe, Rick" <rick@example.org>',),
        ("bob at example.com",),
    )
    # Every value has its own number; spaces do not split ("bob at example.com" is one bad address).
    assert summary(list(read_text_rows(text, fmt))) == [
        (1, IDENTIFIER, "ann@example.org"),
        (2, IDENTIFIER, "bob@example.org"),
        (3, IDENTIFIER, "cid"),
        (4, IDENTIFIER, "dan"),
        (5, BLANK, None),
        (6, IDENTIFIER, "jane@example.org"),
        (7, IDENTIFIER, "rick@example.org"),
        (8, INVALID, "email has no '@' (it is spelled out)"),
    ]


def test_a_consistent_list_of_identifiers_is_still_a_loose_list() -> None:
    text = "ann@example.org, bob@example.org\ncid@example.org, dan@example.org\n"
    fmt = sniff_text(text)
    assert fmt.split_items
    assert [r.key for r in read_text_rows(text, fmt)] == [
        "ann@example.org",
        "bob@example.org",
        "cid@example.org",
        "dan@example.org",
    ]


def test_a_pasted_spreadsheet_range_is_a_table() -> None:
    text = "Ann Lee\tann@example.org\t2024\nBob\tbob@example.org\t2023\n"
    fmt = sniff_text(text)
    assert (fmt.split_items, fmt.delimiter, fmt.has_header, fmt.column) == (False, "\t", False, 1)
    assert fmt.description == "pasted text, tab-separated, no header row, column 'Column 2'"
    assert summary(list(read_text_rows(text, fmt))) == [
        (1, IDENTIFIER, "ann@example.org"),
        (2, IDENTIFIER, "bob@example.org"),
    ]


def test_a_pasted_csv_with_header_is_a_table() -> None:
    text = "Name,Email\nJane Doe,jane@example.org\n\nBob Roe,bob@example.org\n"
    fmt = sniff_text(text)
    assert (fmt.split_items, fmt.delimiter, fmt.has_header, fmt.column_name) == (False, ",", True, "Email")
    assert summary(list(read_text_rows(text, fmt))) == [
        (2, IDENTIFIER, "jane@example.org"),
        (3, BLANK, None),
        (4, IDENTIFIER, "bob@example.org"),
    ]


@pytest.mark.parametrize("text", ["", "  \n\t\n"])
def test_empty_pasted_text(text: str) -> None:
    with pytest.raises(ListFileError, match=r"^The pasted text is empty\.$"):
        sniff_text(text)


# --- cancellation ------------------------------------------------------------------------------------


def test_cancelling_stops_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "Email\n" + "".join(f"m{i}@example.org\n" for i in range(50_000)))
    fmt = sniff_file(path)
    token = CancelToken()
    rows = read_file_rows(path, fmt, cancel=token)
    read = [next(rows) for _ in range(10)]
    token.cancel()
    with pytest.raises(Cancelled):
        for row in rows:
            read.append(row)
    assert 10 <= len(read) < 10_000

    text = "\n".join(f"m{i}" for i in range(50_000))
    with pytest.raises(Cancelled):
        list(read_text_rows(text, sniff_text(text), cancel=token))
