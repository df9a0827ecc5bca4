"""The sandbox: a bundled local community server speaking the BadgeDesk Community API v1.

Importing this package is cheap; the server (FastAPI, uvicorn) loads only when run.
"""

from desktop.sandbox.cli import add_sandbox_arguments, sandbox_main

__all__ = ["add_sandbox_arguments", "sandbox_main"]
