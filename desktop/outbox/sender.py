"""Sending: due actions, grouped as the server's writer takes them, each answer stored.

An action is committed with its idempotency key *before* anyone is told it
is queued. The sender claims a chunk and marks it ``sending`` (committed)
before the request goes out. After a crash or a lost answer the chunk is
sent again with the same keys: a server that deduplicates by key
(:attr:`Delivery.IDEMPOTENT`) returns its first result; for one that does
not (:attr:`Delivery.RECONCILE`) the sender first asks the writer whether
each award or revoke is already in effect, and sends only the others.

Where the writer deduplicates and says its batch calls may run at once
(:func:`parallel_batches`), several runs of awards or revokes are in flight
together: the requests go from a small pool of threads, while this thread
keeps every SQLite write, claiming several runs in one commit before their
requests and storing the answers that came in together after them (each
commit of the work file is an fsync). A run that names a member and badge a
run in flight names waits for that run's answer, so an award and a revoke of
the same grant never race. A pause or cancel takes back the claimed runs the
pool has not started.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, replace

from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.cancellation import CancelToken
from desktop.dialects.base import AwardItem, Delivery, ItemResult, RevokeItem, ServerSession
from desktop.domain import Action, ActionKind, ActionState, ChangeSet, utc_now
from desktop.net.errors import ApiError, AuthError, MalformedResponse, ServerBusy, ServerUnreachable, TlsError
from desktop.outbox import holds, kinds, undo
from desktop.outbox.kinds import awards, mass_award, messages
from desktop.outbox.store import actions as rows
from desktop.outbox.store import claims, queries
from desktop.outbox.types import RetryPolicy, SendProgress, SendReport, Tally

#: After this many chunks the total is counted again (actions queued while sending join it).
_RECOUNT_EVERY = 20
#: Runs claimed at most, as a multiple of the batches in flight (see :func:`parallel_batches`):
#: enough to keep the pool busy while this thread commits (each commit of the work file
#: is an fsync, 20-25 ms on the development machine) and stores a group of answers.
_CLAIMED_AHEAD = 8


class Sender:
    """One sender of one profile's outbox, named in its claims.

    Thread safety: one :meth:`send_pending` at a time per instance; several
    instances (windows, processes) may send the same profile at once.
    """

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.owner = claims.new_owner()
        #: Senders found dead whose claims this one may take over.
        self._dead_owners: set[str] = set()
        #: How long a mass award's verification waits for the server's background jobs.
        self.mass_policy = mass_award.DEFAULT_POLICY

    def send_pending(
        self,
        session: ServerSession,
        batch_cap: int,
        cancel: CancelToken,
        progress: Callable[[SendProgress], None] | None,
        retry: RetryPolicy,
        clock: Callable[[], float] = time.monotonic,
    ) -> SendReport:
        report = progress or (lambda _p: None)
        started = clock()
        tally = Tally()
        with self.cache.read() as connection:
            total = rows.unsent_count(connection)
        report(SendProgress(0, total))
        last_id = 0
        chunks = 0
        paused = False
        parallel = parallel_batches(session)
        flights: list[_Flight] = []
        # Runs read and checked (with what the mirror told of them), claimed together when
        # the pool can take them: one commit of the work file (an fsync) for several claims.
        ready: list[_Run] = []
        # Runs claimed and waiting in the pool's queue behind those in flight: the
        # next request starts as one is answered, while this thread commits.
        ahead = parallel * _CLAIMED_AHEAD
        pool = ThreadPoolExecutor(parallel, thread_name_prefix="outbox-send") if parallel > 1 else None
        try:
            while True:
                stopped, synced = self._state()
                if stopped:
                    paused = True
                    break
                cancel.raise_if_cancelled()
                chunk, seen = self.next_chunk(last_id, batch_cap)
                if seen is None:
                    break
                last_id = seen
                if not chunk:
                    continue  # all claimed by another sender
                flies = pool is not None and _flies(chunk)
                # What it reads below (the mirror, the actions it reverses or follows)
                # must include the answers of the runs it has to follow.
                pairs = _pairs(chunk)
                if pool is not None and (
                    not flies or any(pairs & r.pairs for r in ready) or any(f.pairs & pairs for f in flights)
                ):
                    flights += self._take_off(pool, session, ready)
                    ready = []
                    due = [f for f in flights if not flies or f.pairs & pairs or f.answer.done()]
                    flights = [f for f in flights if f not in due]
                    self._land(due, session, tally, retry, cancel)
                # One read of the mirror for the drift check and the request.
                facts = None
                if flies:
                    with self.cache.read() as connection:
                        facts = queries.send_facts(connection, [a.id for a in chunk])
                # Compared with the cache only while it mirrors the server (not
                # before the first sync, nor while a reset sync refills it).
                if synced:
                    chunk = holds.hold_changed(self.cache, chunk, tally, facts)
                chunk, wait = undo.resolve(self.cache, chunk, tally)
                if wait:
                    break
                # A batch's awards wait while its mass award is unsettled (another sender's).
                chunk = mass_award.waiting(self.cache, chunk)
                if chunk and facts is not None and pool is not None:
                    ready.append(_Run(chunk, facts, _pairs(chunk)))
                    # Claimed together up to the depth; one by one while the pool would idle.
                    if len(flights) < parallel or len(flights) + len(ready) >= ahead:
                        flights += self._take_off(pool, session, ready)
                        ready = []
                    if len(flights) >= ahead:
                        flights = self._keep_claims(flights)
                        # Every answer in by the time the first is: stored together.
                        wait_for([f.answer for f in flights], return_when=FIRST_COMPLETED)
                        due = [f for f in flights if f.answer.done()]
                        flights = [f for f in flights if f not in due]
                        self._land(due, session, tally, retry, cancel)
                elif chunk:
                    self._send_chunk(session, chunk, tally, retry, cancel)
                chunks += 1
                if chunks % _RECOUNT_EVERY == 0:
                    with self.cache.read() as connection:
                        total = max(total, tally.finished + rows.unsent_count(connection))
                total = self._report(report, tally, total, started, clock)
            if pool is not None and not paused:
                flights += self._take_off(pool, session, ready)
            while flights:
                if paused or self._state()[0]:
                    # Only the requests already sent are waited for.
                    paused = True
                    flights = self._ground(flights)
                cancel.raise_if_cancelled()
                flights = self._keep_claims(flights)
                wait_for([f.answer for f in flights], return_when=FIRST_COMPLETED)
                due = [f for f in flights if f.answer.done()]
                flights = [f for f in flights if f not in due]
                self._land(due, session, tally, retry, cancel)
                total = self._report(report, tally, total, started, clock)
        finally:
            try:
                # Stopped by a failure or a cancel: the answers already on their way are
                # stored; runs not sent yet are pending again.
                self._land_quietly(self._ground(flights), session, tally)
            finally:
                if pool is not None:
                    pool.shutdown()
        return SendReport(
            queued=total,
            done=tally.applied + tally.noop,
            conflicts=tally.conflicts,
            failed=tally.failed,
            changes=tally.changes,
            held=tally.held,
            applied=tally.applied,
            noop=tally.noop,
            paused=paused,
        )

    def _state(self) -> tuple[bool, bool]:
        """Whether sending is paused, and whether the mirror was synced."""
        with self.cache.read() as connection:
            return queries.sending_state(connection)

    @staticmethod
    def _report(
        report: Callable[[SendProgress], None],
        tally: Tally,
        total: int,
        started: float,
        clock: Callable[[], float],
    ) -> int:
        """Tell how far the run is; returns the total, never less than what is finished."""
        finished = tally.finished
        total = max(total, finished)
        elapsed = clock() - started
        eta = elapsed / finished * (total - finished) if finished else None
        report(SendProgress(finished, total, elapsed, eta))
        return total

    def next_chunk(self, after_id: int, cap: int) -> tuple[list[Action], int | None]:
        """The next run of unsent actions of one kind after ``after_id`` (other kinds one by one),
        and the last id looked at (``None``: nothing is left).

        Actions another live sender has claimed are passed over.
        """
        with self.cache.read() as connection:
            found = rows.next_unsent(connection, after_id, cap)
        if not found:
            return [], None
        now = to_epoch(utc_now())
        actions = [
            action
            for action, owner, lease_until in found
            if action.state is not ActionState.SENDING or not self._claimed_elsewhere(owner, lease_until, now)
        ]
        last_id = found[-1][0].id
        if not actions:
            return [], last_id
        first = actions[0].kind
        if first in kinds.ONE_BY_ONE:
            return actions[:1], actions[0].id
        run: list[Action] = []
        for action in actions:
            if action.kind is not first:
                break
            run.append(action)
        return run, run[-1].id

    def _claimed_elsewhere(self, owner: str | None, lease_until: int | None, now: int) -> bool:
        """Whether another sender that is still alive holds this claim."""
        if owner is None or owner == self.owner or (lease_until or 0) < now:
            return False
        if claims.owner_alive(owner):
            return True
        self._dead_owners.add(owner)
        return False

    def claim(self, chunk: Sequence[Action]) -> list[Action]:
        """Claim the chunk and mark it in flight, committed before the request goes out."""
        with self.cache.write() as connection:
            held = claims.claim(
                connection, [a.id for a in chunk], self.owner, sorted(self._dead_owners), to_epoch(utc_now())
            )
        return [a for a in chunk if a.id in held]

    def _send_chunk(
        self,
        session: ServerSession,
        chunk: list[Action],
        tally: Tally,
        retry: RetryPolicy,
        cancel: CancelToken,
    ) -> None:
        # Still in flight from an earlier run (a crash or a lost answer): the
        # server may have applied some of it.
        maybe_applied = {a.id for a in chunk if a.state is ActionState.SENDING}
        chunk = self.claim(chunk)
        if chunk:
            self._attempts(session, chunk, tally, retry, cancel, maybe_applied)

    def _attempts(
        self,
        session: ServerSession,
        chunk: list[Action],
        tally: Tally,
        retry: RetryPolicy,
        cancel: CancelToken,
        maybe_applied: set[int],
        failure: BaseException | None = None,
    ) -> None:
        """Send a claimed chunk until it is answered, refused or given up; ``failure``: how its
        first attempt, made elsewhere (in flight with others), ended."""
        ids = [a.id for a in chunk]
        attempt = 1
        while True:
            if failure is None:
                try:
                    if attempt > 1:
                        with self.cache.write() as connection:
                            if not claims.renew(connection, ids, self.owner, to_epoch(utc_now())):
                                # The lease ran out during the back-off and another sender
                                # took the chunk over: it is theirs now (the same keys).
                                return
                    self._attempt(session, chunk, tally, cancel, maybe_applied)
                    return
                except kinds.MissingPort as missing:
                    self._fail(chunk, str(missing), tally)
                    return
                except Exception as raised:
                    failure = raised
            if not isinstance(failure, ApiError):
                # Cancelled, or the cache failed: whoever sends next resumes it.
                self._release(ids)
                raise failure
            error = failure
            failure = None
            # A refusal after an attempt whose answer was lost proves nothing
            # about that attempt: the chunk stays in flight.
            if _refused(error) and not maybe_applied:
                self._fail(chunk, str(error), tally)
                return
            # A refused token or certificate lasts until the user acts: no retry.
            if _refused(error) or isinstance(error, AuthError | TlsError) or attempt >= retry.attempts:
                self._release(ids)
                raise error
            if not (isinstance(error, ServerUnreachable) and not error.request_sent):
                maybe_applied = set(ids)
            cancel.sleep(retry.delay(attempt))
            attempt += 1

    def _attempt(
        self,
        session: ServerSession,
        chunk: list[Action],
        tally: Tally,
        cancel: CancelToken,
        maybe_applied: set[int],
    ) -> None:
        """One attempt at a claimed chunk, by its kind."""
        if chunk[0].kind is ActionKind.MASS_AWARD:
            mass_award.send(
                self.cache,
                session.mass_awarder,
                chunk[0],
                tally,
                owner=self.owner,
                maybe_applied=bool(maybe_applied),
                messages=kinds.sends_messages(session),
                cancel=cancel,
                policy=self.mass_policy,
            )
        elif chunk[0].kind is ActionKind.GROUP_MEMBERS:
            # An earlier try's lost answer: sent again with its key, or settled by reading
            # the group, as the writer's group_delivery says.
            kinds.send_group_change(self.cache, session, chunk[0], tally, maybe_applied=bool(maybe_applied))
        elif chunk[0].kind is ActionKind.MESSAGE and maybe_applied:
            # No server deduplicates messages: never send one twice blindly.
            self._fail(chunk, messages.maybe_sent(), tally)
        else:
            to_send = self._reconcile(session, chunk, maybe_applied, tally)
            if to_send:
                kinds.send(self.cache, session, to_send, tally)

    def _take_off(
        self, pool: ThreadPoolExecutor, session: ServerSession, ready: Sequence[_Run]
    ) -> list[_Flight]:
        """Claim runs in one transaction (committed) and send each from the pool; those another
        sender took meanwhile are left out."""
        if not ready:
            return []
        # Every run's items before any claim: a failure here leaves nothing claimed.
        given = [awards.items(self.cache, run.chunk, run.facts) for run in ready]
        held = {a.id for a in self.claim([a for run in ready for a in run.chunk])}
        flights = []
        for run, items in zip(ready, given, strict=True):
            mine = [(a, i) for a, i in zip(run.chunk, items, strict=True) if a.id in held]
            if mine:
                chunk = [a for a, _i in mine]
                sent = [i for _a, i in mine]
                answer = pool.submit(awards.post, session.writer, sent)
                flights.append(_Flight(chunk, sent, answer, run.pairs, time.monotonic()))
        return flights

    def _land(
        self,
        due: Sequence[_Flight],
        session: ServerSession,
        tally: Tally,
        retry: RetryPolicy,
        cancel: CancelToken,
    ) -> None:
        """Wait for flights' answers and store them together; a failed one goes on as a chunk
        sent alone would (retried, failed, or raised)."""
        # Flights not settled yet: given back if this stops on a failure (a full disk, a
        # lost answer), so that the next run sends them at once rather than after the lease.
        unsettled = list(due)
        try:
            # The refused ones first: a failure below (a store, a lost answer) must not leave
            # them in flight, to be sent again as "maybe applied" and refused for good.
            for flight in [f for f in unsettled if _refusal(f) is not None]:
                self._fail(flight.chunk, str(_refusal(flight)), tally)
                unsettled.remove(flight)
            answered = [f for f in unsettled if f.answer.exception() is None]
            if answered:
                self._store(answered, session, tally)
            unsettled = [f for f in unsettled if f not in answered]
            for flight in list(unsettled):
                self._attempts(session, flight.chunk, tally, retry, cancel, set(), flight.answer.exception())
                unsettled.remove(flight)
        except BaseException:
            self._release([a.id for f in unsettled for a in f.chunk])
            raise

    def _keep_claims(self, flights: list[_Flight]) -> list[_Flight]:
        """Renew the claims held for half their lease: runs wait in the pool's queue and for slow
        answers, and a claim that ran out would let another sender send the run and store its
        answer too (the report would count it twice)."""
        now = time.monotonic()
        old = [f for f in flights if now - f.claimed > claims.CLAIM_LEASE / 2]
        if not old:
            return flights
        with self.cache.write() as connection:
            # Renewed with half the lease left unless a landing took longer; one taken over meanwhile
            # stays the other sender's (renew changes only this sender's claims).
            claims.renew(connection, [a.id for f in old for a in f.chunk], self.owner, to_epoch(utc_now()))
        return [replace(f, claimed=now) if f in old else f for f in flights]

    def _ground(self, flights: Sequence[_Flight]) -> list[_Flight]:
        """Take back the runs the pool has not started (never sent: pending again); returns the others."""
        grounded = [f for f in flights if f.answer.cancel()]
        if grounded:
            with self.cache.write() as connection:
                claims.take_back(connection, [a.id for f in grounded for a in f.chunk], self.owner)
        return [f for f in flights if f not in grounded]

    def _land_quietly(self, flights: Sequence[_Flight], session: ServerSession, tally: Tally) -> None:
        """While the run stops: store the answers of flights, fail the refused ones (never sent
        before: the refusal is final), leave the others in flight for the next run."""
        answered = [f for f in flights if f.answer.exception() is None]
        stored: list[_Flight] = []
        try:
            if answered:
                self._store(answered, session, tally)
                stored = answered
        finally:
            for flight in flights:
                refusal = _refusal(flight)
                if refusal is not None:
                    self._fail(flight.chunk, str(refusal), tally)
                elif flight not in stored:
                    self._release([a.id for a in flight.chunk])

    def _store(self, answered: Sequence[_Flight], session: ServerSession, tally: Tally) -> None:
        awards.store_many(
            self.cache,
            [(f.chunk, f.answer.result(), f.given) for f in answered],
            tally,
            messages=kinds.sends_messages(session),
        )

    def _reconcile(
        self, session: ServerSession, chunk: list[Action], maybe_applied: set[int], tally: Tally
    ) -> list[Action]:
        """For a writer that does not deduplicate: store what is already in effect, return the rest.

        Asked only for awards and revokes that may have been applied (their
        answer was lost); everything else goes as it is.
        """
        writer = session.writer
        if writer.delivery is Delivery.IDEMPOTENT or not maybe_applied or chunk[0].kind not in awards.KINDS:
            return chunk
        confirmed: list[Action] = []
        results = []
        asked = []
        doubtful = [a for a in chunk if a.id in maybe_applied]
        for action, item in zip(doubtful, awards.items(self.cache, doubtful), strict=True):
            result = writer.confirm(item)
            if result is not None:
                confirmed.append(action)
                results.append(result)
                asked.append(item)
        if confirmed:
            awards.store_answers(
                self.cache, confirmed, results, tally, asked, messages=kinds.sends_messages(session)
            )
        done = {a.id for a in confirmed}
        return [a for a in chunk if a.id not in done]

    def _release(self, ids: Sequence[int]) -> None:
        with self.cache.write() as connection:
            claims.release(connection, ids, self.owner)

    def _fail(self, chunk: Sequence[Action], message: str, tally: Tally) -> None:
        with self.cache.write() as connection:
            rows.mark_failed(connection, [a.id for a in chunk], message)
        tally.failed += len(chunk)
        tally.changed(ChangeSet(outbox=True))


def _refused(error: ApiError) -> bool:
    """The server refused the request itself: sending it again cannot help."""
    if isinstance(error, ServerUnreachable | ServerBusy | AuthError | MalformedResponse | TlsError):
        return False
    # No status: refused before sending (e.g. more items than the server takes).
    # 408 (timeout), 409 (key busy) and 425 (too early) say "try again".
    return error.status is None or (400 <= error.status < 500 and error.status not in (408, 409, 425))


def _refusal(flight: _Flight) -> ApiError | None:
    """The server's refusal of a flight that has failed: final, as a flight was never sent before."""
    error = flight.answer.exception()
    return error if isinstance(error, ApiError) and _refused(error) else None


