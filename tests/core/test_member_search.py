from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.cache.database import Cache
from desktop.domain import Award, Member, MemberStatus
from desktop.member_search import MemberQuery, MemberSearch, SortKey, match_expression

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ACTIVE, SUSPENDED = MemberStatus.ACTIVE, MemberStatus.SUSPENDED


def m(
    i: int,
    user: str,
    name: str,
    email: str,
    joined: int,
    seen: int | None = None,
    *,
    status: MemberStatus = ACTIVE,
    groups: Sequence[str] = (),
) -> Member:
    return Member(
        i,
        user,
        name,
        email,
        datetime(joined, 6, 1, tzinfo=UTC),
        None if seen is None else datetime(2025, 12, 31 - seen, tzinfo=UTC),
        status,
        tuple(groups),
    )


MEMBERS = [
    m(1, "jose.garcia", "José García", "jose@example.org", 2017, 1),
    m(2, "annmarie", "Ann-Marie Olsen", "am@example.org", 2019, 10, groups=["speakers"]),
    m(3, "annika_s", "Annika Svensson", "annika@example.net", 2021, None),
    m(4, "bob", "Bob Ann", "BOB@EXAMPLE.ORG", 2016, 2, status=SUSPENDED),
    m(5, "zoe", "Zoë Ünal", "zoe.unal@example.org", 2024, 20, groups=["staff", "speakers"]),
    m(6, "maria1", "Maria Garcia", "maria1@example.com", 2018, 3),
    m(7, "maria2", "Maria Garcia", "maria.garcia@example.com", 2022, 4),
]
# badge 10 held by 1, 2, 6; badge 20 held by 2, 5; member 2 holds three badges.
AWARDS = [(1, 10), (2, 10), (6, 10), (2, 20), (5, 20), (2, 30)]


@pytest.fixture()
def search(tmp_path: Path) -> Iterator[MemberSearch]:
    cache = Cache(tmp_path / "c")
    with cache.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
        Cache.upsert_awards(
            connection, [Award(i, mid, bid, NOW, "Alice", "") for i, (mid, bid) in enumerate(AWARDS, 1)]
        )
    yield MemberSearch(cache)
    cache.close()


def ids(search: MemberSearch, **query: Any) -> list[int]:
    return search.ids(MemberQuery(**query), now=NOW)


def test_accents_and_case_are_ignored_both_ways(search: MemberSearch) -> None:
    assert ids(search, text="jose") == [1]
    assert ids(search, text="JOSÉ") == [1]
    assert ids(search, text="zoe unal") == [5]
    assert ids(search, text="Zoë Ünal") == [5]


def test_words_are_prefixes_of_name_username_or_email_words(search: MemberSearch) -> None:
    assert set(ids(search, text="ann")) == {2, 3, 4}  # Ann-Marie, annika@, Bob Ann
    assert ids(search, text="marie") == [2]  # second part of a hyphenated name
    assert ids(search, text="bob") == [4]
    assert ids(search, text="a") != []


def test_every_word_must_match(search: MemberSearch) -> None:
    assert set(ids(search, text="maria garcia")) == {6, 7}
    assert ids(search, text="garcia maria2") == [7]  # the username tells the two apart
    assert ids(search, text="ann svens") == [3]
    assert ids(search, text="ann nobody") == []


def test_best_matches_first(search: MemberSearch) -> None:
    # Whole words first ("Ann-Marie", "Bob Ann"), then words that only start
    # with the query ("Annika"), however often those occur.
    assert ids(search, text="ann")[-1] == 3
    assert set(ids(search, text="garcia")) == {1, 6, 7}  # García folds to garcia


def test_query_syntax_is_not_interpreted(search: MemberSearch) -> None:
    assert match_expression('ann" OR *') == '"ann"""* "OR"*'
    # "OR" is a word to find (".org"), not an operator; the lone "*" is dropped.
    assert set(ids(search, text='ann" OR *')) == {2, 4}
    assert ids(search, text='") NEAR(') == []
    assert match_expression("  ,;  ") is None
    assert len(ids(search, text="")) == len(MEMBERS)


def test_holds_and_lacks_combine(search: MemberSearch) -> None:
    assert set(ids(search, holds=frozenset({10}))) == {1, 2, 6}
    assert set(ids(search, holds=frozenset({10, 20}))) == {2}
    assert set(ids(search, lacks=frozenset({10}))) == {3, 4, 5, 7}
    assert set(ids(search, holds=frozenset({20}), lacks=frozenset({10}))) == {5}
    assert set(ids(search, text="maria", holds=frozenset({10}))) == {6}


