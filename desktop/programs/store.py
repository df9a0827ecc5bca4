"""The programs of one community, kept in the work file: create, edit, rename, duplicate, delete; runs; due.

The work file is the user's own (never rebuilt from the server), and it is per
profile, so per community. A deleted program keeps its row, marked deleted and
with its name freed for a new program: its runs, the batches they queued and the
actions' once-per-period keys stay readable (the audit names the program that
queued a batch), and a new program of the same name is another program with runs
of its own.

Thread safety: every method opens its own transaction on the cache; any thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, select
from sqlalchemy.exc import IntegrityError

from desktop.cache import schema
from desktop.cache.database import Cache
from desktop.cache.rows import from_epoch, to_epoch
from desktop.domain import utc_now
from desktop.i18n import _
from desktop.programs.model import Program, ProgramError, ProgramRun, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, Period, latest_ended
from desktop.rules import rule_from_dict, rule_to_dict

_PROGRAMS = schema.programs
_RUNS = schema.program_runs


def name_key(name: str) -> str:
    """What makes two names the same program name: case and surrounding spaces do not count."""
    return name.strip().casefold()


@dataclass(frozen=True, slots=True)
class DueProgram:
    """A program whose latest ended period has not been run (a one-off never run)."""

    program: Program
    period: Period


class ProgramStore:
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    # --- reading ------------------------------------------------------------------

    def programs(self, *, deleted: bool = False) -> list[Program]:
        """The live programs by name (any case); with ``deleted``, the deleted ones too."""
        statement = select(_PROGRAMS)
        if not deleted:
            statement = statement.where(_PROGRAMS.c.deleted_at.is_(None))
        with self.cache.read() as connection:
            found = [_program(row._mapping) for row in connection.execute(statement)]
        return sorted(found, key=lambda p: (p.name.casefold(), p.id))

    def get(self, program_id: int) -> Program | None:
        """The program, deleted or not; None when there never was one."""
        with self.cache.read() as connection:
            return _get(connection, program_id)

    def named(self, name: str) -> Program | None:
        """The live program of that name (any case)."""
        with self.cache.read() as connection:
            row = connection.execute(select(_PROGRAMS).where(_PROGRAMS.c.name_key == name_key(name))).first()
        return None if row is None else _program(row._mapping)

    def runs(self, program_id: int, *, limit: int | None = None) -> list[ProgramRun]:
        """The program's runs, newest first (a deleted program's too)."""
        statement = (
            select(_RUNS)
            .where(_RUNS.c.program_id == program_id)
            .order_by(_RUNS.c.ran_at.desc(), _RUNS.c.id.desc())
        )
        if limit is not None:
            statement = statement.limit(limit)
        with self.cache.read() as connection:
            return [_run(row._mapping) for row in connection.execute(statement)]

    def run_of_batch(self, batch_id: str) -> tuple[ProgramRun, Program] | None:
        """The run that queued ``batch_id`` and its program (deleted or not): what the audit shows."""
        with self.cache.read() as connection:
            row = connection.execute(
                select(_RUNS).where((_RUNS.c.batch_id == batch_id) | (_RUNS.c.revoke_batch_id == batch_id))
            ).first()
            if row is None:
                return None
            run = _run(row._mapping)
            program = _get(connection, run.program_id)
        return None if program is None else (run, program)

    def last_kept(self, program_id: int) -> Any:
        """What the program's source asked to keep at its newest run (None before any)."""
        runs = self.runs(program_id, limit=1)
        return runs[0].kept if runs else None

    def due(self, today: date) -> list[DueProgram]:
        """Programs whose latest ended period (as of ``today``, the user's day) has no run yet.

        A one-off program is due until it has run once.
        """
        found: list[DueProgram] = []
        with self.cache.read() as connection:
            ran = {
                (program_id, key)
                for program_id, key in connection.execute(select(_RUNS.c.program_id, _RUNS.c.period_key))
            }
            programs = [
                _program(row._mapping)
                for row in connection.execute(select(_PROGRAMS).where(_PROGRAMS.c.deleted_at.is_(None)))
            ]
        ever = {program_id for program_id, _key in ran}
        for program in sorted(programs, key=lambda p: (p.name.casefold(), p.id)):
            period = latest_ended(program.cadence, today)
            if program.cadence is Cadence.ONE_OFF:
                if program.id not in ever:
                    found.append(DueProgram(program, period))
            elif (program.id, period.key) not in ran:
                found.append(DueProgram(program, period))
        return found

    # --- changing -----------------------------------------------------------------

    def create(self, spec: ProgramSpec) -> Program:
        """Save a new program; :class:`ProgramError` for an empty or taken name, or a bad badge."""
        spec = self._checked(spec)
        now = to_epoch(utc_now())
        with self.cache.write() as connection:
            try:
                inserted = connection.execute(
                    _PROGRAMS.insert().values(**_columns(spec), created_at=now, updated_at=now)
                ).inserted_primary_key
            except IntegrityError as error:
                raise _taken(spec.name) from error
            assert inserted is not None
            program = _get(connection, int(inserted[0]))
        assert program is not None
        return program

    def update(self, program_id: int, spec: ProgramSpec) -> Program:
        """Change what the program does from its next run on (its runs stay as they ran)."""
        spec = self._checked(spec, program_id=program_id)
        with self.cache.write() as connection:
            self._live(connection, program_id)
            try:
                connection.execute(
                    _PROGRAMS.update()
                    .where(_PROGRAMS.c.id == program_id)
                    .values(**_columns(spec), updated_at=to_epoch(utc_now()), version=_PROGRAMS.c.version + 1)
                )
            except IntegrityError as error:
                raise _taken(spec.name) from error
            program = _get(connection, program_id)
        assert program is not None
        return program

    def rename(self, program_id: int, name: str) -> Program:
        program = self._require(program_id)
        return self.update(program_id, replace(program.spec, name=name))

    def duplicate(self, program_id: int) -> Program:
        """A copy under a free name ("… (copy)", "… (copy 2)"), without the original's runs."""
        program = self._require(program_id)
        taken = {name_key(p.name) for p in self.programs()}
        candidate = _("{name} (copy)").format(name=program.name)
        number = 2
        while name_key(candidate) in taken:
            candidate = _("{name} (copy {number})").format(name=program.name, number=number)
            number += 1
        return self.create(replace(program.spec, name=candidate))

    def delete(self, program_id: int) -> None:
        """Delete the program: it no longer runs and its name is free; its runs stay readable."""
        with self.cache.write() as connection:
            self._live(connection, program_id)
            now = to_epoch(utc_now())
            connection.execute(
                _PROGRAMS.update()
                .where(_PROGRAMS.c.id == program_id)
                .values(deleted_at=now, updated_at=now, name_key=None)
            )

    # --- checks -------------------------------------------------------------------

    def _require(self, program_id: int) -> Program:
        program = self.get(program_id)
        if program is None or program.deleted_at is not None:
            raise ProgramError(_("This program no longer exists."))
        return program

    @staticmethod
    def _live(connection: Connection, program_id: int) -> None:
        program = _get(connection, program_id)
        if program is None or program.deleted_at is not None:
            raise ProgramError(_("This program no longer exists."))

    def _checked(self, spec: ProgramSpec, *, program_id: int | None = None) -> ProgramSpec:
        name = " ".join(spec.name.split())
        if not name:
            raise ProgramError(_("A program needs a name."))
        if not spec.source.kind:
            raise ProgramError(_("A program needs a source of candidates."))
        other = self.named(name)
        if other is not None and other.id != program_id:
            raise _taken(name)
        if spec.alumni_badge_id is not None and spec.alumni_badge_id == spec.badge_id:
            raise ProgramError(_("The alumni badge must be another badge than the one the program awards."))
        wanted = [spec.badge_id] + ([] if spec.alumni_badge_id is None else [spec.alumni_badge_id])
        with self.cache.read() as connection:
            known = {
                row[0]
                for row in connection.execute(
                    select(schema.badges.c.id).where(schema.badges.c.id.in_(wanted))
                )
            }
        if spec.badge_id not in known:
            raise ProgramError(_("There is no badge #{id} on this server.").format(id=spec.badge_id))
        if spec.alumni_badge_id is not None and spec.alumni_badge_id not in known:
            raise ProgramError(
                _("There is no badge #{id} on this server for the alumni badge.").format(
                    id=spec.alumni_badge_id
                )
            )
        return replace(spec, name=name, message=spec.message.strip())


