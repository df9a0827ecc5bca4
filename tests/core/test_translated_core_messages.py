"""The core's messages (failures, network, sync, cache, dialects, command line) follow the language.

Texts kept in module constants (the failure tasks, the drift rules, a dialect's
key help) are made at import, before the language is chosen: they must be
translated when read, which the pseudo-translation shows.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import drift, failures, i18n
from desktop.cache import opening
from desktop.dialects import registry
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind, Drift
from desktop.i18n_catalog import core_sources, extract
from desktop.net.budget import RateLimit, describe_duration
from desktop.net.errors import ServerBusy, ServerUnreachable
from desktop.net.server_address import check_server_url
from desktop.sync.progress import SyncProgress
from desktop.sync.snapshot import WithheldSweep

OPEN, CLOSE = i18n.PSEUDO_OPEN, i18n.PSEUDO_CLOSE


@pytest.fixture
def pseudo() -> Iterator[None]:
    previous = i18n.use_translation(i18n.PseudoTranslations())
    try:
        yield
    finally:
        i18n.use_translation(previous)


def pseudo_translated(text: str) -> bool:
    return text.startswith(OPEN) and text.endswith(CLOSE)


def test_every_marked_core_message_can_be_extracted() -> None:
    catalogue = extract(core_sources())
    assert catalogue.problems == []
    msgids = {message.msgid for message in catalogue.messages}
    for expected in (
        "The disk is full: free about {size} and {after_space}.",
        "Server unreachable: {problem} on {n} attempt",
        "BadgeDesk recovered {n} action",
        "the member was deleted",
        "full sync of {community}: {items} item in {seconds} s",
    ):
        assert expected in msgids


@pytest.mark.usefixtures("pseudo")
def test_a_failure_is_told_in_the_language_chosen_after_import() -> None:
    error = OSError(errno.ENOSPC, "No space left on device")
    message = failures.describe(error, failures.SYNC, space_needed=40 * 2**20).message
    assert pseudo_translated(message), message
    # The task's clause (a constant made at import) is translated too, and the size kept.
    assert "40 MB" in message and "BådgéDéšk réšüméš" in message


@pytest.mark.usefixtures("pseudo")
def test_network_and_sync_messages_follow_the_language() -> None:
    with pytest.raises(Exception) as raised:
        check_server_url("http://example.org")
    texts = [
        str(raised.value),
        describe_duration(20 * 60),
        RateLimit(requests=60, period=60.0).rate_text,
        SyncProgress("members", 5, 10, page=3, requests_left=12).describe(),
        WithheldSweep("members", 300, 400).describe(),
        failures.describe(ServerBusy("Server busy"), failures.SEND).message,
        failures.describe(ServerUnreachable("Server unreachable"), failures.loading("the badges")).message,
        opening.in_use_elsewhere(),
        registry.dialect("discourse").key_help,
        drift.DRIFT[(ActionKind.AWARD, Drift.MEMBER_GONE)].text,
        drift.HoldReason.DECIDED_ELSEWHERE.text,
    ]
    for text in texts:
        assert OPEN in text, text
    notes = Capabilities(
        kind="test",
        changes_feed=False,
        requests=False,
        badge_editing=False,
        edit_conflicts=False,
        messages=False,
        award_messages=False,
        delivery=Delivery.RECONCILE,
        batch_cap=1,
    ).missing()
    assert notes and all(pseudo_translated(note) for note in notes)


def test_english_stays_as_it_was() -> None:
    assert SyncProgress("members", 5, 10, page=12, requests_left=1).describe() == (
        "members page 12 · ~1 request left"
    )
    assert SyncProgress("members", 5, 10, requests_left=340, at_least=True).describe() == (
        "members · 340+ requests left"
    )
    assert (
        WithheldSweep("awards", 300, 400)
        .describe()
        .startswith("300 of the 400 awards in the local copy were not on the server in this sync")
    )
    task = failures.file_task("the export")
    error = PermissionError(errno.EACCES, "Permission denied", str(Path("/x/out.csv")))
    assert failures.describe(error, task).message == (
        "The export failed (Permission denied: out.csv): check its permissions or choose another place."
    )
