"""The memory dialect's own machinery, which the contract suite does not reach: its state file,
its seed, and that it never opens a socket."""

from __future__ import annotations

from pathlib import Path

from desktop.dialects.base import AwardItem, Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import AwardOutcome
from desktop.sandbox.seed import seed_database
from desktop.sandbox.store import SandboxStore
from tests.fakes.memory_community import MemoryCommunity
from tests.fakes.memory_dialect import SCHEME, MemorySession
from tests.fakes.memory_server import MemoryServer

pytest_plugins = ("tests.network_guard",)


def award(session: MemorySession, member_id: int, badge_id: int) -> AwardOutcome:
    [result] = session.writer.award_batch(
        [AwardItem(f"award-{member_id:06d}-{badge_id:06d}", member_id, badge_id)]
    )
    return result.outcome


def test_a_state_file_keeps_every_write_and_a_torn_record_never_happened(tmp_path: Path) -> None:
    state = tmp_path / "server"
    community = MemoryCommunity.seeded(300, 3)
    [(member_id, badge_id), (other_id, _)] = [
        (m, b) for m in community.members for b in (5,) if (m, b) not in community.held
    ][:2]
    MemoryServer(community, state_file=state)
    with MemorySession.open_file(f"{SCHEME}{state}") as first:
        assert award(first, member_id, badge_id) is AwardOutcome.AWARDED
    # A process killed while logging its write leaves half a record behind.
    log = state.with_name(state.name + ".log")
    whole = log.stat().st_size
    with log.open("ab") as file:
        file.write(b"\xff\x00\x00\x00half a record")
    reader = MemoryServer(state_file=state)
    assert (member_id, badge_id) in reader.read().held
    with MemorySession.open_file(f"{SCHEME}{state}") as second:
        assert award(second, other_id, badge_id) is AwardOutcome.AWARDED
        # The torn record was cut off before the next write went in.
        assert log.stat().st_size > whole
    assert {(member_id, badge_id), (other_id, badge_id)} <= set(MemoryServer(state_file=state).read().held)
    # The reader that was open all along catches up with another process's writes.
    assert (other_id, badge_id) in reader.read().held


def test_the_seeded_community_is_the_sandboxs(tmp_path: Path) -> None:
    seed_database(tmp_path / "sandbox.sqlite3", members=300, seed=3)
    store = SandboxStore(tmp_path / "sandbox.sqlite3")
    try:
        counts, _position = store.counts()
    finally:
        store.close()
    summary = MemoryCommunity.seeded(300, 3).summary()
    assert (summary.members, summary.badges, summary.awards, summary.requests) == (
        counts.members,
        counts.badges,
        counts.awards,
        counts.requests,
    )


def test_a_memory_session_offers_every_port_and_never_touches_the_network(no_network: list[str]) -> None:
    with MemorySession(MemoryServer(MemoryCommunity.seeded(300, 3))) as session:
        capabilities = Capabilities.of(session)
        assert session.directory.members(None, 10).items
    assert capabilities == Capabilities(
        kind="memory",
        changes_feed=True,
        requests=True,
        badge_editing=True,
        edit_conflicts=True,
        messages=False,
        award_messages=True,
        delivery=Delivery.IDEMPOTENT,
        batch_cap=50,
    )
    assert no_network == []
