"""What the Discourse face adds to the sandbox database, and how its ids map onto the store's.

The store's rows are the community (members, badges, awards, requests); the
``dc_`` tables hold what only Discourse has: badge groupings, a badge's
Discourse fields (icon, listable, …), uploads, a grant's post and sequence
number, topics and posts, the staff action log.

Ids, chosen so that one formula serves every badge:

- users: a member's id; the ``system`` user is ``-1`` (Discourse's), synthesised.
- badges: Discourse id = store id + ``BADGE_ID_OFFSET`` (99). The demo's badges
  (store 1…60) are custom badges 100…159, as on a forum whose admins made them;
  badges created later continue from there ("custom ids start at 100").
  Discourse's system badges (ids 1…24) are store rows with ids of 0 or less,
  which the v1 face filters out; they are added when the Discourse face first
  opens a database.
- user_badges: an award's id. Groupings: their own table; system ones 1…5.
- topics: one per badge request, id ``TOPIC_ID_OFFSET`` + request id, its first
  post written by the member (the request's note); topics and private messages
  created through the API are numbered from ``FIRST_OTHER_TOPIC_ID``, out of the
  requests' way.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

BADGE_ID_OFFSET = 99
SYSTEM_USER_ID = -1
SYSTEM_USERNAME = "system"
TOPIC_ID_OFFSET = 10
FIRST_OTHER_TOPIC_ID = 100_000
#: The category the demo's badge requests live in (its topics are created here).
REQUESTS_CATEGORY_ID = 5
REQUESTS_CATEGORY_SLUG = "badge-requests"
REQUESTS_CATEGORY_NAME = "Badge requests"
#: Post.types: a reply is regular; closing a topic adds a small action ("closed.enabled").
POST_TYPE_REGULAR = 1
POST_TYPE_SMALL_ACTION = 3

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS dc_badge_groupings (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    position INTEGER NOT NULL,
    system INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS dc_badges (
    badge_id INTEGER PRIMARY KEY,
    icon TEXT NOT NULL DEFAULT 'fa-certificate',
    image_upload_id INTEGER,
    listable INTEGER NOT NULL DEFAULT 1,
    allow_title INTEGER NOT NULL DEFAULT 0,
    target_posts INTEGER NOT NULL DEFAULT 0,
    show_posts INTEGER NOT NULL DEFAULT 0,
    auto_revoke INTEGER NOT NULL DEFAULT 1,
    show_in_post_header INTEGER NOT NULL DEFAULT 0,
    query TEXT,
    trigger INTEGER,
    system INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS dc_uploads (
    id INTEGER PRIMARY KEY,
    sha1 TEXT NOT NULL,
    original_filename TEXT NOT NULL,
    extension TEXT NOT NULL,
    content_type TEXT NOT NULL,
    filesize INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL,
    user_id INTEGER NOT NULL,
    upload_type TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dc_uploads_sha1 ON dc_uploads (sha1);
CREATE TABLE IF NOT EXISTS dc_user_badges (
    award_id INTEGER PRIMARY KEY,
    post_id INTEGER,
    grant_seq INTEGER NOT NULL DEFAULT 0,
    granted_by_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dc_topics (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    category_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    request_id INTEGER,
    created_at INTEGER NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0,
    archetype TEXT NOT NULL DEFAULT 'regular'
);
CREATE TABLE IF NOT EXISTS dc_topic_allowed_users (
    topic_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (topic_id, user_id)
);
CREATE TABLE IF NOT EXISTS dc_posts (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL,
    post_number INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    raw TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    post_type INTEGER NOT NULL DEFAULT 1,
    action_code TEXT,
    UNIQUE (topic_id, post_number)
);
CREATE TABLE IF NOT EXISTS dc_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    automatic INTEGER NOT NULL,
    visibility_level INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS dc_suspensions (
    user_id INTEGER PRIMARY KEY,
    suspended_at INTEGER NOT NULL,
    suspended_till INTEGER NOT NULL,
    reason TEXT NOT NULL,
    message TEXT,
    by_user_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dc_staff_actions (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    acting_user_id INTEGER NOT NULL,
    target_user_id INTEGER,
    subject TEXT,
    details TEXT,
    created_at INTEGER NOT NULL
);
-- Holders newest first (GET /user_badges.json?badge_id=) without sorting every holder.
CREATE INDEX IF NOT EXISTS dc_awards_newest ON awards (badge_id, granted_at DESC, id DESC)
    WHERE revoked_at IS NULL;
"""


