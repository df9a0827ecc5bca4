"""For hand-made fake servers in tests: a fake that offers every port itself."""

from __future__ import annotations

from desktop.dialects.base import Capabilities, Delivery


class SelfPorts:
    """Mixed into a test's fake server: it is its own directory, writer, desk and editor.

    The methods a test does not use are simply absent; a call to one fails loudly.
    """

    kind = "test-fake"
    delivery = Delivery.IDEMPOTENT
    batch_cap = 50
    versions = True
    messenger = None
    feed = None

    @property
    def directory(self):  # type: ignore[no-untyped-def]
        return self

    @property
    def writer(self):  # type: ignore[no-untyped-def]
        return self

    @property
    def desk(self):  # type: ignore[no-untyped-def]
        return self

    @property
    def editor(self):  # type: ignore[no-untyped-def]
        return self

    def capabilities(self) -> Capabilities:
        return Capabilities.of(self)  # type: ignore[arg-type]

    def close(self) -> None:
        pass