def test_status_dates_and_group(search: MemberSearch) -> None:
    assert ids(search, status=SUSPENDED) == [4]
    assert set(ids(search, status=ACTIVE, lacks=frozenset({10}))) == {3, 5, 7}
    assert set(ids(search, joined_after=datetime(2021, 1, 1, tzinfo=UTC))) == {3, 5, 7}
    assert set(ids(search, joined_before=datetime(2018, 1, 1, tzinfo=UTC))) == {1, 4}
    assert set(ids(search, seen_within_days=4)) == {1, 4, 6}
    assert set(ids(search, group="speakers")) == {2, 5}
    assert ids(search, group="speak") == []


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        (SortKey.NAME, False, [2, 3, 4, 1, 6, 7, 5]),
        (SortKey.JOINED, False, [4, 1, 6, 2, 3, 7, 5]),
        (SortKey.JOINED, True, [5, 7, 3, 2, 6, 1, 4]),
        (SortKey.LAST_SEEN, True, [1, 4, 6, 7, 2, 5, 3]),  # never seen last
        (SortKey.BADGE_COUNT, True, [2, 6, 5, 1, 7, 4, 3]),  # ascending reversed, ties too
    ],
)
def test_sort_orders(search: MemberSearch, sort: SortKey, descending: bool, expected: list[int]) -> None:
    assert ids(search, sort=sort, descending=descending) == expected


def test_count_agrees_with_ids(search: MemberSearch) -> None:
    query = MemberQuery(text="a", lacks=frozenset({20}))
    assert search.count(query) == len(search.ids(query)) > 0


def test_the_index_follows_updates_and_deletes(search: MemberSearch) -> None:
    cache = search.cache
    renamed = m(3, "annika_s", "Annika Lindqvist", "annika@example.net", 2021)
    with cache.write() as connection:
        Cache.upsert_members(connection, [renamed])
        connection.exec_driver_sql("DELETE FROM members WHERE id = 4")
    assert ids(search, text="svensson") == []
    assert ids(search, text="lindq") == [3]
    assert ids(search, text="bob") == []


def test_paste_a_list_selects_members_and_lists_the_rest(search: MemberSearch) -> None:
    from desktop.member_search import resolve_identifiers

    pasted = "JOSE@example.org\n@annika_s, bob ; nobody@example.org\n\nghost\njose@EXAMPLE.org\nAnnika_S"
    result = resolve_identifiers(search.cache, pasted)
    assert result.found == [1, 3, 4]
    assert result.not_found == ["nobody@example.org", "ghost"]


def test_member_detail_lists_badges_and_requests(search: MemberSearch) -> None:
    from desktop.domain import BadgeRequest, RequestState
    from desktop.member_search import member_detail

    with search.cache.write() as connection:
        Cache.upsert_requests(
            connection, [BadgeRequest(9, 2, 10, "<b>me</b>", None, NOW, RequestState.APPROVED, 2)]
        )
    detail = member_detail(search.cache, 2)
    assert detail is not None
    assert sorted(h.award.badge_id for h in detail.badges) == [10, 20, 30]
    assert [r.request.note for r in detail.requests] == ["<b>me</b>"]
    assert member_detail(search.cache, 999) is None


def test_saved_search_round_trip_and_damage() -> None:
    from desktop.member_search import query_from_dict, query_to_dict

    query = MemberQuery(
        text="ann",
        holds=frozenset({1, 2}),
        lacks=frozenset({3}),
        status=SUSPENDED,
        joined_after=NOW,
        seen_within_days=30,
        group="staff",
        sort=SortKey.JOINED,
        descending=True,
    )
    assert query_from_dict(query_to_dict(query)) == query
    with pytest.raises(ValueError):
        query_from_dict({"status": "sleeping"})


def test_csv_export_has_the_chosen_columns_in_order(search: MemberSearch, tmp_path: Path) -> None:
    import csv

    from desktop.export import export_members_csv

    target = tmp_path / "out.csv"
    written = export_members_csv(
        search.cache, [2, 1, 999], ["display_name", "email", "badge_count", "groups"], target
    )
    assert written == 2
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["Name", "Email", "Badges held", "Groups"],
        ["Ann-Marie Olsen", "am@example.org", "3", "speakers"],
        ["José García", "jose@example.org", "1", ""],
    ]
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(ValueError, match="Unknown export columns: shoe_size"):
        export_members_csv(search.cache, [1], ["shoe_size"], target)
    assert target.read_text(encoding="utf-8-sig").startswith("Name,Email")  # earlier file intact