@dataclass(frozen=True, slots=True)
class SystemBadge:
    """One of Discourse's built-in badges. Immutable; any thread."""

    id: int
    name: str
    description: str
    badge_type_id: int
    grouping_id: int
    trigger: int
    query: str
    multiple_grant: bool = False
    allow_title: bool = False
    target_posts: bool = False
    icon: str = "fa-certificate"


# Badge::Trigger: None 0, PostAction 1, PostRevision 2, TrustLevelChange 4, UserChange 8.
TRIGGERS = {"user_change": 8, "none": 0, "post_revision": 2, "trust_level_change": 4, "post_action": 1}

#: Badge.protected_system_fields: silently left alone when an admin edits a system badge.
PROTECTED_SYSTEM_FIELDS = (
    "name",
    "badge_type_id",
    "multiple_grant",
    "target_posts",
    "show_posts",
    "query",
    "trigger",
    "auto_revoke",
    "listable",
)

BADGE_TYPES = ((1, "Gold", 9), (2, "Silver", 8), (3, "Bronze", 7))

#: Group::AUTO_GROUPS the sandbox shows (id, name, visibility level: 0 public, 3 staff only).
AUTOMATIC_GROUPS = (
    (1, "admins", 3),
    (2, "moderators", 3),
    (3, "staff", 3),
    (10, "trust_level_0", 0),
    (11, "trust_level_1", 0),
    (12, "trust_level_2", 0),
    (13, "trust_level_3", 0),
    (14, "trust_level_4", 0),
)
#: Custom groups are numbered from here, as on a new forum.
FIRST_CUSTOM_GROUP_ID = 41
TIER_TYPE = {"gold": 1, "silver": 2, "bronze": 3}
TYPE_TIER = {type_id: tier for tier, type_id in TIER_TYPE.items()}

SYSTEM_GROUPINGS = (
    (1, "Getting Started", 10),
    (2, "Community", 11),
    (3, "Posting", 12),
    (4, "Trust Level", 13),
    (5, "Other", 14),
)
OTHER_GROUPING_ID = 5

