"""Command-line entry of the sandbox: ``badgedesk sandbox`` and ``python -m desktop.sandbox``.

Kept free of FastAPI and uvicorn imports so building the main CLI's parser
stays fast; the server is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import platformdirs


def default_data_dir() -> Path:
    return platformdirs.user_data_path("BadgeDesk") / "sandbox"


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sandbox's options to ``parser`` (the main CLI's ``sandbox`` subcommand)."""
    parser.add_argument(
        "--members", type=_positive_int, default=20_000, help="members to seed (default 20000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the community (default 1)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one")
    parser.add_argument(
        "--data", type=Path, default=None, help=f"data directory (default {default_data_dir()})"
    )
    parser.add_argument(
        "--rate", type=_positive_float, default=None, help="requests per second per token (default unlimited)"
    )
    parser.add_argument(
        "--fail-rate", type=_fraction, default=0.0, help="probability of an injected fault (default 0)"
    )
    parser.add_argument("--fault-seed", type=int, default=None, help="makes injected faults repeatable")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay added to every API call")
    parser.add_argument(
        "--batch-cap", type=_positive_int, default=50, help="most items per batch (default 50)"
    )
    parser.add_argument("--reset", action="store_true", help="discard the data and seed again")
    parser.add_argument("--name", default="Sandbox Community", help="the community's name")
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when the process that started this one ends (used by the app)",
    )


def sandbox_main(args: argparse.Namespace) -> int:
    """Run the sandbox with parsed ``args``; returns the exit status."""
    from desktop.sandbox.server import run_sandbox

    try:
        return run_sandbox(
            data_dir=args.data if args.data is not None else default_data_dir(),
            members=args.members,
            seed=args.seed,
            host=args.host,
            port=args.port,
            rate=args.rate,
            fail_rate=args.fail_rate,
            latency_ms=max(0, args.latency_ms),
            reset=args.reset,
            community_name=args.name,
            batch_cap=args.batch_cap,
            fault_seed=args.fault_seed,
            exit_with_parent=args.exit_with_parent,
        )
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m desktop.sandbox", description="Run the BadgeDesk sandbox."
    )
    add_sandbox_arguments(parser)
    return sandbox_main(parser.parse_args(argv))
