"""Reading a program's source for one period, whatever its kind: the app's and the CLI's one path.

Kinds and their stored parameters (:class:`~desktop.programs.model.SourceSpec`, version 1):

- ``list`` ``{path, column}``: a file or folder another system writes (:mod:`.sources.listed`);
  ``match: "external_id"`` when the column holds external ids, found through the server's
  :class:`~desktop.dialects.external_ids.ExternalIdReader` (``external_ids``; see :func:`reads_server`);
- ``tenure`` ``{years, seen_within_days}``: anniversaries in the period (:mod:`.sources.tenure`);
- the activity kinds of :mod:`.sources.activity_specs` (``leaderboard``, ``liked-posts``,
  ``topic``, ``posters``), read from the server where it offers them
  (``Capabilities.activity_sources``). ``leaderboard`` and ``liked-posts`` may also hold
  ``exclude_winners`` (the program's winners of that many last periods are left out);
  ``posters`` may hold ``starts`` and ``ends`` (ISO times) for a window of its own (a one-off's).

What a read cost the server is :attr:`SourceRead.requests` (for :func:`desktop.programs.cost.describe_cost`).
Open the reading session at ``Priority.BACKGROUND``: where the server has one limit for every
client (Discourse), the source is read within the budget that sync and sends share, behind what
the user waits for.

Thread safety: a worker's (it reads files, the cache and the server), never the GUI thread.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from desktop.cancellation import CancelToken
from desktop.dialects.activity import ActivityReader, MeasureNotCounted
from desktop.dialects.base import ServerSession
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.external_ids import ExternalIdReader
from desktop.i18n import _
from desktop.importers.files import ListFileError
from desktop.programs.model import Program, ProgramError, SourceSpec
from desktop.programs.periods import Period, local_zone
from desktop.programs.sources.activity_specs import activity_source, needs
from desktop.programs.sources.base import SourceResult
from desktop.programs.sources.leaderboard import MAX_TOP, LeaderboardSource
from desktop.programs.sources.liked_posts import LikedPostsSource
from desktop.programs.sources.listed import ListedSource
from desktop.programs.sources.posters import TopicPostersSource
from desktop.programs.sources.tenure import TenureSource
from desktop.programs.sources.winners import recent_winners, settled_members
from desktop.programs.store import ProgramStore

#: The kinds every server has: they read the cache and the user's files, not the server's activity.
LOCAL_KINDS = ("list", "tenure")


@dataclass(frozen=True, slots=True)
class SourceRead:
    """One read of a program's source."""

    result: SourceResult
    #: What to store with the run once its batch is queued, for the next read (a list's keys).
    keep: Any = None
    #: The file read (a list source's; None for the others).
    file: Path | None = None
    #: Requests the read sent the server (0: the cache and files only, or a reader that does not count).
    requests: int = 0


@runtime_checkable
class CountsRequests(Protocol):
    """A session that tells how many requests it has sent (both dialects' sessions do)."""

    def requests_sent(self) -> int: ...


def _sent(server: object) -> int:
    return server.requests_sent() if isinstance(server, CountsRequests) else 0


def read_depth(places: int) -> int:
    """How deep a ranking is read for ``places`` places (the dry run cuts after its conditions)."""
    return min(MAX_TOP, places * 2 + 10)


def offered_kinds(capabilities: Capabilities | None) -> tuple[str, ...]:
    """The source kinds a program may use on this server: the local ones, and the activity kinds
    whose reading the server offers (none while it is unknown)."""
    offered = set(capabilities.activity_sources) if capabilities is not None else set()
    activity = [kind for kind in ("leaderboard", "liked-posts", "topic", "posters") if needs(kind) in offered]
    return (*LOCAL_KINDS, *activity)


def reads_server(spec: SourceSpec) -> bool:
    """Whether reading the source talks to the server: the activity kinds, and a list matched by
    external id (the others read the cache and the user's files only)."""
    return needs(spec.kind) is not None or (spec.kind == "list" and _matches_external_ids(spec))


def _matches_external_ids(spec: SourceSpec) -> bool:
    return spec.params.get("match") == "external_id"


#: What reads a source on the server: a dialect's session, or anything offering the readers a
#: source needs (:class:`ActivityReader`, :class:`ExternalIdReader`; tests give hand-made ones).
ServerReaders = ServerSession | ActivityReader | ExternalIdReader


def read_source(
    store: ProgramStore,
    program: Program,
    period: Period,
    *,
    server: ServerReaders | None,
    now: datetime,
    tz: tzinfo | None = None,
    cancel: CancelToken | None = None,
) -> SourceRead:
    """What ``program``'s source gives for ``period``; :class:`ProgramError` (a sentence for the
    user) when it cannot be read: a list file that is not one, parameters that no longer
    make sense, a server that cannot tell this activity or find members by external id
    (``server`` None: no server; a source that reads none, :func:`reads_server`, needs none)."""
    reader = server if isinstance(server, ActivityReader) else None
    external_ids = server if isinstance(server, ExternalIdReader) else None
    before = _sent(server)
    read = _read(
        store, program, period, reader=reader, external_ids=external_ids, now=now, tz=tz, cancel=cancel
    )
    return dataclasses.replace(read, requests=_sent(server) - before)


