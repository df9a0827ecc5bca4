"""Failures in the logs: the kind of failure and a traceback, never the data an exception carries.

The rules are :mod:`desktop.failures`' (never the SQL statement, its
parameters, or exception text quoting members, emails, notes): :func:`log_failure`
for our own calls, and :class:`RedactingFilter` on the log handlers as a
safety net for libraries and ``logger.exception`` calls.

Thread safety: plain functions without shared state; any thread.
"""

from __future__ import annotations

import logging
import re
import traceback

from desktop.failures import FailureKind, classify, log_reason


def _summary(error: BaseException) -> str:
    name = f"{type(error).__module__}.{type(error).__qualname__}".removeprefix("builtins.")
    reason = log_reason(error)
    return f"{name}: {reason}" if reason else name


def redacted_traceback(error: BaseException, _seen: set[int] | None = None) -> str:
    """A traceback with every frame but no exception text beyond :func:`log_reason`."""
    seen = _seen if _seen is not None else set()
    seen.add(id(error))
    earlier = ""
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in seen and len(seen) < 8:
        earlier = redacted_traceback(cause, seen) + (
            "\n\nThe above exception was the direct cause of the following exception:\n\n"
        )
    elif context is not None and not error.__suppress_context__ and id(context) not in seen and len(seen) < 8:
        earlier = redacted_traceback(context, seen) + (
            "\n\nDuring handling of the above exception, another exception occurred:\n\n"
        )
    frames = traceback.format_list(traceback.extract_tb(error.__traceback__))
    return earlier + "Traceback (most recent call last):\n" + "".join(frames) + _summary(error)


def log_failure(
    logger: logging.Logger, what: str, error: BaseException, *, level: int = logging.WARNING
) -> None:
    """Log that ``what`` failed: the kind of failure, and a traceback for unexpected ones only."""
    kind = classify(error)
    if kind in (FailureKind.UNEXPECTED, FailureKind.CACHE_UNUSABLE):
        logger.log(level, "%s failed: %s\n%s", what, _summary(error), redacted_traceback(error))
    else:
        logger.log(level, "%s failed: %s", what, _summary(error))


# SQLAlchemy appends these to its messages; everything from the first on is dropped.
_SQL_TAIL = re.compile(r"\s*\[(SQL|parameters|SQL parameters hidden)[: ].*", re.DOTALL)


def redact(text: str) -> str:
    """``text`` without the statement and parameters SQLAlchemy adds to an error's message."""
    return _SQL_TAIL.sub(" [SQL withheld]", text)


class RedactingFilter(logging.Filter):
    """For log handlers: exceptions and messages lose their SQL, parameters and exception text.

    A safety net under :func:`log_failure`: it also covers libraries and
    ``logger.exception`` calls that hand over a raw exception.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_summary(a) if isinstance(a, BaseException) else a for a in args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redacted_traceback(record.exc_info[1])
            record.exc_info = None
        return True


def install_redaction(logger: logging.Logger | None = None) -> None:
    """Put a :class:`RedactingFilter` on every handler of ``logger`` (the root one by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
