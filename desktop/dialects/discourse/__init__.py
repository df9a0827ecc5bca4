"""Discourse: a session that speaks a Discourse forum's API in BadgeDesk's ports.

Discourse's own API, as its code behaves (``/work/shared/discourse/FACTS.md``
summarises it; its published OpenAPI description is the contract the tests
hold the fake forum to). Nothing here is shared with the sandbox's Discourse
dialect: the published spec stands between them.

- :mod:`~desktop.dialects.discourse.session`: the session (its ports) and how the registry opens one;
- :mod:`~desktop.dialects.discourse.api`: the requests, and Discourse's answers read in one place;
- :mod:`~desktop.dialects.discourse.wire`: the answers' shapes, bounded (what the client accepts);
- :mod:`~desktop.dialects.discourse.mapping`: Discourse's users, badges and grants as domain values;
- :mod:`~desktop.dialects.discourse.cursors`: the sync positions this dialect gives out;
- :mod:`~desktop.dialects.discourse.directory`: community, me, members, badges, awards, groups;
- :mod:`~desktop.dialects.discourse.groups`: the forum's own groups and their members;
- :mod:`~desktop.dialects.discourse.writer`: grants, revokes and their confirmation.
"""

#: The server kind a profile names for this dialect, and what the user reads.
KIND = "discourse"
TITLE = "Discourse"
