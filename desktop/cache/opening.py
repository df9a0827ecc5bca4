"""Opening a profile's two cache files safely: an old cache converted, damage repaired, schemas upgraded.

A profile directory holds ``work.sqlite3`` (the user's own work) and
``mirror.sqlite3`` (the server's community as last synced); see
:mod:`desktop.cache.schema`. Opening a profile (:func:`prepare_profile`):

1. An old one-file cache (``cache.sqlite3``) becomes the mirror; its revision
   0005 copies the user's work into the work file (committed there first,
   with ``INSERT OR IGNORE``, so a crash in between repeats the copy harmlessly)
   and only then drops it from the mirror.
2. The work file is checked (``PRAGMA quick_check``: it is small). A damaged
   one is *salvaged*: every row that can still be read goes into a new work
   file, the damaged file is kept aside, and the user is told where and how
   much could not be read.
3. The mirror is checked within a time budget. A damaged mirror is set aside
   (after salvaging any work an old one-file cache still held) and an empty
   one takes its place: the next sync rebuilds it.

The checks, upgrades and the copying itself are :mod:`desktop.cache.storage`'s.
Nothing here imports Qt; everything runs on the caller's thread before the
cache is used.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from desktop.cache.storage import (
    LEGACY_NAME,
    MIRROR_NAME,
    SALVAGE_NAME,
    SIDE_SUFFIXES,
    WORK_NAME,
    WORK_TABLES,
    Salvage,
    WorkNotMoved,
    check_integrity,
    copy_work,
    is_damage,
    remove_database,
    set_aside,
    upgrade_mirror,
    upgrade_work,
)
from desktop.i18n import _, ngettext

log = logging.getLogger(__name__)


def _open_damaged(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=10)
    # Lets SQLite read a file shorter than its header says (truncated): the
    # pages that are there can still be read.
    connection.execute("PRAGMA writable_schema=ON")
    return connection


def _salvage_into_new_work(directory: Path, damaged: Path) -> Salvage:
    """Build a new work file from what ``damaged`` still holds; returns the counts."""
    partial = directory / SALVAGE_NAME
    remove_database(partial)
    try:
        source = _open_damaged(damaged)
    except sqlite3.DatabaseError:
        upgrade_work(partial)
        return Salvage(unreadable=WORK_TABLES)
    try:
        salvage = copy_work(source, partial)
    finally:
        source.close()
    return salvage


def _describe_salvage(salvage: Salvage, kept: Path) -> str:
    actions = salvage.recovered.get("actions", 0)
    clauses = [
        ngettext("BadgeDesk recovered {n} action", "BadgeDesk recovered {n} actions", actions).format(
            n=f"{actions:,}"
        )
    ]
    lost = salvage.lost.get("actions", 0)
    if lost > 0:
        clauses.append(
            ngettext("about {n} could not be read", "about {n} could not be read", lost).format(n=f"{lost:,}")
        )
    elif lost < 0:
        clauses.append(_("some could not be read (how many is unknown)"))
    if any(n for table, n in salvage.lost.items() if table != "actions") or salvage.unreadable:
        clauses.append(_("some batches, drafts or preferences could not be read"))
    return _(
        "The file with your queued work was damaged. {what_was_saved}. The damaged file is kept at {path}."
    ).format(what_was_saved=_("; ").join(clauses), path=kept)


def _holds_work(path: Path) -> bool | None:
    """Whether a mirror is an old one-file cache that still holds the user's work (None: cannot tell)."""
    try:
        connection = _open_damaged(path)
        try:
            row = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'actions'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None  # cannot tell: try to salvage (an empty salvage costs nothing), say nothing of it
    return row is not None


def in_use_elsewhere() -> str:
    """Said when a file is damaged but another window has the profile open, so it cannot be replaced."""
    return _(
        "The local cache is damaged, but another BadgeDesk window or process has this community open:"
        " close it, and BadgeDesk repairs the cache (nothing queued is dropped)."
    )


