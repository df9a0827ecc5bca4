"""Accepted answers, as the Solved plugin keeps them, derived from the sandbox's activity tables.

The store keeps no accepted answers: a topic (not the outage topic) is a solved question when
its id says so (about 45 %, fixed per id), and its solution is the reply by someone other than
the topic's author with the most likes (the earliest of those tied), accepted when it was
written. A member's ``solutions`` in a span are the solutions they wrote in it, as the plugin's
directory column counts accepted answers by when they were accepted.

The directory shows the column only where the face runs with the Solved column on
(``create_discourse_app(solved=True)``); the counts are the same either way.
"""

from __future__ import annotations

import sqlite3

from desktop.sandbox.store.activity_seed import OUTAGE_KIND

#: Out of 1,000: how many topics are solved questions (by ``id * 2654435761 % 1000``).
SOLVED_PER_MILLE = 450

_SOLUTIONS_SQL = """
SELECT member_id, COUNT(*) FROM (
    SELECT p.member_id, p.created_at,
        ROW_NUMBER() OVER (PARTITION BY p.topic_id ORDER BY p.like_count DESC, p.post_number) AS place
    FROM activity_posts p JOIN activity_topics t ON t.id = p.topic_id
    WHERE p.post_number > 1 AND p.member_id != t.member_id AND t.kind != ?3
        AND (t.id * 2654435761) % 1000 < ?4
)
WHERE place = 1 AND created_at >= ?1 AND created_at < ?2
GROUP BY member_id
"""


def solutions(conn: sqlite3.Connection, start: int, end: int) -> dict[int, int]:
    """Accepted answers written in ``[start, end)``, by member id (members with none left out)."""
    return dict(conn.execute(_SOLUTIONS_SQL, (start, end, OUTAGE_KIND, SOLVED_PER_MILLE)).fetchall())
