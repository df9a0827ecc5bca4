"""Where a sync stands: the keys it keeps in the mirror's ``sync_state`` table.

The state lives in the mirror, beside the rows it describes, so a mirror set
aside or swapped takes its position with it. What the user set here (the
preferences) lives in the work file and is never reset by a sync.
"""

from __future__ import annotations

from collections.abc import Mapping

from desktop.dialects.capabilities import Capabilities

KEY_COMMUNITY = "community_name"
KEY_CHANGES_CURSOR = "changes.cursor"
KEY_LAST_SYNC = "last_sync_at"
#: How KEY_LAST_SYNC is written: ISO 8601, UTC, to the second.
STAMP = "%Y-%m-%dT%H:%M:%SZ"
#: Preferences of the work file (desktop.outbox): a resync never touches them.
KEY_OUTBOX_PAUSED = "outbox.paused"
KEY_ACTOR = "me.name"
KEY_FULL_ANCHOR = "full.anchor"
KEY_FULL_PHASE = "full.phase"
KEY_FULL_CURSOR = "full.cursor"
KEY_FULL_DONE = "full.done"
#: Pages of the current phase stored so far (a full sync's, a snapshot pass's): the progress
#: of a resumed sync goes on counting ("members page 12"), not from 1.
KEY_FULL_PAGE = "full.page"
KEY_SNAPSHOT_PAGE = "snapshot.page"
#: The snapshot pass (servers without a changes feed, :mod:`desktop.sync.snapshot`): the number
#: of the pass under way or last completed, and where the one under way stands (no phase: none is).
KEY_SNAPSHOT_PASS = "snapshot.pass"
KEY_SNAPSHOT_PHASE = "snapshot.phase"
KEY_SNAPSHOT_CURSOR = "snapshot.cursor"
KEY_SNAPSHOT_DONE = "snapshot.done"
#: When the last complete read of everything ended (a first full sync or a snapshot pass), as
#: ``STAMP``: a server with newest-first listings runs the next pass only when it is due.
KEY_SNAPSHOT_AT = "snapshot.completed_at"
#: A later sync reading only what is new (:mod:`desktop.sync.recent`): where it stands (no phase:
#: none under way), the badge whose holders it reads, and what the cache knew when it began.
KEY_RECENT_PHASE = "recent.phase"
KEY_RECENT_CURSOR = "recent.cursor"
KEY_RECENT_BADGE = "recent.badge"
KEY_RECENT_MARKS = "recent.marks"
#: The grants the server counted for each badge when its holders were last read up to date
#: (JSON): a later sync reads only badges whose count changed since.
KEY_HOLDER_COUNTS = "holders.counts"
#: What the server could do at the last sync (``Capabilities.to_json``), for the views offline.
KEY_CAPABILITIES = "server.capabilities"


def stored_capabilities(state: Mapping[str, str]) -> Capabilities | None:
    """What the server could do at the last sync, from the sync state (None before one)."""
    text = state.get(KEY_CAPABILITIES)
    return None if text is None else Capabilities.from_json(text)