# A selection of Discourse's system badges (Badge::BasicUser …). "Welcome" (5)
# is left out: the demo has a custom badge of that name, and names are unique.
SYSTEM_BADGES = (
    SystemBadge(
        1,
        "Basic User",
        "Granted all essential community functions",
        3,
        4,
        4,
        "SELECT user_id, created_at granted_at FROM user_stats WHERE trust_level >= 1",
    ),
    SystemBadge(
        2,
        "Member",
        "Granted invitations, group messaging, more likes",
        3,
        4,
        4,
        "SELECT user_id, created_at granted_at FROM user_stats WHERE trust_level >= 2",
    ),
    SystemBadge(
        3,
        "Regular",
        "Granted recategorize, rename, followed links, wiki, more likes",
        2,
        4,
        4,
        "SELECT user_id, created_at granted_at FROM user_stats WHERE trust_level >= 3",
        allow_title=True,
    ),
    SystemBadge(
        4,
        "Leader",
        "Granted global edit, pin, close, archive, split and merge, more likes",
        1,
        4,
        4,
        "SELECT user_id, created_at granted_at FROM user_stats WHERE trust_level >= 4",
        allow_title=True,
    ),
    SystemBadge(
        6,
        "Nice Post",
        "Received 10 likes on a post",
        3,
        3,
        1,
        "SELECT p.user_id, p.id post_id, p.updated_at granted_at FROM badge_posts p WHERE p.like_count >= 10",
        multiple_grant=True,
        target_posts=True,
    ),
    SystemBadge(
        7,
        "Good Post",
        "Received 25 likes on a post",
        2,
        3,
        1,
        "SELECT p.user_id, p.id post_id, p.updated_at granted_at FROM badge_posts p WHERE p.like_count >= 25",
        multiple_grant=True,
        target_posts=True,
    ),
    SystemBadge(
        8,
        "Great Post",
        "Received 50 likes on a post",
        1,
        3,
        1,
        "SELECT p.user_id, p.id post_id, p.updated_at granted_at FROM badge_posts p WHERE p.like_count >= 50",
        multiple_grant=True,
        target_posts=True,
    ),
    SystemBadge(
        9,
        "Autobiographer",
        "Filled out profile information",
        3,
        1,
        8,
        "SELECT u.user_id, current_timestamp granted_at FROM user_profiles u WHERE u.bio_raw IS NOT NULL",
    ),
    SystemBadge(
        10,
        "Editor",
        "First post edit",
        3,
        1,
        2,
        "SELECT p.user_id, min(p.id) post_id, min(p.created_at) granted_at FROM badge_posts p"
        " WHERE p.self_edits > 0 GROUP BY p.user_id",
    ),
    SystemBadge(
        11,
        "First Like",
        "Liked a post",
        3,
        1,
        1,
        "SELECT pa1.user_id, pa1.created_at granted_at, pa1.post_id FROM post_actions pa1"
        " WHERE pa1.post_action_type_id = 2",
        target_posts=True,
    ),
    SystemBadge(
        24,
        "Anniversary",
        "Active member for a year, posted at least once",
        2,
        2,
        0,
        "SELECT user_id, current_timestamp AS granted_at FROM badge_posts"
        " WHERE created_at > now() - interval '1 year'",
        multiple_grant=True,
    ),
)


def store_badge_id(discourse_id: int) -> int:
    return discourse_id - BADGE_ID_OFFSET


def discourse_badge_id(store_id: int) -> int:
    return store_id + BADGE_ID_OFFSET


def slug_for(name: str) -> str:
    """``Slug.for(name, "-")`` for ASCII names: lowercase words joined by hyphens."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in name).split()
    return "-".join(words)


def grouping_name_for(category: str) -> str:
    """The grouping a store category is shown in: the category with its words capitalised."""
    return " ".join(word[:1].upper() + word[1:] for word in category.replace("-", " ").split())


def ensure_tables(conn: sqlite3.Connection, now: int) -> None:
    """Create the Discourse face's tables and the rows it needs; safe to run at every start.

    Runs inside a transaction the caller opened.
    """
    for statement in TABLES_SQL.split(";"):
        if statement.strip():
            conn.execute(statement)
    topic_columns = {str(row[1]) for row in conn.execute("PRAGMA table_info(dc_topics)")}
    if "archetype" not in topic_columns:
        conn.execute("ALTER TABLE dc_topics ADD COLUMN archetype TEXT NOT NULL DEFAULT 'regular'")
    post_columns = {str(row[1]) for row in conn.execute("PRAGMA table_info(dc_posts)")}
    if "post_type" not in post_columns:
        regular = POST_TYPE_REGULAR
        conn.execute(f"ALTER TABLE dc_posts ADD COLUMN post_type INTEGER NOT NULL DEFAULT {regular}")
    if "action_code" not in post_columns:
        conn.execute("ALTER TABLE dc_posts ADD COLUMN action_code TEXT")
    conn.executemany(
        "INSERT OR IGNORE INTO dc_badge_groupings (id, name, description, position, system)"
        " VALUES (?, ?, NULL, ?, 1)",
        SYSTEM_GROUPINGS,
    )
    conn.executemany(
        "INSERT OR IGNORE INTO dc_groups (id, name, automatic, visibility_level) VALUES (?, ?, 1, ?)",
        AUTOMATIC_GROUPS,
    )
    _ensure_custom_groups(conn)
    _ensure_system_badges(conn, now)
    _ensure_groupings(conn)
    _ensure_badge_images(conn, now)
    _ensure_request_topics(conn)


def _ensure_custom_groups(conn: sqlite3.Connection) -> None:
    """A group for every name in the members' ``groups`` but the two automatic ones the store uses."""
    names: set[str] = set()
    for (groups,) in conn.execute("SELECT DISTINCT groups FROM members WHERE groups != ''"):
        names.update(g for g in str(groups).split(",") if g)
    known = {str(n) for (n,) in conn.execute("SELECT name FROM dc_groups")}
    next_id = max(
        FIRST_CUSTOM_GROUP_ID, conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM dc_groups").fetchone()[0]
    )
    for name in sorted(names - known):
        conn.execute("INSERT INTO dc_groups (id, name, automatic) VALUES (?, ?, 0)", (next_id, name))
        next_id += 1


