"""Many rows in one statement (desktop.cache.bulk) against executemany of the same rows."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import Connection, create_engine

from desktop.cache import bulk

HEAD = "INSERT INTO things (id, name, score)"
TAIL = " ON CONFLICT(id) DO UPDATE SET name = excluded.name, score = excluded.score"


def tables(connection: Connection) -> None:
    connection.exec_driver_sql(
        "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, score REAL, note TEXT)"
    )
    connection.exec_driver_sql("CREATE TABLE log (what TEXT, id INTEGER, name TEXT)")
    for name, event in (("added", "INSERT"), ("changed", "UPDATE")):
        connection.exec_driver_sql(
            f"CREATE TRIGGER {name} AFTER {event} ON things"
            f" BEGIN INSERT INTO log VALUES ('{event}', new.id, new.name); END"
        )


def loaded(
    write: str, rows: Sequence[tuple[object, ...]]
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        tables(connection)
        if write == "bulk":
            bulk.insert_rows(connection, HEAD, TAIL, rows)
        else:
            connection.exec_driver_sql(f"{HEAD} VALUES (?, ?, ?){TAIL}", list(rows))
        things = [tuple(r) for r in connection.exec_driver_sql("SELECT * FROM things ORDER BY id")]
        log = [tuple(r) for r in connection.exec_driver_sql("SELECT * FROM log ORDER BY rowid")]
    engine.dispose()
    return things, log


@pytest.mark.parametrize("count", [1, 2, bulk.MOST_ROWS, bulk.MOST_ROWS + 1, 3 * bulk.MOST_ROWS + 7])
def test_rows_land_as_executemany_lands_them_triggers_and_repeated_ids_included(count: int) -> None:
    rows: list[tuple[object, ...]] = [(i % (count // 2 + 1) + 1, f"name {i} ☃", i / 3) for i in range(count)]
    rows.append((10**12, None, None))  # NULLs and a big id
    assert loaded("bulk", rows) == loaded("executemany", rows)


def test_a_wide_row_keeps_each_statement_under_the_parameter_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "MOST_PARAMETERS", 7)  # two rows of three a statement
    statements: list[int] = []
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        tables(connection)
        run = connection.exec_driver_sql

        def counting(sql: str, parameters: tuple[object, ...]) -> object:
            statements.append(len(parameters))
            return run(sql, parameters)

        monkeypatch.setattr(connection, "exec_driver_sql", counting)
        bulk.insert_rows(connection, HEAD, TAIL, [(i, "n", 0) for i in range(1, 6)])
        monkeypatch.undo()
        assert connection.exec_driver_sql("SELECT count(*) FROM things").scalar() == 5
    assert statements == [6, 6, 3]


def test_no_rows_run_no_statement_and_rows_of_different_widths_are_refused() -> None:
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        tables(connection)
        bulk.insert_rows(connection, HEAD, TAIL, [])
        with pytest.raises(ValueError, match="different widths"):
            bulk.insert_rows(connection, HEAD, TAIL, [(1, "a", 0), (2, "b"), (3, "c", 0, 0)])
        assert connection.exec_driver_sql("SELECT count(*) FROM things").scalar() == 0


@pytest.mark.parametrize("count", [1, 7, bulk.MOST_ROWS - 1, 2 * bulk.MOST_ROWS + 300])
def test_updates_land_as_executemany_lands_them_the_last_of_an_id_given_twice(count: int) -> None:
    engine = create_engine("sqlite://")
    updates: list[tuple[object, ...]] = [
        (f"new {i}", i * 2.5, i % (count // 2 + 1) + 1) for i in range(count)
    ]
    updates.append(("a text id", 0, "3"))  # the id column's affinity applies, as to a bound id
    results = []
    for write in ("bulk", "executemany"):
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS things")
            connection.exec_driver_sql("DROP TABLE IF EXISTS log")
            tables(connection)
            connection.exec_driver_sql(
                f"{HEAD} VALUES (?, ?, ?)", [(i, "old", -1) for i in range(1, count + 3)]
            )
            if write == "bulk":
                bulk.update_rows(connection, "things", ("name", "score"), updates, also="note = 'seen'")
            else:
                connection.exec_driver_sql(
                    "UPDATE things SET name = ?, score = ?, note = 'seen' WHERE id = ?", updates
                )
            results.append([tuple(r) for r in connection.exec_driver_sql("SELECT * FROM things ORDER BY id")])
    engine.dispose()
    assert results[0] == results[1]
    assert ("a text id" if count >= 2 else "old") in {row[1] for row in results[0]}


def test_update_rows_refuses_rows_of_another_width_before_changing_anything() -> None:
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        tables(connection)
        connection.exec_driver_sql(f"{HEAD} VALUES (1, 'old', 0)")
        with pytest.raises(ValueError, match="another width"):
            bulk.update_rows(connection, "things", ("name", "score"), [("a", 1, 1), ("b", 2)])
        assert connection.exec_driver_sql("SELECT name FROM things").scalar() == "old"


def test_statements_come_in_a_few_shapes_whatever_the_number_of_rows() -> None:
    shapes: set[int] = set()
    for total in range(1, 3 * bulk.MOST_ROWS):
        parts = list(bulk.parts(total, 6))
        assert [start for start, _ in parts] == [sum(c for _, c in parts[:i]) for i in range(len(parts))]
        assert sum(count for _, count in parts) == total
        shapes.update(count for _, count in parts)
    assert len(shapes) <= 10
