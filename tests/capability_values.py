"""Capabilities for tests: a forum like Discourse's and a server like BadgeDesk's own, with the
fields a test is about given by name (the others as those servers have them)."""

from __future__ import annotations

import dataclasses
from typing import Any

from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities

#: A Discourse forum with an admin's key: one grant a request, no feed, no requests, no drafts.
FORUM = Capabilities(
    kind="discourse",
    changes_feed=False,
    requests=False,
    badge_editing=True,
    edit_conflicts=False,
    messages=True,
    award_messages=True,
    delivery=Delivery.RECONCILE,
    batch_cap=1,
)
#: BadgeDesk's own server (v1): a feed, requests, versions, batches of 100.
OWN = Capabilities(
    kind="badgedesk-v1",
    changes_feed=True,
    requests=True,
    badge_editing=True,
    edit_conflicts=True,
    messages=True,
    award_messages=True,
    delivery=Delivery.IDEMPOTENT,
    batch_cap=100,
)


def forum(**fields: Any) -> Capabilities:
    return dataclasses.replace(FORUM, **fields)


def own(**fields: Any) -> Capabilities:
    return dataclasses.replace(OWN, **fields)