def prepare_profile(
    directory: Path, *, mirror_check_budget: float = 2.0, alone: bool = True, check_mirror: bool = True
) -> list[str]:
    """Make the profile's two files ready to open; returns what the user must be told.

    ``check_mirror``: False leaves the mirror's integrity check to the caller (the app runs it
    once its window shows), unless the mirror is an old one-file cache that holds the user's
    work. ``alone``: no other cache has the profile open (see ``locks.ProfileLock``).
    Otherwise nothing is renamed, salvaged or set aside (the other one would
    go on writing to the old file); a damage found is only reported.
    """
    directory.mkdir(parents=True, exist_ok=True)
    work = directory / WORK_NAME
    mirror = directory / MIRROR_NAME
    legacy = directory / LEGACY_NAME
    notices: list[str] = []
    if not alone:
        damaged = check_integrity(work) or (
            check_mirror and check_integrity(mirror, budget=mirror_check_budget)
        )
        return [in_use_elsewhere()] if damaged else []

    if legacy.exists() and not mirror.exists():
        # The old cache becomes the mirror; the side files first (see set_aside).
        for suffix in SIDE_SUFFIXES:
            if Path(f"{legacy}{suffix}").exists():
                os.replace(f"{legacy}{suffix}", f"{mirror}{suffix}")
        os.replace(legacy, mirror)
    partial = directory / SALVAGE_NAME
    if partial.exists() and not work.exists():
        # A salvage finished writing but was not renamed in before a crash.
        os.replace(partial, work)
    remove_database(partial)

    problem = check_integrity(work)
    if problem is not None:
        log.warning("The work file is damaged (%s); salvaging it", problem)
        salvage = _salvage_into_new_work(directory, work)
        kept = set_aside(work)
        os.replace(partial, work)
        notices.append(_describe_salvage(salvage, kept))
    upgrade_work(work)

    holds = _holds_work(mirror) if mirror.exists() else False
    # An old one-file cache still holds the user's work: checked whole, never on a budget. One
    # whose schema cannot even be read (None) is checked whatever ``check_mirror`` says.
    problem = (
        check_integrity(mirror, budget=None if holds else mirror_check_budget)
        if holds is not False or check_mirror
        else None
    )
    if problem is not None:
        log.warning("The mirror is damaged (%s); setting it aside", problem)
        notices += _set_mirror_aside(directory, holds)
    try:
        upgrade_mirror(mirror, work)
    except WorkNotMoved:
        # Part of an old cache's work could not be read after all: what could
        # is in the work file; the old file is kept, not emptied.
        log.warning("An old cache's work could not all be read; setting it aside")
        notices += _set_mirror_aside(directory, True)
        upgrade_mirror(mirror, work)
    except Exception as error:
        # An unchecked mirror (check_mirror=False) damaged where its schema is read shows here.
        if not is_damage(error):
            raise
        log.warning("The mirror is damaged (%s); setting it aside", error)
        notices += _set_mirror_aside(directory, holds)
        upgrade_mirror(mirror, work)
    return notices


def _set_mirror_aside(directory: Path, holds_work: bool | None) -> list[str]:
    """Set a damaged mirror aside (after taking out any work an old cache holds); the sentences to show."""
    work = directory / WORK_NAME
    mirror = directory / MIRROR_NAME
    notices: list[str] = []
    moved: Salvage | None = None
    if holds_work is not False:
        source = _open_damaged(mirror)
        try:
            moved = copy_work(source, work)
        finally:
            source.close()
    if not holds_work:
        for old in directory.glob("mirror.damaged-*.sqlite3"):
            remove_database(old)  # one damaged mirror is kept, not one per incident
    kept = set_aside(mirror)
    if holds_work and moved is not None and (moved.lost or moved.unreadable):
        notices.append(_describe_salvage(moved, kept))
    notices.append(
        _(
            "The local copy of the community was damaged and is being rebuilt by the next sync;"
            " your queued work is safe. The damaged copy is kept at {path}."
        ).format(path=kept)
    )
    return notices
