"""What a headless run says of the actions still queued after its send, and why they wait."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.cli_headless import APPLIED, STAYS_QUEUED, MemberResult, nothing_new, queued_words, still_queued
from desktop.community import Community
from desktop.domain import ActionState, ChangeSet
from desktop.outbox.types import PauseReason, SendReport


@pytest.fixture()
def community(tmp_path: Path) -> Iterator[Community]:
    made = Community("http://127.0.0.1:9", None, Cache(tmp_path / "profile"))
    yield made
    made.close()


def _report(queued: int, *, paused: bool) -> SendReport:
    return SendReport(queued=queued, done=0, conflicts=0, failed=0, changes=ChangeSet(), paused=paused)


def test_pending_and_sending_are_still_queued_not_applied() -> None:
    results = [MemberResult(i, f"@m{i}", s.value, "") for i, s in enumerate(ActionState)]
    assert [r.state for r in still_queued(results)] == ["pending", "sending"]


def test_why_they_wait(community: Community) -> None:
    assert queued_words(community, 1) == (
        "1 action stays queued for the next run or the app: it waits behind another action (an undo"
        " not yet settled, or one another sender holds)."
    )
    community.outbox.set_paused(True)
    assert queued_words(community, 2) == (
        "2 actions stay queued: sending is paused in the app. Click “Resume sending” in its Outbox,"
        " then run again."
    )
    community.outbox.set_paused(False)
    community.outbox.pause_for(PauseReason.TOKEN_REFUSED)
    assert queued_words(community, 3) == (
        "3 actions stay queued: sending is paused since the server refused the token. Give the app a"
        " new token, then run again."
    )


def test_nothing_new_is_done_unless_a_paused_outbox_still_holds_actions(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    assert nothing_new(community, _report(0, paused=True)) == APPLIED
    assert nothing_new(community, _report(4, paused=False)) == APPLIED
    community.outbox.set_paused(True)
    assert nothing_new(community, _report(4, paused=True)) == STAYS_QUEUED
    assert "4 actions stay queued: sending is paused in the app." in capsys.readouterr().err
