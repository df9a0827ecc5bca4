"""A batch sent by a mass award: one upload, the holders read back, the rest one by one, all once.

The Discourse connector against the fake forum; the forum's background jobs
are played by :class:`Jobs`, which grants a few members at each look at the
holders (the jobs run while the client waits).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime

import pytest

from desktop.audit import audit_entries
from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.base import MassAwardReceipt
from desktop.dialects.discourse.api import DiscourseApi
from desktop.dialects.discourse.mass_award import DiscourseMassAwarder
from desktop.dialects.discourse.session import DiscourseSession
from desktop.domain import ActionKind, ActionState, Award, MemberStatus
from desktop.net.errors import AuthError, ServerUnreachable
from desktop.outbox import Outbox, RetryPolicy
from desktop.outbox.kinds.mass_award import VerifyPolicy
from tests.core.test_cache import member
from tests.core.test_discourse_directory import open_session
from tests.core.test_outbox import cache as cache  # the fixture: members user1..user20, badges 1 and 2
from tests.fakes.discourse_forum import FakeForum, ForumBadge

RETRY = RetryPolicy(attempts=3, first_delay=0.0)
FAST = VerifyPolicy(first_poll=0.01, poll=0.05, settle=0.3, longest=5.0)
MULTIPLE, ONCE = 1, 2


class Jobs(DiscourseMassAwarder):
    """The upload queues one job per member not holding the badge; each look runs ``per_look`` of them."""

    def __init__(self, api: DiscourseApi, forum: FakeForum, per_look: int = 7) -> None:
        super().__init__(api)
        self.forum = forum
        self.per_look = per_look
        self.queue: list[tuple[int, int]] = []
        self.uploads: list[list[str]] = []
        self.looks = 0
        #: Armed effects of the next upload.
        self.lose_answer = False
        self.refuse: Exception | None = None
        self.never_run: set[int] = set()

    def mass_award(self, badge_id: int, usernames: Sequence[str]) -> MassAwardReceipt:
        if self.refuse is not None:
            raise self.refuse
        self.uploads.append(list(usernames))
        users = [u for u in (self.forum.user(name) for name in usernames) if u is not None]
        holders = {g.user_id for g in self.forum.grants if g.badge_id == badge_id}
        self.queue += [(u.id, badge_id) for u in users if u.id not in holders and u.id not in self.never_run]
        if self.lose_answer:
            raise ServerUnreachable("Server unreachable: the connection broke (ReadError)")
        return MassAwardReceipt(matched=len(users), unmatched=())

    def granted_since(
        self, badge_id: int, since: datetime, known: frozenset[int] = frozenset()
    ) -> list[Award]:
        self.looks += 1
        for _ in range(min(self.per_look, len(self.queue))):
            self.forum.grant(*self.queue.pop(0))
        return super().granted_since(badge_id, since, known)


@pytest.fixture()
def forum() -> Iterator[FakeForum]:
    yield FakeForum.seeded(
        20, [ForumBadge(MULTIPLE, "Badge 1", multiple_grant=True), ForumBadge(ONCE, "Badge 2")]
    )


def session_with_jobs(forum: FakeForum) -> tuple[DiscourseSession, Jobs]:
    session = open_session(forum)
    jobs = Jobs(session._api, forum)
    session._mass_awarder = jobs
    return session, jobs


def queue_mass(cache: Cache, members: Sequence[int], badge_id: int) -> Outbox:
    outbox = Outbox(cache)
    outbox.sender.mass_policy = FAST
    outbox.queue_batch(ActionKind.AWARD, badge_id, members, reason="e2e", notify=False, mass_award=True)
    return outbox


def awards_of(outbox: Outbox) -> dict[int, tuple[ActionState, str | None]]:
    return {
        a.payload["member_id"]: (a.state, a.outcome) for a in outbox.actions() if a.kind is ActionKind.AWARD
    }


def mass_action(outbox: Outbox) -> tuple[ActionState, str | None, dict[str, object]]:
    [action] = [a for a in outbox.actions() if a.kind is ActionKind.MASS_AWARD]
    return action.state, action.outcome, dict(action.result or {})


@pytest.mark.parametrize("badge_id", [ONCE, MULTIPLE])
def test_one_upload_then_the_holders_settle_every_member(
    cache: Cache, forum: FakeForum, badge_id: int
) -> None:
    members = list(range(1, 21))
    outbox = queue_mass(cache, members, badge_id)
    session, jobs = session_with_jobs(forum)
    with session:
        report = outbox.send_pending(session, retry=RETRY)
    assert len(jobs.uploads) == 1 and sorted(jobs.uploads[0]) == sorted(f"user{i}" for i in members)
    assert forum.count("POST", "/user_badges") == 0  # nobody one by one
    assert jobs.looks == 3  # 7 + 7 + 6 grants: the jobs ran while the holders were read
    assert all(len(forum.held(m, badge_id)) == 1 for m in members)
    assert awards_of(outbox) == {m: (ActionState.DONE, "awarded") for m in members}
    assert report.applied == 20 and report.failed == 0
    state, outcome, detail = mass_action(outbox)
    assert (state, outcome, detail["verified"], detail["missing"]) == (ActionState.DONE, "uploaded", 20, 0)
    # The audit log: one entry per member as one by one would give, and the upload's own.
    entries = audit_entries(cache)
    assert Counter((e.kind, e.outcome) for e in entries) == Counter(
        {(ActionKind.AWARD, "awarded"): 20, (ActionKind.MASS_AWARD, "uploaded"): 1}
    )
    [upload] = [e for e in entries if e.kind is ActionKind.MASS_AWARD]
    assert (
        upload.detail
        == "20 members matched by the server; 20 found among the holders, 0 left to send one by one"
    )
    # Nothing left: sending again sends nothing.
    with session_with_jobs(forum)[0] as again:
        assert outbox.send_pending(again, retry=RETRY).applied == 0
    assert len(jobs.uploads) == 1


@pytest.mark.parametrize("badge_id", [ONCE, MULTIPLE])
def test_a_lost_upload_answer_is_never_uploaded_again_the_holders_tell(
    cache: Cache, forum: FakeForum, badge_id: int
) -> None:
    members = list(range(1, 11))
    outbox = queue_mass(cache, members, badge_id)
    session, jobs = session_with_jobs(forum)
    jobs.lose_answer = True
    with session:
        report = outbox.send_pending(session, retry=RETRY)
    assert len(jobs.uploads) == 1
    assert forum.count("POST", "/user_badges") == 0
    assert all(len(forum.held(m, badge_id)) == 1 for m in members)
    assert awards_of(outbox) == {m: (ActionState.DONE, "awarded") for m in members}
    assert report.applied == 10


@pytest.mark.parametrize("badge_id", [ONCE, MULTIPLE])
def test_members_the_jobs_did_not_grant_go_one_by_one_after_a_check(
    cache: Cache, forum: FakeForum, badge_id: int
) -> None:
    members = list(range(1, 11))
    outbox = queue_mass(cache, members, badge_id)
    session, jobs = session_with_jobs(forum)
    jobs.never_run = {4, 9}
    with session:
        report = outbox.send_pending(session, retry=RETRY)
    # Each missing member was checked (its badges read) and then granted, once.
    assert forum.count("POST", "/user_badges") == 2
    assert forum.count("GET", "/user-badges/user4") >= 1
    assert all(len(forum.held(m, badge_id)) == 1 for m in members)
    assert awards_of(outbox) == {m: (ActionState.DONE, "awarded") for m in members}
    assert report.applied == 10
    assert mass_action(outbox)[2]["missing"] == 2


def test_a_refused_upload_sends_the_batch_one_by_one(cache: Cache, forum: FakeForum) -> None:
    members = [1, 2, 3]
    outbox = queue_mass(cache, members, ONCE)
    session, jobs = session_with_jobs(forum)
    jobs.refuse = AuthError("Discourse answered 'not found' for /admin/badges/award/2.json", status=404)
    with session:
        report = outbox.send_pending(session, retry=RETRY)
    assert forum.count("POST", "/user_badges") == 3
    assert forum.count("GET", "/user-badges/") == 0  # nothing was uploaded: no member needs a check
    assert all(len(forum.held(m, ONCE)) == 1 for m in members)
    assert report.applied == 3
    state, outcome, detail = mass_action(outbox)
    assert (state, outcome) == (ActionState.DONE, "refused") and "not found" in str(detail["error"])


def test_a_crash_after_the_list_was_committed_never_uploads_blindly(cache: Cache, forum: FakeForum) -> None:
    members = [1, 2, 3]
    outbox = queue_mass(cache, members, MULTIPLE)
    session, jobs = session_with_jobs(forum)
    jobs.refuse = RuntimeError("the process died here")
    with session, pytest.raises(RuntimeError):
        outbox.send_pending(session, retry=RETRY)
    assert jobs.uploads == []
    state, _outcome, detail = mass_action(outbox)
    assert state is ActionState.SENDING and "expected" in detail
    with cache.write() as connection:  # as after a SIGKILL: the dead sender's claims run out
        connection.exec_driver_sql("UPDATE actions SET claimed_by = 'gone:1:x', lease_until = 0")
    # The next run cannot tell whether the upload went: it reads the holders, then checks each member.
    fresh = Outbox(cache)
    fresh.sender.mass_policy = FAST
    session, jobs = session_with_jobs(forum)
    with session:
        report = fresh.send_pending(session, retry=RETRY)
    assert jobs.uploads == []
    assert forum.count("POST", "/user_badges") == 3
    assert all(len(forum.held(m, MULTIPLE)) == 1 for m in members)
    assert report.applied == 3


def test_only_a_key_that_may_mass_award_offers_it(forum: FakeForum) -> None:
    with open_session(forum, "alice") as admin, open_session(forum, "bob") as moderator:
        assert admin.mass_awarder is not None
        # Discourse answers a moderator's upload with 404, as it does their badge list.
        assert moderator.mass_awarder is None


def test_a_moderators_batch_queued_for_a_mass_award_goes_one_by_one(cache: Cache, forum: FakeForum) -> None:
    outbox = queue_mass(cache, [1, 2], ONCE)
    with open_session(forum, "bob") as session:
        report = outbox.send_pending(session, retry=RETRY)
    assert report.applied == 2 and forum.count("POST", "/user_badges") == 2
    assert mass_action(outbox)[:2] == (ActionState.DONE, "one-by-one")


def test_a_member_suspended_since_queueing_is_held_not_uploaded(cache: Cache, forum: FakeForum) -> None:
    outbox = queue_mass(cache, [1, 2, 3], ONCE)
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(2, status=MemberStatus.SUSPENDED)])
    session, jobs = session_with_jobs(forum)
    with session:
        report = outbox.send_pending(session, retry=RETRY)
    assert jobs.uploads == [["user1", "user3"]]
    assert report.held == 1 and report.applied == 2
    assert awards_of(outbox)[2][0] is ActionState.HELD


def test_a_verification_cut_short_resumes_without_a_second_upload(cache: Cache, forum: FakeForum) -> None:
    members = list(range(1, 21))
    outbox = queue_mass(cache, members, MULTIPLE)
    cancel = CancelToken()
    session, jobs = session_with_jobs(forum)
    looked = jobs.granted_since

    def look_then_cancel(badge_id: int, since: datetime, known: frozenset[int] = frozenset()) -> list[Award]:
        found = looked(badge_id, since, known)
        cancel.cancel()  # the user stops the send after the first look
        return found

    jobs.granted_since = look_then_cancel  # type: ignore[method-assign]
    jobs.never_run = {20}
    with session, pytest.raises(Cancelled):
        outbox.send_pending(session, retry=RETRY, cancel=cancel)
    assert len(awards_of(outbox)) == 20
    assert sum(state is ActionState.DONE for state, _o in awards_of(outbox).values()) == 7
    # Another sender (a new window) takes over: it reads the holders again, and uploads nothing.
    fresh = Outbox(cache)
    fresh.sender.mass_policy = FAST
    session, again = session_with_jobs(forum)
    again.queue = jobs.queue  # the forum's jobs still to run
    with session:
        report = fresh.send_pending(session, retry=RETRY)
    assert jobs.uploads == [[f"user{i}" for i in members]] and again.uploads == []
    # The member the jobs never granted goes one by one, checked first: the cut-short sender
    # gave up its claims on the awards, so the new one may send them.
    assert forum.count("POST", "/user_badges") == 1
    assert all(len(forum.held(m, MULTIPLE)) == 1 for m in members)
    assert awards_of(outbox) == {m: (ActionState.DONE, "awarded") for m in members}
    assert report.applied == 13
