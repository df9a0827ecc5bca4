"""The refusals the sandbox store raises, each carrying the HTTP answer it becomes."""

from __future__ import annotations

from desktop.dialects.badgedesk_v1.wire import RequestOut


class StoreError(Exception):
    """A refusal the API reports as an error body.

    ``status`` is the HTTP status the sandbox answers with; the store is the
    API's implementation, so it decides that here rather than in every caller.
    """

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


class DecisionConflict(StoreError):
    """The request was decided meanwhile, or the caller's version is stale."""

    def __init__(self, message: str, current: RequestOut) -> None:
        super().__init__(409, "conflict", message)
        self.current = current