def _read(
    store: ProgramStore,
    program: Program,
    period: Period,
    *,
    reader: ActivityReader | None,
    external_ids: ExternalIdReader | None,
    now: datetime,
    tz: tzinfo | None,
    cancel: CancelToken | None,
) -> SourceRead:
    spec = program.spec.source
    zone = tz if tz is not None else local_zone()
    assert zone is not None
    try:
        if spec.kind == "list":
            return _listed(store, program, spec, cancel, external_ids)
        if spec.kind == "tenure":
            if period.first is None or period.last is None:
                raise ProgramError(_("A tenure program needs a cadence with calendar periods."))
            years = _whole(spec.params, "years")
            within = spec.params.get("seen_within_days")
            tenure = TenureSource(years, None if within is None else _whole(spec.params, "seen_within_days"))
            result = tenure.read(store.cache, period.first, period.last, now=now, tz=zone, cancel=cancel)
            return SourceRead(result)
    except (KeyError, ValueError, TypeError) as error:
        raise ProgramError(
            _("The program {program} cannot be read: {why}").format(program=program.name, why=error)
        ) from error
    return _activity(store, program, period, reader, zone)


def _listed(
    store: ProgramStore,
    program: Program,
    spec: SourceSpec,
    cancel: CancelToken | None,
    external_ids: ExternalIdReader | None,
) -> SourceRead:
    column = spec.params.get("column")
    by_external = _matches_external_ids(spec)
    if by_external and external_ids is None:
        raise ProgramError(
            _(
                "The program {program} matches its list by external id: it runs only on a server"
                " that finds members by one."
            ).format(program=program.name)
        )
    listed = ListedSource(
        Path(str(spec.params["path"])),
        None if column in (None, "") else str(column),
        "external_id" if by_external else "identifier",
    )
    try:
        read = listed.read(
            store.cache,
            store.last_kept(program.id),
            cancel=cancel,
            external_ids=external_ids if by_external else None,
            settled=settled_members(store.cache, program.id),
        )
    except ListFileError as error:
        raise ProgramError(str(error)) from None
    return SourceRead(read.result, read.keep, read.file)


def _activity(
    store: ProgramStore, program: Program, period: Period, reader: ActivityReader | None, tz: tzinfo
) -> SourceRead:
    spec = program.spec.source
    wanted = needs(spec.kind)
    if wanted is None:
        raise ProgramError(
            _("The program {program} reads a source this version does not know ({kind}).").format(
                program=program.name, kind=spec.kind
            )
        )
    if reader is None or wanted not in reader.activity_sources():
        raise ProgramError(
            _(
                "This server cannot tell what the program {program} reads:"
                " it runs only on a server that does."
            ).format(program=program.name)
        )
    source = activity_source(spec)
    if isinstance(source, LeaderboardSource):
        # Deeper than the places: a member the dry run leaves out (the conditions, suspended)
        # gives their place to the next, and the next few show below the cut-off.
        source = dataclasses.replace(source, top=read_depth(source.top))
    if isinstance(source, TopicPostersSource):
        return SourceRead(source.read(reader))
    starts, ends = _window(program, period, tz)
    if isinstance(source, LeaderboardSource | LikedPostsSource):
        skip = _exclude_winners(spec.params)
        past = recent_winners(store.cache, program.id, period.key, skip)
        try:
            return SourceRead(source.read(reader, starts, ends, period=period.key, past_winners=past))
        except MeasureNotCounted as error:
            # A measure the server stopped counting (an admin turned the Solved column off).
            raise ProgramError(
                _("The program {program} cannot be read: {why}").format(program=program.name, why=error)
            ) from None
    return SourceRead(source.read(reader, starts, ends, period=period.key))


def _window(program: Program, period: Period, tz: tzinfo) -> tuple[datetime, datetime]:
    params = program.spec.source.params
    if params.get("starts") and params.get("ends"):
        try:
            starts = datetime.fromisoformat(str(params["starts"]))
            ends = datetime.fromisoformat(str(params["ends"]))
        except ValueError:
            raise ProgramError(
                _("The program {program} has a time window that cannot be read: edit it.").format(
                    program=program.name
                )
            ) from None
        starts, ends = (_aware(t, tz) for t in (starts, ends))
        if ends <= starts:
            raise ProgramError(
                _("The program {program}'s window ends before it starts: edit it.").format(
                    program=program.name
                )
            )
        return starts, ends
    if period.first is None:
        raise ProgramError(
            _("The one-off program {program} needs the times it reads between: edit it.").format(
                program=program.name
            )
        )
    return period.bounds(tz)


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _exclude_winners(params: dict[str, Any]) -> int:
    value = params.get("exclude_winners", 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProgramError(_("This program's source cannot be read: edit the program to choose it again."))
    return value


def _whole(params: dict[str, Any], name: str) -> int:
    value = params[name]
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return value
