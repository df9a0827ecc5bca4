"""The sandbox's own SQLite database: the community's data and rules, and the v1 API's face on them.

``schema`` (and ``group_index``) holds the tables; ``members``, ``badges``,
``awards``, ``requests``, ``groups`` and ``tokens`` the data and its rules;
``feed`` (the changes feed) and ``v1`` (idempotency keys and ``If-Match``
versions) what only the v1 API promises.
``SandboxStore`` assembles them.
"""

from desktop.sandbox.store.errors import DecisionConflict, StoreError
from desktop.sandbox.store.requests import RequestFilter
from desktop.sandbox.store.tokens import Principal, Role
from desktop.sandbox.store.v1 import SandboxStore

__all__ = ["DecisionConflict", "Principal", "RequestFilter", "Role", "SandboxStore", "StoreError"]
