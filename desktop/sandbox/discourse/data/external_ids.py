"""The sandbox forum's single sign-on external ids (``SingleSignOnRecord.external_id``).

A forum that signs its members in through another system (DiscourseConnect) keeps
each member's id in that system; ``GET /u/by-external/{external_id}.json`` finds
the member by it (FACTS.md "Activity"). The sandbox gives every member one, made
from the member's id by a fixed bijection (no table: the demo's data and any seed
have them, and a test can name a member's id without a request): ``lms-`` and seven
digits, ``id × 7919 mod 1,000,003`` (a prime, so members up to a million each get their
own). The system user and deleted members have none.

Thread safety: pure functions, any thread.
"""

from __future__ import annotations

from typing import Final

PREFIX: Final = "lms-"
_PRIME: Final = 1_000_003
_FACTOR: Final = 7919
_INVERSE: Final = pow(_FACTOR, -1, _PRIME)


def external_id_of(user_id: int) -> str:
    """The external id of the member ``user_id`` (1 to 1,000,002)."""
    if not 0 < user_id < _PRIME:
        raise ValueError(f"no external id for user {user_id}")
    return f"{PREFIX}{user_id * _FACTOR % _PRIME:07d}"


def user_id_of(external_id: str) -> int | None:
    """The member whose external id this is (None: it is nobody's, by its form)."""
    digits = external_id.removeprefix(PREFIX)
    if len(external_id) != len(PREFIX) + 7 or not external_id.startswith(PREFIX) or not digits.isdigit():
        return None
    user_id = int(digits) * _INVERSE % _PRIME
    return user_id or None