def test_first_window_puts_whole_name_words_first_and_applies_filters(search: MemberSearch) -> None:
    window = search.first_window(MemberQuery(text="ann"), limit=10)
    assert set(window) == set(search.ids(MemberQuery(text="ann")))
    assert window[-1] == 3  # "Annika": only a prefix of her name
    assert search.first_window(MemberQuery(text="ann"), limit=1) in ([2], [4])
    assert search.first_window(MemberQuery(text="ann", status=SUSPENDED)) == [4]
    assert search.first_window(MemberQuery(text="maria", holds=frozenset({10}))) == [6]
    # Other orders: the head of the full list.
    query = MemberQuery(sort=SortKey.JOINED, descending=True)
    assert search.first_window(query, limit=3) == search.ids(query)[:3]


@pytest.mark.parametrize(
    "name", ["김민수", "がくせい", "Straße", "Οδυσσέας", "ĳssel", "ﬁona", "Ａｎｎ", "हिन्दी", "Łukasz Żółć"]
)
def test_a_name_typed_as_stored_finds_itself_in_any_script(search: MemberSearch, name: str) -> None:
    with search.cache.write() as connection:
        Cache.upsert_members(connection, [m(99, "someone", name, "someone@example.org", 2020)])
    assert 99 in ids(search, text=name)
    assert 99 in ids(search, text=name[:1])


def test_punctuation_inside_a_word_matches_its_parts_in_order(search: MemberSearch) -> None:
    assert ids(search, text="ann-marie") == [2]
    assert ids(search, text="annika@example") == [3]
    assert ids(search, text="marie-ann") == []


def test_last_seen_ascending_puts_never_seen_first(search: MemberSearch) -> None:
    assert ids(search, sort=SortKey.LAST_SEEN) == [3, 5, 2, 7, 6, 4, 1]


def test_damaged_saved_searches_are_refused() -> None:
    from desktop.member_search import query_from_dict

    for damaged in ([1, 2], {"holds": "12"}, {"sort": "sideways"}):
        with pytest.raises(ValueError):
            query_from_dict(damaged)  # type: ignore[arg-type]


def test_csv_export_defuses_formulas(search: MemberSearch, tmp_path: Path) -> None:
    from desktop.export import export_members_csv

    with search.cache.write() as connection:
        Cache.upsert_members(connection, [m(50, "@evil", '=HYPERLINK("http://x")', "e@example.org", 2020)])
    target = tmp_path / "out.csv"
    export_members_csv(search.cache, [50], ["display_name", "username"], target)
    assert target.read_text(encoding="utf-8-sig").splitlines()[1] == '"\'=HYPERLINK(""http://x"")",\'@evil'


def test_name_order_folds_accents_and_case_in_every_script(search: MemberSearch) -> None:
    with search.cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                m(91, "u91", "Émile", "u91@x.org", 2020),
                m(92, "u92", "emil", "u92@x.org", 2020),
                m(93, "u93", "Łukasz", "u93@x.org", 2020),
                m(94, "u94", "lucas", "u94@x.org", 2020),
            ],
        )
    order = [i for i in ids(search, sort=SortKey.NAME) if i > 90]
    assert order == [92, 91, 94, 93]  # emil, Émile, lucas, Łukasz


def test_group_filter_matches_whole_group_names_only(search: MemberSearch) -> None:
    with search.cache.write() as connection:
        Cache.upsert_members(
            connection, [m(95, "u95", "Gina", "g@x.org", 2020, groups=["speakers-2024", "100%_sure"])]
        )
    assert set(ids(search, group="speakers")) == {2, 5}
    assert ids(search, group="100%_sure") == [95]
    assert ids(search, group="100") == []


def test_first_results_count_exactly_under_the_cap_and_say_more_above_it(search: MemberSearch) -> None:
    everyone = MemberQuery(text="example")  # every email
    counted = search.first_results(everyone, limit=2, at_most=10)
    assert (counted.counted, counted.more) == (len(MEMBERS), False)
    assert len(counted.ids) == 2
    capped = search.first_results(everyone, limit=2, at_most=3)
    assert (capped.counted, capped.more) == (3, True)
    filtered = search.first_results(MemberQuery(text="example", holds=frozenset({10})), at_most=10)
    assert (sorted(filtered.ids), filtered.counted, filtered.more) == ([1, 2, 6], 3, False)
    by_name = search.first_results(MemberQuery(sort=SortKey.NAME), limit=2, at_most=5)
    assert (by_name.ids, by_name.counted, by_name.more) == (ids(search, sort=SortKey.NAME)[:2], 5, True)


def test_first_window_holding_every_match_is_the_complete_list_whole_words_first(
    search: MemberSearch,
) -> None:
    for text in ("maria garcia", "ann", "jose garc", "zoe un"):
        window = search.first_window(MemberQuery(text=text))
        assert sorted(window) == sorted(search.ids(MemberQuery(text=text)))
    assert search.first_window(MemberQuery(text="ann"))[-1] == 3  # "Annika": only a prefix