def _ensure_system_badges(conn: sqlite3.Connection, now: int) -> None:
    names = dict(conn.execute("SELECT id, name FROM dc_badge_groupings").fetchall())
    for badge in SYSTEM_BADGES:
        store_id = store_badge_id(badge.id)
        if conn.execute("SELECT 1 FROM badges WHERE id = ?", (store_id,)).fetchone():
            continue
        # seq 0 and no counter: the v1 face never reports these.
        conn.execute(
            "INSERT INTO badges (id, slug, title, description, criteria, tier, category, state,"
            " award_message, version, image, image_media_type, updated_at, seq, multiple_grant)"
            " VALUES (?, ?, ?, ?, '', ?, ?, 'published', '', 1, NULL, NULL, ?, 0, ?)",
            (
                store_id,
                f"discourse-system-{slug_for(badge.name)}",
                badge.name,
                badge.description,
                TYPE_TIER[badge.badge_type_id],
                names[badge.grouping_id].lower(),
                now,
                int(badge.multiple_grant),
            ),
        )
        conn.execute(
            "INSERT OR REPLACE INTO dc_badges (badge_id, icon, listable, allow_title, target_posts,"
            " show_posts, auto_revoke, query, trigger, system) VALUES (?, ?, 1, ?, ?, ?, 1, ?, ?, 1)",
            (
                store_id,
                badge.icon,
                int(badge.allow_title),
                int(badge.target_posts),
                int(badge.target_posts),
                badge.query,
                badge.trigger,
            ),
        )


def _ensure_groupings(conn: sqlite3.Connection) -> None:
    """A grouping for every category a badge uses, matched by name without regard to case."""
    known = {str(name).lower() for (name,) in conn.execute("SELECT name FROM dc_badge_groupings")}
    position = conn.execute("SELECT COALESCE(MAX(position), 14) FROM dc_badge_groupings").fetchone()[0]
    categories = sorted({str(c) for (c,) in conn.execute("SELECT DISTINCT category FROM badges")})
    for category in categories:
        name = grouping_name_for(category)
        if name.lower() in known:
            continue
        position += 1
        conn.execute(
            "INSERT INTO dc_badge_groupings (name, description, position, system) VALUES (?, NULL, ?, 0)",
            (name, position),
        )
        known.add(name.lower())


_EXTENSIONS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif"}