def _taken(name: str) -> ProgramError:
    return ProgramError(_("There is already a program named “{name}”.").format(name=name.strip()))


def _columns(spec: ProgramSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "name_key": name_key(spec.name),
        "source_kind": spec.source.kind,
        "source_version": spec.source.version,
        "source_params": json.dumps(spec.source.params, sort_keys=True),
        "rule": None if spec.rule is None else json.dumps(rule_to_dict(spec.rule), sort_keys=True),
        "badge_id": spec.badge_id,
        "alumni_badge_id": spec.alumni_badge_id,
        "message": spec.message,
        "cadence": spec.cadence.value,
    }


def _get(connection: Connection, program_id: int) -> Program | None:
    row = connection.execute(select(_PROGRAMS).where(_PROGRAMS.c.id == program_id)).first()
    return None if row is None else _program(row._mapping)


def _program(row: RowMapping) -> Program:
    problem = ""
    rule = None
    if row["rule"] is not None:
        try:
            rule = rule_from_dict(json.loads(row["rule"]))
        except ValueError as error:
            # Shown to the user as the reason the program does not run; the detail is the reader's.
            problem = _("Its rule conditions cannot be read: {why}").format(why=error)
    spec = ProgramSpec(
        name=row["name"],
        source=SourceSpec(row["source_kind"], json.loads(row["source_params"]), row["source_version"]),
        badge_id=row["badge_id"],
        cadence=Cadence(row["cadence"]),
        message=row["message"],
        rule=rule,
        alumni_badge_id=row["alumni_badge_id"],
    )
    deleted: datetime | None = None if row["deleted_at"] is None else from_epoch(row["deleted_at"])
    return Program(
        id=row["id"],
        spec=spec,
        created_at=from_epoch(row["created_at"]),
        updated_at=from_epoch(row["updated_at"]),
        deleted_at=deleted,
        problem=problem,
        version=row["version"],
    )


def _run(row: RowMapping) -> ProgramRun:
    return ProgramRun(
        id=row["id"],
        program_id=row["program_id"],
        period_key=row["period_key"],
        ran_at=from_epoch(row["ran_at"]),
        batch_id=row["batch_id"],
        counts=json.loads(row["counts"]),
        kept=None if row["kept"] is None else json.loads(row["kept"]),
        actor=row["actor"],
        revoke_batch_id=row["revoke_batch_id"],
    )