def test_first_window_of_many_matches_prefers_names_over_emails(search: MemberSearch) -> None:
    with search.cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                m(61, "u61", "Kim Lee", "svenska@example.org", 2020),  # the email only
                m(62, "u62", "Svend Lee", "u62@example.org", 2020),
                m(63, "u63", "Svenja Lee", "u63@example.org", 2020),
            ],
        )
    assert set(ids(search, text="sven")) == {3, 61, 62, 63}
    # More match than the window holds: names starting with the word first, though 61 comes earlier.
    assert search.first_window(MemberQuery(text="sven"), limit=3) == [3, 62, 63]
    # One word and a window with room for every match: the names still come first.
    assert search.first_window(MemberQuery(text="sven"), limit=10) == [3, 62, 63, 61]
    assert search.first_results(MemberQuery(text="sven"), limit=3, at_most=3).more


def test_a_cancelled_search_stops_instead_of_answering(search: MemberSearch) -> None:
    from desktop.cancellation import Cancelled, CancelToken

    cancel = CancelToken()
    assert search.ids(MemberQuery(text="a"), cancel=cancel)
    cancel.cancel()
    with pytest.raises(Cancelled):
        search.ids(MemberQuery(text="a"), cancel=cancel)
    for query in (MemberQuery(text="a"), MemberQuery(sort=SortKey.BADGE_COUNT)):
        with pytest.raises(Cancelled):
            search.first_results(query, cancel=cancel)


def _one_by_one(search: MemberSearch, query: MemberQuery) -> list[int]:
    """The query's own statement, its rows read one by one: the order packed ids must keep."""
    with search.cache.read() as connection:
        sql, params = search._sql(query, NOW, connection)
        return [row[0] for row in connection.exec_driver_sql(sql, tuple(params))]


def _every_shape() -> list[MemberQuery]:
    shapes = [MemberQuery(text=text) for text in ("", "a", "ann", "maria garcia", "example", "zz")]
    for sort in SortKey:
        for descending in (False, True):
            shapes.append(MemberQuery(sort=sort, descending=descending))
            shapes.append(MemberQuery(text="an", sort=sort, descending=descending))
    shapes += [
        MemberQuery(holds=frozenset({10})),
        MemberQuery(lacks=frozenset({10}), sort=SortKey.BADGE_COUNT, descending=True),
        MemberQuery(status=ACTIVE, text="m"),
        MemberQuery(group="speakers", sort=SortKey.JOINED),
    ]
    return shapes


@pytest.mark.parametrize("extra_ids", [(), (2**40, -5)], ids=["ids-fit-32-bits", "wider-ids"])
def test_packed_ids_keep_the_statements_order_for_every_query_shape(
    tmp_path: Path, extra_ids: tuple[int, ...]
) -> None:
    """One hexadecimal text from SQLite, in the order the statement's rows come, for thousands."""
    cache = Cache(tmp_path / "many")
    first = ["Ann", "Maria", "José", "Zoë", "Bob", "Annika", "Mario", "Anna-Lena"]
    last = ["García", "Olsen", "Svensson", "Ünal", "Ann", "Garcia", "Berg"]
    members = [
        m(i, f"user{i}", f"{first[i * 7 % 8]} {last[i * 5 % 7]}", f"u{i}@example.org", 2010 + i % 15, i % 25)
        for i in range(1, 3001)
    ]
    members += [m(i, f"wide{i}", "Ann Wide", f"w{i}@example.org", 2020, 1) for i in extra_ids]
    with cache.write() as connection:
        Cache.upsert_members(connection, members)
        Cache.upsert_awards(
            connection,
            [
                Award(n, mid, bid, NOW, "Alice", "")
                for n, (mid, bid) in enumerate(((i, i % 3 * 10) for i in range(1, 3001, 2)), 1)
            ],
        )
    search = MemberSearch(cache)
    try:
        for query in _every_shape():
            packed = search.packed_ids(query, now=NOW)
            assert list(packed) == _one_by_one(search, query), query
            assert packed.itemsize == (8 if extra_ids else 4)
        assert set(extra_ids) <= set(search.packed_ids(MemberQuery(text="wide"), now=NOW))
    finally:
        cache.close()


def test_packed_ids_of_no_match_and_of_an_empty_cache_are_empty(search: MemberSearch, tmp_path: Path) -> None:
    assert list(search.packed_ids(MemberQuery(text="nobody here"))) == []
    empty = Cache(tmp_path / "empty")
    try:
        assert list(MemberSearch(empty).packed_ids(MemberQuery())) == []
    finally:
        empty.close()
