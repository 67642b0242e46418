"""`python -m dynemodb.ledger report`: the ingestion audit, for humans (table) and tools (csv, json).

Expected failures (missing table, bad --since, no credentials) print one line to stderr and exit
non-zero: the report runs in cron jobs and CI where a traceback buries the one line that matters.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from botocore.exceptions import BotoCoreError, ClientError

from .audit import TableNotFound, collect
from .client import default_client
from .render import FORMATS
from .schema import AUDIT_INDEX_NAME, DEFAULT_TTL_ATTRIBUTE, STATUSES
from .since import parse_since

PROG = "python -m dynemodb.ledger"
EXIT_FAILURE = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage first; one line is easier to read in a job log.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _statuses(text: str) -> list[str]:
    chosen = [s.strip().upper() for s in text.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in STATUSES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown status {text!r}; choose from {', '.join(STATUSES)}")
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Tools for the dynemoDB ingestion ledger.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    report = commands.add_parser(
        "report",
        help="audit: counts by status, failures with errors, claims past their lease",
        description="Counts by status, failures with their errors, and in-progress claims past their lease, "
        "for records changed since --since. Uses the audit index when the table has it, else scans.",
    )
    report.add_argument("--table", required=True, help="ledger table name")
    report.add_argument("--since", default="24h", help="ISO-8601 time or age like 24h, 7d (default 24h)")
    report.add_argument(
        "--status",
        type=_statuses,
        action="append",
        help=f"limit to these statuses; repeat or comma-separate ({', '.join(STATUSES)}; default all)",
    )
    report.add_argument("--format", choices=sorted(FORMATS), default="table")
    report.add_argument("--index-name", default=AUDIT_INDEX_NAME, help="audit index name")
    report.add_argument("--ttl-attribute", default=DEFAULT_TTL_ATTRIBUTE, help="TTL attribute name")
    report.add_argument("--region", help="AWS region (default: from the environment)")
    report.add_argument("--endpoint-url", help="DynamoDB endpoint, e.g. a local emulator")
    return parser


def _report(args: argparse.Namespace, client: Any, clock: Callable[[], float], out: TextIO, err: TextIO) -> int:
    now = clock()
    since = parse_since(args.since, now)
    statuses = [s for s in STATUSES if args.status is None or any(s in group for group in args.status)]
    if client is None:
        # Standard mode retries throttled Query/Scan pages; the attempt count is left to botocore's
        # default (3) or AWS_MAX_ATTEMPTS, so an unreachable endpoint fails in seconds, not minutes.
        client = default_client({"mode": "standard"}, region_name=args.region, endpoint_url=args.endpoint_url)
    report = collect(
        client,
        args.table,
        since=since,
        statuses=statuses,
        index_name=args.index_name,
        ttl_attribute=args.ttl_attribute,
        now=now,
        warn=lambda message: print(f"{PROG} report: {message}", file=err),
    )
    out.write(FORMATS[args.format](report))
    return 0


def main(
    argv: Sequence[str] | None = None,
    *,
    client: Any = None,
    clock: Callable[[], float] = time.time,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the CLI; `client` and `clock` are for tests and embedding."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        return _report(args, client, clock, out, err)
    except ValueError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_USAGE
    except TableNotFound as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_FAILURE
    except ClientError as exc:
        error = exc.response.get("Error", {})
        print(f"{PROG}: error: {error.get('Code', 'ClientError')}: {error.get('Message', exc)}", file=err)
        return EXIT_FAILURE
    except BotoCoreError as exc:
        # No credentials, no region, endpoint unreachable: configuration, not a bug.
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_FAILURE
