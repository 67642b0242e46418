"""`python -m dynemodb.harness.sandbox run|sweep`: the integration flow on a real AWS sandbox account.

run     apply, verify, check permissions (IAM policy simulator), re-plan, destroy every example, then delete
        by tag anything Terraform lost track of; destroy runs however the run ends (error, SIGINT, SIGTERM)
sweep   delete what sandbox runs tagged more than --older-than-hours ago (default 6), or with --run-id
        everything one run tagged (CI's always-run destroy step, for a run killed before its cleanup)

Both use the standard AWS credential chain and refuse to run unless the caller's account id is listed in
SANDBOX_ACCOUNT_IDS. Exit status: 0 ok, 1 problems, 2 no credentials or could not run, 3 refused by the
allow-list, 128+N stopped by signal N (after cleaning up).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import boto3

from dynemodb.harness.arguments import Parser, positive_hours
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.control import RunControl
from dynemodb.harness.integration.deployment import checked_run_id
from dynemodb.harness.integration.expected import EXAMPLES
from dynemodb.harness.integration.run import run
from dynemodb.harness.integration.target import SandboxTarget
from dynemodb.harness.paths import WORK_DIR
from dynemodb.harness.sandbox import guard
from dynemodb.harness.sandbox.sweep import DEFAULT_HOURS, sweep
from dynemodb.harness.terraform import toolchain

PROG = "python -m dynemodb.harness.sandbox"
EXIT_PROBLEMS, EXIT_CANNOT_RUN, EXIT_REFUSED = 1, 2, 3


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _run_id(text: str) -> str:
    try:
        return checked_run_id(text)
    except HarnessError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = Parser(prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="apply, verify and destroy every example in the sandbox account")
    run.add_argument("--example", action="append", choices=sorted(EXAMPLES), help="default: every example")
    run.add_argument("--workdir", type=Path, default=WORK_DIR / "sandbox", help="staged roots and logs")
    run.add_argument("--report", type=Path, help="write the run report (JSON) here")
    run.add_argument("--summary", type=Path, help="write the one-line-per-problem summary (Markdown) here")
    run.add_argument("--run-id", type=_run_id, help="use this run id (CI: to sweep this run by it later)")
    clean = commands.add_parser("sweep", help="delete what sandbox runs tagged and left behind")
    clean.add_argument(
        "--older-than-hours",
        type=positive_hours,
        default=DEFAULT_HOURS,
        help=f"a positive number of hours (default {DEFAULT_HOURS:g})",
    )
    clean.add_argument("--run-id", type=_run_id, help="delete everything this run tagged, whatever its age")
    clean.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
    return parser


def _run(args: argparse.Namespace, session: boto3.Session, account: str) -> int:
    control = RunControl()
    target = SandboxTarget(session, account)
    _log(f"sandbox account {account}, region {target.region}")
    with control.handling_signals(), toolchain() as tc:
        report = run(tc, target, args.example or list(EXAMPLES), args.workdir, control, _log, args.run_id)
    if args.report:
        report.write(args.report)
    if args.summary:
        args.summary.parent.mkdir(parents=True, exist_ok=True)
        args.summary.write_text("".join(f"- {line}\n" for line in report.summary().splitlines()))
    print(report.summary(), flush=True)
    return control.exit_code() or (0 if report.ok else EXIT_PROBLEMS)


def _sweep(args: argparse.Namespace, session: boto3.Session, account: str) -> int:
    target = SandboxTarget(session, account)
    result = sweep(target.client, args.older_than_hours, run_id=args.run_id, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for item in result.found:
        print(f"{verb}: {item}")
    for line in result.failures:
        print(f"failed: {line}")
    print(f"sweep of account {account} ({target.region}): {len(result.found)} found, {len(result.failures)} failed")
    return EXIT_PROBLEMS if result.failures else 0


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    args = build_parser(prog).parse_args(argv)
    try:
        session = boto3.Session()
        account = guard.check(session)
        return _run(args, session, account) if args.command == "run" else _sweep(args, session, account)
    except guard.SandboxRefused as exc:
        print(f"{prog} {args.command}: refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except guard.NoCredentials as exc:
        print(f"{prog} {args.command}: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except HarnessError as exc:
        print(f"{prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
