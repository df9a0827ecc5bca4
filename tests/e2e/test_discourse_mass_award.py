"""A big batch to the sandbox speaking Discourse: mass award, verification, a complete report, once each.

Over loopback HTTP, with the forum's limit raised so it runs in seconds. The
forum's background jobs grant the uploaded members a moment after the
upload answers; the client reads the holders until it finds them.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.batch_plan import SendPath, plan_batch
from desktop.batch_results import export_results_csv
from desktop.batches import ListSource, dry_run, queue_batch
from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.domain import ActionKind, ActionState
from desktop.sandbox.process import SandboxProcess
from tests.e2e.test_discourse import _holders

MEMBERS = 300
RATE = 6000
#: Badges of the demo (store badge + 99); ONCE cannot be held twice, MULTIPLE can.
ONCE, MULTIPLE = 101, 110


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("forum"), members=MEMBERS, seed=7, dialect="discourse", rate=RATE
    )
    with process:
        yield process


class LoseUploadAnswer(httpx.BaseTransport):
    """Real HTTP, except that the first mass award's answer is lost after the forum took it."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.uploads = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.url.path.startswith("/admin/badges/award/"):
            self.uploads += 1
            response.read()
            if self.uploads == 1:
                raise httpx.ReadError("the connection broke after the request went out", request=request)
        return response

    def close(self) -> None:
        self._inner.close()


def _community(forum: SandboxProcess, path: Path, transport: httpx.BaseTransport | None = None) -> Community:
    endpoint = Endpoint(
        forum.url,
        forum.tokens["admin"],
        kind="discourse",
        username=forum.usernames["admin"],
        requests_per_minute=RATE,
    )
    return Community(forum.url, endpoint, Cache(path), transport=transport)


def _lacking(community: Community, badge_id: int, limit: int) -> list[int]:
    with community.cache.read() as connection:
        return [
            int(row[0])
            for row in connection.exec_driver_sql(
                "SELECT id FROM members m WHERE status = 'active' AND NOT EXISTS"
                " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?)"
                " ORDER BY id LIMIT ?",
                (badge_id, limit),
            )
        ]


@pytest.mark.parametrize("badge_id", [ONCE, MULTIPLE])
def test_a_big_batch_goes_by_mass_award_and_each_member_is_reported_once(
    forum: SandboxProcess, tmp_path: Path, badge_id: int
) -> None:
    community = _community(forum, tmp_path / "profile")
    try:
        community.sync()
        capabilities = community.capabilities()
        assert capabilities is not None and capabilities.mass_award
        members = _lacking(community, badge_id, 120)
        assert len(members) == 120
        plan = dry_run(community.cache, ListSource.selection(members), ActionKind.AWARD, badge_id)
        assert plan.to_send == 120
        path = plan_batch(ActionKind.AWARD, plan.to_send, capabilities, messages=False, budget=None).path
        assert path is SendPath.MASS_AWARD
        before = Counter(_holders(forum, badge_id))
        batch = queue_batch(community.outbox, plan, reason="e2e", notify=False, mass_award=True)

        report = community.send_outbox()

        after = Counter(_holders(forum, badge_id))
        assert after - before == Counter(members)  # every member once, nobody else
        assert (report.applied, report.failed, report.conflicts, report.held) == (120, 0, 0, 0)
        summary = community.outbox.batch_summary(batch.id)
        assert (summary.total, summary.applied, summary.unsent) == (120, 120, 0)
        out = tmp_path / "results.csv"
        assert export_results_csv(community.cache, batch.id, out) == 120
        with out.open(encoding="utf-8-sig", newline="") as handle:
            outcomes = Counter(row["outcome"] for row in csv.DictReader(handle))
        assert outcomes == Counter({"awarded": 120})
        [upload] = [a for a in community.outbox.actions() if a.kind is ActionKind.MASS_AWARD]
        assert upload.state is ActionState.DONE and upload.outcome == "uploaded"
        assert upload.result is not None and upload.result["missing"] == 0
    finally:
        community.close()


def test_a_lost_upload_answer_is_settled_by_the_holders_not_a_second_upload(
    forum: SandboxProcess, tmp_path: Path
) -> None:
    transport = LoseUploadAnswer()
    community = _community(forum, tmp_path / "profile", transport)
    try:
        community.sync()
        members = _lacking(community, MULTIPLE, 60)
        plan = dry_run(community.cache, ListSource.selection(members), ActionKind.AWARD, MULTIPLE)
        before = Counter(_holders(forum, MULTIPLE))
        batch = queue_batch(community.outbox, plan, reason="e2e", notify=False, mass_award=True)

        report = community.send_outbox()

        assert transport.uploads == 1  # never uploaded again
        assert Counter(_holders(forum, MULTIPLE)) - before == Counter(members)
        assert report.applied == 60 and report.failed == 0
        summary = community.outbox.batch_summary(batch.id)
        assert (summary.applied, summary.unsent) == (60, 0)
    finally:
        community.close()
