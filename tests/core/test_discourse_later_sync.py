"""Later syncs of a Discourse forum: only what is new, a snapshot pass when due, and a safe sweep.

Against the fake forum (answers checked against Discourse's published spec),
counting the requests each sync makes: every one spends the forum's one
admin bucket of 60 a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.net.budget import DISCOURSE_ADMIN_API, RateBudget
from desktop.net.errors import ApiError
from desktop.sync import KEY_SNAPSHOT_PHASE, SyncProgress, SyncResult, SyncService
from tests.core.test_discourse_directory import open_session
from tests.fakes.discourse_forum import T0, FakeForum, ForumBadge, ForumUser
from tests.fakes.discourse_records import NOT_FOUND

MEMBERS = 230
#: Two requests open every sync: the forum's name and its badge list.
#: What every session begins with: what its key may do, the forum's name, the badge list.
OPENING = [("GET", "/session/scopes.json"), ("GET", "/site/basic-info.json"), ("GET", "/admin/badges.json")]
#: What a later sync always reads: the newest members and the suspended ones.
MEMBER_LISTS = [("GET", "/admin/users/list/active.json"), ("GET", "/admin/users/list/suspended.json")]
#: And the group list (the members of groups whose count changed: none here).
GROUP_LIST = [("GET", "/groups.json")]


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    yield cache
    cache.close()


@pytest.fixture()
def forum() -> FakeForum:
    forum = FakeForum.seeded(
        MEMBERS,
        [
            ForumBadge(100, "Speaker", badge_type_id=1),
            ForumBadge(101, "Helper", multiple_grant=True),
            ForumBadge(102, "Pioneer"),
            ForumBadge(103, "Unheld"),
        ],
    )
    # 121 grants of Helper within one second (as a mass award makes them), one of Speaker.
    for member in range(1, 121):
        forum.grant(member, 101, at=T0 + timedelta(days=1))
    forum.grant(121, 101, at=T0 + timedelta(days=1))
    forum.grant(5, 100, at=T0 + timedelta(days=1))
    for member in (3, 4):
        forum.grant(member, 102, at=T0 + timedelta(days=1))
    return forum


def sync(
    cache: Cache,
    forum: FakeForum,
    *,
    progress: list[SyncProgress] | None = None,
    cancel: CancelToken | None = None,
    snapshot: bool = False,
    confirm_sweep: bool = False,
    budget: RateBudget | None = None,
) -> SyncResult:
    """One sync; returns its result, with the requests it made in ``forum.log`` from the start."""
    forum.log.clear()
    forum.requests.clear()
    with open_session(forum) as session:
        service = SyncService(cache, session, budget=budget)
        return service.run(
            progress=None if progress is None else progress.append,
            cancel=cancel,
            snapshot=snapshot,
            confirm_sweep=confirm_sweep,
        )


def ids(cache: Cache, sql: str) -> set[int]:
    with cache.read() as connection:
        return {int(row[0]) for row in connection.exec_driver_sql(sql)}


def paths(forum: FakeForum) -> list[tuple[str, str]]:
    return [(method, path) for method, path in forum.log]


def new_member(forum: FakeForum, user_id: int, minutes: int = 0) -> None:
    joined = T0 + timedelta(days=2, minutes=minutes)
    forum.add_user(ForumUser(user_id, f"new{user_id}", f"New {user_id}", f"new{user_id}@example.org", joined))


def test_a_cancelled_first_sync_resumes_where_it_stopped(cache: Cache, forum: FakeForum) -> None:
    cancel = CancelToken()

    def stop_after_the_second_page(progress: SyncProgress) -> None:
        if progress.phase == "members" and progress.page == 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync(cache, forum, progress=_Calling(stop_after_the_second_page), cancel=cancel)
    assert len(ids(cache, "SELECT id FROM members")) == 200 - 2  # two of them are Discourse's bots

    resumed: list[SyncProgress] = []
    result = sync(cache, forum, progress=resumed)

    assert result.full and len(ids(cache, "SELECT id FROM members")) == MEMBERS + 2
    # The progress goes on counting where it stopped.
    assert [p.page for p in resumed if p.phase == "members"] == [2, 3]
    # From the third page of members on, then every badge's holders: nothing read twice.
    pages = [r.url.params.get("page") for r in forum.sent("GET", "/admin/users/list/active")]
    # And the group list, and what its leaderboards rank by (one directory row: a first sync's).
    assert pages == ["3"] and len(forum.log) == 3 + 1 + 6 + 1 + 1

    # Resumed, its badges may have changed between the runs: the next sync reads each held one once
    # (Unheld has no grant), unchanged counts or not.
    forum.grant(9, 102, at=T0 + timedelta(days=3))
    sync(cache, forum)
    assert [r.url.params.get("badge_id") for r in forum.sent("GET", "/user_badges")] == ["100", "101", "102"]
    assert 9 in ids(cache, "SELECT member_id FROM awards WHERE badge_id = 102")


# --- later syncs read what is new -------------------------------------------------------------------


def test_a_later_sync_with_nothing_new_costs_six_requests(cache: Cache, forum: FakeForum) -> None:
    first = sync(cache, forum)
    first_requests = len(forum.log)
    later = sync(cache, forum)

    assert first.full and not first.recent
    assert later.recent and not later.snapshot and not later.full
    assert not later.changes
    # The opening three, the newest page of members and the suspended, the group list; no badge's
    # grant count changed.
    assert paths(forum) == [*OPENING, *MEMBER_LISTS, *GROUP_LIST]
    newest = forum.requests[3].url.params
    assert newest.get("order") == "created" and "asc" not in newest and newest.get("show_emails") == "true"
    # 3 pages of members, Helper's 121 holders in 3 pages, one page each for the other three, groups.
    # ... and the first sync asks what the leaderboards rank by (Discourse's Solved column): 1.
    assert first_requests == 3 + 3 + 3 + 3 + 1 + 1 == 14


def test_a_new_member_and_new_grants_are_picked_up_reading_only_until_what_is_known(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    for i in range(150):
        new_member(forum, 1000 + i, minutes=i)
    # 60 new grants of Helper in the same second as the newest one the cache knows (ids tell them
    # apart), a later one, and one of Speaker.
    for member in range(1000, 1060):
        forum.grant(member, 101, at=T0 + timedelta(days=1))
    forum.grant(2, 101, at=T0 + timedelta(days=3))
    forum.grant(1149, 100, at=T0 + timedelta(days=3))

    result = sync(cache, forum)

    assert result.recent and not result.snapshot
    assert ids(cache, "SELECT id FROM members WHERE id >= 1000") == set(range(1000, 1150))
    assert ids(cache, "SELECT member_id FROM awards WHERE badge_id = 101 AND member_id >= 1000") == set(
        range(1000, 1060)
    )
    assert forum.held(2, 101)[-1].id in ids(cache, "SELECT id FROM awards WHERE member_id = 2")
    assert ids(cache, "SELECT member_id FROM awards WHERE badge_id = 100") == {5, 1149}
    assert result.changes.members == frozenset(range(1000, 1150)) and result.changes.awards
    # Members: 150 new, in pages of 100: the second page reaches the known ones. Helper: 61 new
    # grants, pages of 50: the second one reaches them. Speaker: one page. Pioneer: its count
    # did not change, not read.
    assert paths(forum).count(("GET", "/admin/users/list/active.json")) == 2
    assert [r.url.params.get("badge_id") for r in forum.sent("GET", "/user_badges")] == ["100", "101", "101"]
    assert len(forum.log) == 3 + 2 + 1 + 3 + 1

    # And the next one is back to six.
    sync(cache, forum)
    assert len(forum.log) == 3 + 2 + 1


def test_suspensions_and_their_end_are_picked_up(cache: Cache, forum: FakeForum) -> None:
    forum.users[9].suspended = True
    sync(cache, forum)
    forum.users[9].suspended = False
    forum.users[10].suspended = True

    result = sync(cache, forum)

    assert cache.member(9).status.value == "active"  # type: ignore[union-attr]
    assert cache.member(10).status.value == "suspended"  # type: ignore[union-attr]
    assert {9, 10} <= result.changes.members
    assert len(forum.log) == 3 + 2 + 1


def test_trust_levels_and_post_counts_are_as_of_the_last_sync_that_read_the_member(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    forum.users[7].trust_level, forum.users[7].post_count = 3, 42
    new_member(forum, 900)
    forum.users[900].post_count = 5

    result = sync(cache, forum)  # only what is new: the new member, not member 7 again
    assert result.recent and not result.snapshot
    old, new = cache.member(7), cache.member(900)
    assert old is not None and (old.trust_level, old.post_count) == (1, 0)
    assert new is not None and (new.trust_level, new.post_count) == (1, 5)

    result = sync(cache, forum, snapshot=True)  # the daily pass reads every member again
    old = cache.member(7)
    assert old is not None and (old.trust_level, old.post_count) == (3, 42)
    assert 7 in result.changes.members


def test_a_badge_whose_grant_count_changed_is_read_and_a_revoke_waits_for_the_pass(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    forum.grant(9, 102, at=T0 + timedelta(days=3))
    forum.grants.remove(forum.held(3, 102)[0])
    forum.grants.remove(forum.held(5, 100)[0])

    sync(cache, forum)

    # Pioneer: one new, one revoked: its count is the same, so the new grant waits for the pass.
    # Speaker: its count fell to 0: no holders to read, and its revoked grant stays until the pass.
    assert not forum.sent("GET", "/user_badges")
    assert ids(cache, "SELECT member_id FROM awards WHERE badge_id = 102") == {3, 4}
    sync(cache, forum, snapshot=True)
    assert ids(cache, "SELECT member_id FROM awards WHERE badge_id = 102") == {4, 9}
    assert not ids(cache, "SELECT member_id FROM awards WHERE badge_id = 100")
    forum.grant(10, 102, at=T0 + timedelta(days=4))
    sync(cache, forum)
    assert [r.url.params.get("badge_id") for r in forum.sent("GET", "/user_badges")] == ["102"]
    assert ids(cache, "SELECT member_id FROM awards WHERE badge_id = 102") == {4, 9, 10}


def test_a_cancelled_later_sync_resumes_where_it_stopped_without_taking_its_own_rows_for_known(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    for i in range(250):
        new_member(forum, 1000 + i, minutes=i)
    cancel = CancelToken()

    def stop_after_the_first_page(progress: SyncProgress) -> None:
        if progress.phase == "members" and progress.page == 1:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync(cache, forum, progress=_Calling(stop_after_the_first_page), cancel=cancel)
    assert len(ids(cache, "SELECT id FROM members WHERE id >= 1000")) == 100  # the newest page

    result = sync(cache, forum)

    assert ids(cache, "SELECT id FROM members WHERE id >= 1000") == set(range(1000, 1250))
    assert result.changes.reset  # what the first run changed was never reported
    # From the second page on: its 100 and the third (50 new, then the known ones).
    pages = [r.url.params.get("page") for r in forum.sent("GET", "/admin/users/list/active")]
    assert pages == ["2", "3"]


def test_a_new_badges_holders_resumed_after_a_cancel_are_all_read(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    forum.badges[104] = ForumBadge(104, "Newcomer")
    for member in range(1, 121):
        forum.grant(member, 104, at=T0 + timedelta(days=5, seconds=member))
    cancel = CancelToken()

    def stop_after_its_first_page(progress: SyncProgress) -> None:
        if progress.phase == "awards" and progress.page == 1:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync(cache, forum, progress=_Calling(stop_after_its_first_page), cancel=cancel)
    assert len(ids(cache, "SELECT id FROM awards WHERE badge_id = 104")) == 50

    sync(cache, forum)

    # The cache knew no grant of it when the first run began: every page is read.
    assert ids(cache, "SELECT member_id FROM awards WHERE badge_id = 104") == set(range(1, 121))
    offsets = [r.url.params.get("offset") for r in forum.sent("GET", "/user_badges")]
    assert offsets == ["50", "100"]


# --- the snapshot pass: when due, resumable, and a safe sweep ---------------------------------------


def test_the_snapshot_pass_runs_when_due_after_what_is_new(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    with open_session(forum) as session:
        due_now = SyncService(cache, session, snapshot_every=timedelta(0))
        result = due_now.run()
    assert result.recent and result.snapshot
    with open_session(forum) as session:
        result = SyncService(cache, session, snapshot_every=timedelta(hours=24)).run()
    assert result.recent and not result.snapshot


def test_a_deleted_member_is_swept_only_after_a_complete_pass_and_a_cancelled_pass_resumes(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    forum.delete_user(8)  # on the first page; held Helper
    assert not sync(cache, forum).snapshot
    assert 8 in ids(cache, "SELECT id FROM members")  # a later sync deletes nothing

    cancel = CancelToken()

    def stop_at_the_second_page(progress: SyncProgress) -> None:
        if progress.phase == "members" and progress.page == 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync(cache, forum, snapshot=True, progress=_Calling(stop_at_the_second_page), cancel=cancel)
    assert 8 in ids(cache, "SELECT id FROM members")
    assert cache.sync_state()[KEY_SNAPSHOT_PHASE] == "members"

    # Not asked for, but under way: the next sync finishes it, from the third page.
    resumed: list[SyncProgress] = []
    result = sync(cache, forum, progress=resumed)
    assert [p.describe().split(" · ")[0] for p in resumed if p.phase == "members"][-2:] == [
        "members page 2",
        "members page 3",
    ]

    assert result.snapshot
    assert 8 not in ids(cache, "SELECT id FROM members")
    assert 8 not in ids(cache, "SELECT member_id FROM awards")
    assert [r.url.params.get("page") for r in forum.sent("GET", "/admin/users/list/active")] == ["1", "3"]
    assert KEY_SNAPSHOT_PHASE not in cache.sync_state()


def test_what_is_new_while_a_pass_is_under_way_counts_as_seen_by_it(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    cancel = CancelToken()

    def stop_after_the_first_badges_holders(progress: SyncProgress) -> None:
        if progress.phase == "awards" and progress.page == 1:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync(
            cache, forum, snapshot=True, progress=_Calling(stop_after_the_first_badges_holders), cancel=cancel
        )
    assert cache.sync_state()[KEY_SNAPSHOT_PHASE] == "awards"  # Speaker's holders are behind it
    new = forum.grant(7, 100, at=T0 + timedelta(days=5))

    result = sync(cache, forum)

    # The later sync read it; the pass, resumed past Speaker, did not, and must not sweep it.
    assert result.recent and result.snapshot and KEY_SNAPSHOT_PHASE not in cache.sync_state()
    assert forum.sent("GET", "/user_badges")[0].url.params.get("badge_id") == "100"
    assert new.id in ids(cache, "SELECT id FROM awards WHERE badge_id = 100")


def test_a_failed_pass_deletes_nothing(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    forum.delete_user(8)
    forum.grants.remove(forum.held(7, 101)[0])
    before_members = ids(cache, "SELECT id FROM members")
    before_awards = ids(cache, "SELECT id FROM awards")

    def fail_among_the_awards(progress: SyncProgress) -> None:
        # Only the pass reads a third page of members: every member has been listed by now.
        if progress.phase == "members" and progress.page == 3:
            forum.refuse_next("GET", "/user_badges", 404, NOT_FOUND)  # a badge disabled mid-pass

    with pytest.raises(ApiError):
        sync(cache, forum, snapshot=True, progress=_Calling(fail_among_the_awards))

    # Member 8 was not listed, but the pass did not complete: nothing is deleted.
    assert cache.sync_state()[KEY_SNAPSHOT_PHASE] == "awards"
    assert ids(cache, "SELECT id FROM members") == before_members
    assert ids(cache, "SELECT id FROM awards") == before_awards
    assert sync(cache, forum, snapshot=True).snapshot
    assert 8 not in ids(cache, "SELECT id FROM members")
    assert 7 not in ids(cache, "SELECT member_id FROM awards WHERE badge_id = 101")


def test_a_disabled_badges_awards_survive_a_pass(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    pioneers = ids(cache, "SELECT id FROM awards WHERE badge_id = 102")
    assert len(pioneers) == 2
    forum.badges[102].enabled = False  # Discourse now answers 404 for its holders
    forum.delete_user(4)  # one of its two holders: their grants go with them

    result = sync(cache, forum, snapshot=True)

    assert result.snapshot
    assert ids(cache, "SELECT member_id FROM awards WHERE badge_id = 102") == {3}
    pioneers = ids(cache, "SELECT id FROM awards WHERE badge_id = 102")
    with cache.read() as connection:
        state = connection.exec_driver_sql("SELECT state FROM badges WHERE id = 102").scalar_one()
    assert state == "disabled"
    # A deleted badge's awards go, though.
    del forum.badges[103]
    forum.grants = [g for g in forum.grants if g.badge_id != 100]
    del forum.badges[100]
    sync(cache, forum, snapshot=True)
    assert not ids(cache, "SELECT id FROM awards WHERE badge_id = 100")
    assert ids(cache, "SELECT id FROM awards WHERE badge_id = 102") == pioneers


def test_a_pass_that_would_delete_most_members_keeps_them_until_confirmed(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    for user_id in range(1, 201):
        forum.delete_user(user_id)

    kept = sync(cache, forum, snapshot=True)

    assert [w.phase for w in kept.withheld] == ["members", "awards"]
    assert kept.withheld[0].unseen == 200 and kept.withheld[0].rows == MEMBERS + 2
    assert "200 of the 232 members" in kept.withheld[0].describe()
    assert len(ids(cache, "SELECT id FROM members")) == MEMBERS + 2
    assert KEY_SNAPSHOT_PHASE not in cache.sync_state()  # the pass completed

    confirmed = sync(cache, forum, snapshot=True, confirm_sweep=True)

    assert not confirmed.withheld
    assert ids(cache, "SELECT id FROM members") == set(range(201, MEMBERS + 3))


# --- progress ---------------------------------------------------------------------------------------


def test_progress_tells_pages_requests_left_and_their_time_at_the_rate_limit(
    cache: Cache, forum: FakeForum
) -> None:
    budget = RateBudget("forum.example", DISCOURSE_ADMIN_API)
    first: list[SyncProgress] = []
    sync(cache, forum, progress=first, budget=budget)

    members = [p for p in first if p.phase == "members" and p.page]
    assert [p.page for p in members] == [1, 2, 3]
    # Discourse counts no members: while they are read, what is left is a floor.
    assert all(p.at_least for p in members[:-1]) and not first[-1].at_least
    assert first[-1].requests_left == 0
    assert members[0].describe().startswith("members page 1 · ")
    assert "+ requests left · " in members[0].describe()
    assert members[0].eta.endswith("at 60 requests/min")

    later: list[SyncProgress] = []
    sync(cache, forum, progress=later, snapshot=True, budget=budget)
    opening = next(p for p in later if p.requests_left is not None and p.requests_left > 4)
    made_after = len(forum.log) - 3 - 2  # the opening, then what is new (the newest members, the suspended)
    # With the cache's counts the estimate of the pass is exact here.
    # Members: 3 pages; awards: Speaker 1, Helper 3 (121 holders), Pioneer 1, Unheld 1 (empty);
    # the group list 1.
    assert opening.requests_left == made_after == 3 + 6 + 1
    assert opening.describe() == f"badges · ~10 requests left · {opening.eta}"
    assert opening.eta == "under a minute at 60 requests/min"


def test_progress_reads_as_the_status_bar_shows_it() -> None:
    progress = SyncProgress(
        "members", 1200, 0, page=12, requests_left=340, eta="about 6 min at 60 requests/min"
    )
    assert progress.describe() == "members page 12 · ~340 requests left · about 6 min at 60 requests/min"
    assert SyncProgress("changes", 3, 0).describe() == "changes"
    assert SyncProgress("members", 0, 0, page=2, requests_left=1, at_least=True).describe() == (
        "members page 2 · 1+ request left"
    )


class _Calling(list[SyncProgress]):
    """A progress list that also calls ``hook`` with each report (``sync`` appends to it)."""

    def __init__(self, hook: object) -> None:
        super().__init__()
        self.hook = hook

    def append(self, progress: SyncProgress) -> None:
        super().append(progress)
        assert callable(self.hook)
        self.hook(progress)
