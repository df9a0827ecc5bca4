"""The APIs the sandbox can speak.

Named here, where importing costs nothing: the app's command line offers them before it
loads anything else, and the server itself brings FastAPI and uvicorn along.
"""

from __future__ import annotations

from typing import Literal

Dialect = Literal["v1", "discourse"]
DIALECTS: tuple[Dialect, ...] = ("v1", "discourse")
