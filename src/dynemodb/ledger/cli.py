"""`python -m dynemodb.ledger report|reopen`: the ingestion audit, and the operator's re-run of a file.

`report` prints the audit for humans (table) and tools (csv, json). `reopen` makes COMPLETED or
FAILED files claimable again, recording who and why. Expected failures (missing table, bad --since, no
credentials, a file a live claim holds) print one line to stderr and exit non-zero: these run in cron
jobs, CI and runbooks, where a traceback buries the one line that matters.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from botocore.exceptions import BotoCoreError, ClientError

from . import validation
from .audit import collect
from .client import default_client
from .errors import LedgerError, ReopenRefused
from .ledger import Ledger
from .render import FORMATS
from .schema import ALL_STATUSES, AUDIT_INDEX_NAME, DEFAULT_HASH_KEY, DEFAULT_TTL_ATTRIBUTE
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
    unknown = [s for s in chosen if s not in ALL_STATUSES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown status {text!r}; choose from {', '.join(ALL_STATUSES)}")
    return chosen


def _ttl_attribute(text: str) -> str | None:
    # The module outputs null for ttl_attribute when TTL is off; on a command line that is "none".
    return None if text.strip().lower() in ("", "none") else text


def _connection_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--table", required=True, help="ledger table name")
    command.add_argument(
        "--ttl-attribute",
        type=_ttl_attribute,
        default=DEFAULT_TTL_ATTRIBUTE,
        help=f"TTL attribute name, or none when the table has TTL off (default {DEFAULT_TTL_ATTRIBUTE})",
    )
    command.add_argument("--region", help="AWS region (default: from the environment)")
    command.add_argument("--endpoint-url", help="DynamoDB endpoint, e.g. a local emulator")


def _default_operator() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Tools for the dynemoDB ingestion ledger.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    report = commands.add_parser(
        "report",
        help="audit: counts by status, failures with errors, claims past their lease",
        description="Counts by status, failures with their errors, and in-progress claims past their lease, "
        "for records changed since --since. Uses the audit index when the table has it, else scans.",
    )
    _connection_options(report)
    report.add_argument("--since", default="24h", help="ISO-8601 time or age like 24h, 7d (default 24h)")
    report.add_argument(
        "--status",
        type=_statuses,
        action="append",
        help=f"limit to these statuses; repeat or comma-separate ({', '.join(ALL_STATUSES)}; default all)",
    )
    report.add_argument("--format", choices=sorted(FORMATS), default="table")
    report.add_argument("--index-name", default=AUDIT_INDEX_NAME, help="audit index name")

    reopen = commands.add_parser(
        "reopen",
        help="let COMPLETED files be loaded again, or FAILED ones be retried past max attempts",
        description="Mark each file REOPENED: claimable again, its attempts counted from 1, with who, why, "
        "when and its previous status recorded on the record. One conditional write per file, never a delete; "
        "a file a live claim holds is refused.",
    )
    reopen.add_argument("file_ids", nargs="+", metavar="FILE_ID", help="ledger id of a file, e.g. s3://bucket/key")
    _connection_options(reopen)
    reopen.add_argument("--reason", required=True, help="why it must be loaded again; kept on the record")
    operator = _default_operator()
    reopen.add_argument(
        "--by",
        default=operator,
        required=operator is None,
        help="who reopens it, kept on the record (default: your login name)",
    )
    reopen.add_argument("--hash-key", default=DEFAULT_HASH_KEY, help=f"hash key name (default {DEFAULT_HASH_KEY})")
    return parser


def _client(args: argparse.Namespace, client: Any) -> Any:
    if client is not None:
        return client
    # Standard mode retries throttled requests; the attempt count is left to botocore's default (3) or
    # AWS_MAX_ATTEMPTS, so an unreachable endpoint fails in seconds, not minutes.
    return default_client({"mode": "standard"}, region_name=args.region, endpoint_url=args.endpoint_url)


def _report(args: argparse.Namespace, client: Any, clock: Callable[[], float], out: TextIO, err: TextIO) -> int:
    now = clock()
    since = parse_since(args.since, now)
    statuses = [s for s in ALL_STATUSES if args.status is None or any(s in group for group in args.status)]
    report = collect(
        _client(args, client),
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


def _reopen(args: argparse.Namespace, client: Any, clock: Callable[[], float], out: TextIO, err: TextIO) -> int:
    ledger = Ledger(
        args.table, client=_client(args, client), hash_key=args.hash_key, ttl_attribute=args.ttl_attribute, clock=clock
    )
    refused = 0
    # Every id checked before the first write: a typo in the list must not leave it half reopened.
    file_ids = validation.file_ids(args.file_ids)
    for done, file_id in enumerate(file_ids):
        try:
            record = ledger.reopen(file_id, reason=args.reason, by=args.by)
        except ReopenRefused as exc:
            # One file a live claim holds must not stop the others from being reopened.
            print(f"{PROG} reopen: {exc}", file=err)
            refused += 1
            continue
        except ClientError as exc:
            # AccessDenied, throttling past the retries: say which files the operator still has to reopen.
            error = exc.response.get("Error", {})
            untried = ", ".join(file_ids[done:])
            print(f"{PROG}: error: {error.get('Code')}: {error.get('Message')}; not reopened: {untried}", file=err)
            return EXIT_FAILURE
        attempts = record.get("reopened_attempts") or record.get("completed_attempt")
        print(f"reopened {file_id} (was {record.get('reopened_from')}, {attempts} attempt(s))", file=out)
    return EXIT_FAILURE if refused else 0


COMMANDS = {"report": _report, "reopen": _reopen}


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
        return COMMANDS[args.command](args, client, clock, out, err)
    except ValueError as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_USAGE
    except LedgerError as exc:
        # Table missing or not a ledger, a report that needs a Scan these credentials may not make.
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
