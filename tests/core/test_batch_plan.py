"""The batch plan: requests and time of each path, and which path, from capabilities alone."""

from __future__ import annotations

import dataclasses

import pytest

from desktop.batch_plan import MASS_AWARD_THRESHOLD, SendPath, plan_batch
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind
from desktop.net.budget import RateBudget, RateLimit

#: A forum like Discourse: one member a request, messages apart, a mass award, 50 holders a read.
FORUM = Capabilities(
    kind="some-forum",
    changes_feed=False,
    requests=False,
    badge_editing=False,
    edit_conflicts=False,
    messages=True,
    award_messages=True,
    delivery=Delivery.RECONCILE,
    batch_cap=1,
    messages_apart=True,
    mass_award_cap=50_000,
    holders_per_request=50,
)
#: Our own API: 50 awards a request, messages with the awards, no mass award.
V1 = Capabilities(
    kind="badgedesk-v1",
    changes_feed=True,
    requests=True,
    badge_editing=True,
    edit_conflicts=True,
    messages=False,
    award_messages=True,
    delivery=Delivery.IDEMPOTENT,
    batch_cap=50,
)


def budget(per_minute: int = 60) -> RateBudget:
    return RateBudget("forum.example", RateLimit(requests=per_minute, period=60.0))


def test_one_by_one_counts_a_request_per_member_and_names_the_time() -> None:
    plan = plan_batch(ActionKind.AWARD, 2000, FORUM, messages=False, budget=budget(), allow_mass=False)
    assert plan.path is SendPath.ONE_BY_ONE
    assert plan.one_by_one.requests == 2000
    assert plan.one_by_one.eta is not None
    # 58 of 60 a window of 61.25 s: 35 windows, the last begins 34 windows in.
    assert plan.one_by_one.eta.seconds == pytest.approx(34 * 61.25)
    assert plan.lines()[0] == "2,000 grants one by one: 2,000 requests, about 35 min at 60 requests/min"


def test_one_member_reads_in_the_singular() -> None:
    plan = plan_batch(ActionKind.REVOKE, 1, FORUM, messages=False, budget=None)
    assert plan.lines() == ["1 revoke one by one: 1 request"]


def test_messages_add_one_request_each_unless_switched_off() -> None:
    on = plan_batch(ActionKind.AWARD, 100, FORUM, messages=True, budget=budget(), allow_mass=False)
    off = plan_batch(ActionKind.AWARD, 100, FORUM, messages=False, budget=budget(), allow_mass=False)
    assert on.one_by_one.requests == 200 and on.one_by_one.messages == 100
    assert off.one_by_one.requests == 100 and off.one_by_one.messages == 0
    assert "100 award messages (one private message each)" in on.lines()[0]


def test_messages_that_travel_with_the_award_cost_nothing_more() -> None:
    plan = plan_batch(ActionKind.AWARD, 120, V1, messages=True, budget=None)
    assert plan.one_by_one.requests == 3  # 50 + 50 + 20
    assert plan.one_by_one.messages == 0
    assert plan.one_by_one.eta is None
    assert plan.lines()[0] == "120 grants in requests of 50: 3 requests"


def test_above_the_threshold_the_mass_award_is_the_path_with_its_verification() -> None:
    plan = plan_batch(ActionKind.AWARD, 2000, FORUM, messages=False, budget=budget())
    assert plan.path is SendPath.MASS_AWARD
    mass = plan.mass
    assert mass is not None
    # One upload, 40 reads of the holders (50 a read), and one more look while the jobs finish.
    assert (mass.uploads, mass.reads, mass.grants) == (1, 41, 0)
    assert mass.requests == 42
    assert mass.requests < plan.one_by_one.requests
    assert plan.lines()[1].startswith("Mass award: 1 upload + about 41 reads of the holders")
    assert plan.lines()[-1].startswith("Path: mass award")


def test_mass_award_messages_are_still_one_each() -> None:
    plan = plan_batch(ActionKind.AWARD, 500, FORUM, messages=True, budget=budget())
    assert plan.mass is not None and plan.mass.messages == 500
    assert plan.mass.requests == 1 + 11 + 500


def test_below_the_threshold_one_by_one_even_where_a_mass_award_exists() -> None:
    below = plan_batch(ActionKind.AWARD, MASS_AWARD_THRESHOLD - 1, FORUM, messages=False, budget=budget())
    at = plan_batch(ActionKind.AWARD, MASS_AWARD_THRESHOLD, FORUM, messages=False, budget=budget())
    assert below.path is SendPath.ONE_BY_ONE and below.mass is not None
    assert at.path is SendPath.MASS_AWARD


def test_the_path_comes_from_capabilities_never_from_the_kind_name() -> None:
    renamed = dataclasses.replace(FORUM, kind="discourse")
    without = dataclasses.replace(FORUM, kind="discourse", mass_award_cap=0)
    assert (
        plan_batch(ActionKind.AWARD, 1000, renamed, messages=False, budget=None).path is SendPath.MASS_AWARD
    )
    plan = plan_batch(ActionKind.AWARD, 1000, without, messages=False, budget=None)
    assert plan.path is SendPath.ONE_BY_ONE and plan.mass is None


def test_revokes_have_no_mass_path() -> None:
    plan = plan_batch(ActionKind.REVOKE, 1000, FORUM, messages=True, budget=budget())
    assert plan.path is SendPath.ONE_BY_ONE and plan.mass is None
    assert plan.one_by_one.messages == 0
    assert plan.lines()[0].startswith("1,000 revokes one by one: 1,000 requests")


def test_more_members_than_one_upload_takes_need_several() -> None:
    small_cap = dataclasses.replace(FORUM, mass_award_cap=1000)
    plan = plan_batch(ActionKind.AWARD, 2500, small_cap, messages=False, budget=None)
    assert plan.mass is not None and plan.mass.uploads == 3


def test_the_mass_award_can_be_declined() -> None:
    plan = plan_batch(ActionKind.AWARD, 1000, FORUM, messages=False, budget=None, allow_mass=False)
    assert plan.path is SendPath.ONE_BY_ONE and plan.mass is not None


def test_capabilities_stored_before_the_mass_award_still_read() -> None:
    import json

    older = json.loads(V1.to_json())
    for added in ("messages_apart", "mass_award_cap", "holders_per_request"):
        del older[added]
    assert Capabilities.from_json(json.dumps(older)) == V1
    assert Capabilities.from_json(FORUM.to_json()) == FORUM
