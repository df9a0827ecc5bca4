"""The batch builder's plan on the Discourse demo: requests, time, the path, and the two switches."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.domain import ActionKind, BadgeState
from desktop.outbox import Batch
from tests.ui.conftest import community_of, session_of, window_of
from ui.shell.controller import AppController

DEMO_MEMBERS = 300
BATCH = 60


def test_the_dry_run_shows_the_plan_its_time_the_path_and_the_messages_switch(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS, demo_dialect="discourse")
    session = session_of(controller)
    qtbot.waitUntil(lambda: session.last_sync is not None, timeout=120_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)
    capabilities = session.capabilities
    assert capabilities is not None and capabilities.mass_award
    # Award messages as private messages come with the Discourse messenger (another part of
    # issue 14); the plan counts them from this capability alone.
    session.capabilities = dataclasses.replace(capabilities, messages_apart=True)
    cache = community_of(controller).cache
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    with cache.read() as connection:
        lacking = [
            int(row[0])
            for row in connection.exec_driver_sql(
                "SELECT id FROM members m WHERE status = 'active' AND NOT EXISTS"
                " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?) ORDER BY id LIMIT ?",
                (badge.id, BATCH),
            )
        ]
    assert len(lacking) == BATCH

    dialog = window_of(controller).new_batch(lacking, ActionKind.AWARD)
    qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0, timeout=10_000)
    dialog.select_badge(badge.id)
    dialog.message_edit.setPlainText("Well done, {member}!")
    dialog.start_dry_run()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)

    lines = dialog.plan_view.text.text().splitlines()
    time = r"(under a minute|about \d+ min) at [\d,]+ requests/min"
    assert re.fullmatch(
        rf"60 grants one by one: 60 \+ 60 award messages \(one private message each\) = 120 requests, {time}",
        lines[0],
    ), lines[0]
    # 1 upload + 60 / 50 holder pages + 1 more look, and the 60 messages still one each.
    assert re.fullmatch(
        rf"Mass award: 1 upload \+ about 3 reads of the holders to verify \+ 60 award messages \(one private"
        rf" message each\) = 64 requests, {time}, plus the forum's background jobs; members the"
        r" verification does not find are then granted one by one",
        lines[1],
    ), lines[1]
    assert lines[2].startswith("Path: mass award (60 members; from 50 members")
    assert not dialog.plan_view.mass_check.isHidden() and dialog.plan_view.mass_check.isChecked()
    dialog.grab().save(str(artifacts / "batch-plan-mass-award.png"))

    # Messages switched off for this batch: a request each less, on both paths.
    dialog.notify_check.setChecked(False)
    lines = dialog.plan_view.text.text().splitlines()
    assert re.fullmatch(rf"60 grants one by one: 60 requests, {time}", lines[0]), lines[0]
    assert "= 4 requests" in lines[1]
    # The mass award declined: one by one.
    dialog.plan_view.mass_check.setChecked(False)
    assert dialog.plan_view.text.text().splitlines()[-1] == "Path: one by one"
    dialog.plan_view.mass_check.setChecked(True)

    queued: list[Batch] = []
    dialog.queued.connect(queued.append)
    dialog.queue()
    qtbot.waitUntil(lambda: bool(queued), timeout=10_000)
    batch = queued[0]
    assert batch.notify is False
    kinds = [
        a.kind for a in community_of(controller).outbox.actions() if a.payload.get("batch_id") == batch.id
    ]
    assert kinds == [ActionKind.MASS_AWARD]
    assert len(community_of(controller).outbox.actions(batch_id=batch.id)) == BATCH
