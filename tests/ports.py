"""For hand-made fake servers in tests: a fake that offers every port itself."""

from __future__ import annotations

from typing import Any

from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities


class SelfPorts:
    """Mixed into a test's fake server: it is its own directory, writer, desk and editor.

    The methods a test does not use are simply absent; a call to one fails loudly.
    The ports are typed ``Any`` for that reason: a fake is a whole
    :class:`~desktop.dialects.base.ServerSession` to mypy (so it is passed where
    one is expected without a cast), though it implements only what its test uses.
    """

    kind = "test-fake"
    delivery = Delivery.IDEMPOTENT
    batch_cap = 50
    sends_award_messages = True
    sends_revoke_messages = False
    versions = True
    drafts = True
    keeps_award_messages = True
    feed = None

    @property
    def messenger(self) -> Any:
        return None

    @property
    def mass_awarder(self) -> Any:
        return None

    @property
    def directory(self) -> Any:
        return self

    @property
    def writer(self) -> Any:
        return self

    @property
    def desk(self) -> Any:
        return self

    @property
    def editor(self) -> Any:
        return self

    def capabilities(self) -> Capabilities:
        return Capabilities.of(self)

    def close(self) -> None:
        pass