def parallel_batches(session: ServerSession) -> int:
    """How many runs of awards or revokes the sender keeps in flight at once on ``session``.

    More than one only where sending again is harmless: a writer that
    deduplicates by key (:attr:`Delivery.IDEMPOTENT`) and says how many of its
    batch calls may run at once from different threads (``concurrent_batches``,
    an optional attribute of the writer; absent: one). A writer that is
    asked before a resend (Discourse) always gets one request at a time.
    """
    writer = session.writer
    if writer.delivery is not Delivery.IDEMPOTENT:
        return 1
    return max(1, int(getattr(writer, "concurrent_batches", 1)))


@dataclass(frozen=True, slots=True, eq=False)
class _Run:
    """A run of awards or revokes checked and ready to be claimed."""

    chunk: list[Action]
    facts: Mapping[int, queries.SendFacts]
    #: Its (member, badge) pairs, kept: compared with every other run's for each new run.
    pairs: set[tuple[int, int]]


@dataclass(frozen=True, slots=True, eq=False)
class _Flight:
    """A run of awards or revokes whose request is on its way."""

    chunk: list[Action]
    given: list[AwardItem | RevokeItem]
    answer: Future[list[ItemResult]]
    pairs: set[tuple[int, int]]
    #: When its claim was taken or last renewed (``time.monotonic``).
    claimed: float


def _flies(chunk: Sequence[Action]) -> bool:
    """Whether a chunk may go in flight with others: a run of awards or revokes none of which
    was sent before (those are settled alone, as the writer's delivery says)."""
    return chunk[0].kind in awards.KINDS and all(a.state is ActionState.PENDING for a in chunk)


def _pairs(chunk: Sequence[Action]) -> set[tuple[int, int]]:
    """The (member, badge) pairs the chunk's actions name."""
    return {
        (a.payload["member_id"], a.payload["badge_id"])
        for a in chunk
        if "member_id" in a.payload and "badge_id" in a.payload
    }
