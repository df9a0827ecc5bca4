"""The Discourse face's data: the sandbox store's community read and written as Discourse has it.

``DiscourseData`` opens the same SQLite database as the v1 face, adds the
``dc_`` tables on first use (see ``schema``), and offers users, badges, grants,
uploads and topics. It imports nothing of the v1 API: the store's tables are
shared, their records are not.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from desktop.sandbox.discourse.data.activity_search import ActivitySearchData
from desktop.sandbox.discourse.data.activity_topics import LatestPostData
from desktop.sandbox.discourse.data.badges import BadgeData
from desktop.sandbox.discourse.data.directory import DirectoryData
from desktop.sandbox.discourse.data.grants import GrantData
from desktop.sandbox.discourse.data.groups import GroupData
from desktop.sandbox.discourse.data.mass_award import MassAwardData
from desktop.sandbox.discourse.data.moderation import ModerationData
from desktop.sandbox.discourse.data.schema import ensure_tables
from desktop.sandbox.discourse.data.topic_views import TopicViewData
from desktop.sandbox.discourse.data.uploads import UploadData
from desktop.sandbox.discourse.data.users import UserData


class DiscourseData(
    ActivitySearchData,
    LatestPostData,
    DirectoryData,
    ModerationData,
    MassAwardData,
    GroupData,
    GrantData,
    BadgeData,
    UploadData,
    TopicViewData,
    UserData,
):
    """Every read and write of the Discourse face.

    Thread safety: any thread. Each thread gets its own connection (with the
    derived-statistics SQL functions); writes are serialised (see ``StoreDatabase``).
    """

    def __init__(
        self, path: Path, *, community_name: str = "Sandbox", clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(path, community_name=community_name, clock=clock)
        with self._write() as conn:
            ensure_tables(conn, self._now())