def _ensure_badge_images(conn: sqlite3.Connection, now: int) -> None:
    """Each badge's stored image as an upload, so ``image_url`` serves the bytes the store holds.

    A badge whose image changed through the v1 face since gets a new upload.
    """
    rows = conn.execute(
        "SELECT b.id, b.slug, b.image, b.image_media_type, d.image_upload_id, u.sha1"
        " FROM badges b LEFT JOIN dc_badges d ON d.badge_id = b.id"
        " LEFT JOIN dc_uploads u ON u.id = d.image_upload_id"
        " WHERE b.image IS NOT NULL"
    ).fetchall()
    for badge_id, slug, image, media_type, _upload_id, upload_sha1 in rows:
        sha1 = hashlib.sha1(image).hexdigest()
        if sha1 == upload_sha1:
            continue
        extension = _EXTENSIONS.get(str(media_type), "png")
        width, height = 128, 128
        cur = conn.execute(
            "INSERT INTO dc_uploads (sha1, original_filename, extension, content_type, filesize, width,"
            " height, data, user_id, upload_type, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'badge_image', ?)",
            (
                sha1,
                f"{slug}.{extension}",
                extension,
                media_type,
                len(image),
                width,
                height,
                image,
                SYSTEM_USER_ID,
                now,
            ),
        )
        conn.execute("INSERT OR IGNORE INTO dc_badges (badge_id) VALUES (?)", (badge_id,))
        conn.execute("UPDATE dc_badges SET image_upload_id = ? WHERE badge_id = ?", (cur.lastrowid, badge_id))


def _ensure_request_topics(conn: sqlite3.Connection) -> None:
    """A topic in the requests category for every badge request, its first post the member's note.

    A decided request's topic shows its decision as staff on Discourse leave
    one: the decider's reply (the request's reason), and for an approval or a
    denial the topic closed by them (its small action post); a returned one
    stays open with the reply. The decider is the staff member of that name,
    else the system user. Made once: a topic that has replies is left alone.
    """
    conn.execute(
        "INSERT OR IGNORE INTO dc_topics"
        " (id, title, slug, category_id, user_id, request_id, created_at, closed)"
        " SELECT r.id + ?, 'Badge request: ' || b.title, 'badge-request-' || b.slug, ?, r.member_id, r.id,"
        " r.created_at, r.state NOT IN ('pending', 'returned')"
        " FROM requests r JOIN badges b ON b.id = r.badge_id",
        (TOPIC_ID_OFFSET, REQUESTS_CATEGORY_ID),
    )
    conn.execute(
        "INSERT OR IGNORE INTO dc_posts (topic_id, post_number, user_id, raw, created_at)"
        " SELECT t.id, 1, t.user_id, r.note || COALESCE(char(10) || char(10) || r.evidence_url, ''),"
        " t.created_at FROM dc_topics t JOIN requests r ON r.id = t.request_id"
    )
    decided = (
        " FROM dc_topics t JOIN requests r ON r.id = t.request_id"
        " WHERE r.state IN ('approved', 'denied', 'returned')"
        " AND NOT EXISTS (SELECT 1 FROM dc_posts p WHERE p.topic_id = t.id AND p.post_number > 1)"
    )
    decider = (
        "COALESCE((SELECT m.id FROM members m WHERE m.display_name = r.decided_by"
        " AND (',' || m.groups || ',' LIKE '%,admins,%' OR ',' || m.groups || ',' LIKE '%,staff,%')"
        f" ORDER BY m.id LIMIT 1), {SYSTEM_USER_ID})"
    )
    rows = conn.execute(
        f"SELECT t.id, r.state, {decider}, COALESCE(NULLIF(r.reason, ''), 'Decided by the moderators.'),"
        f" COALESCE(r.decided_at, t.created_at){decided}"
    ).fetchall()
    for topic_id, state, user_id, reason, decided_at in rows:
        conn.execute(
            "INSERT INTO dc_posts (topic_id, post_number, user_id, raw, created_at) VALUES (?, 2, ?, ?, ?)",
            (topic_id, user_id, reason, decided_at),
        )
        if state != "returned":
            conn.execute(
                "INSERT INTO dc_posts (topic_id, post_number, user_id, raw, created_at, post_type,"
                " action_code) VALUES (?, 3, ?, '', ?, ?, 'closed.enabled')",
                (topic_id, user_id, decided_at, POST_TYPE_SMALL_ACTION),
            )
