"""`python -m dynemodb.harness.integration run`: the moto flow from the command line.

Starts its own moto server (or uses --endpoint), applies, verifies, re-plans and destroys every example
(or those named with --example), and prints one line per problem and the wall time. Exit status: 0 all
good, 1 problems found, 2 could not run, 128+N stopped by signal N (after destroying what it applied).
`nox -s integration` runs the same flow through pytest; this entry point is for people and fault tests.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dynemodb.harness.arguments import Parser, answering, endpoint_url
from dynemodb.harness.emulator import Emulator, moto_server
from dynemodb.harness.emulator.faults import parse_delays
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.control import Interrupted, RunControl
from dynemodb.harness.integration.expected import EXAMPLES
from dynemodb.harness.integration.run import run
from dynemodb.harness.integration.target import MotoTarget
from dynemodb.harness.paths import WORK_DIR
from dynemodb.harness.terraform import toolchain

PROG = "python -m dynemodb.harness.integration"


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@contextmanager
def _emulator(endpoint: str | None, delays: dict[str, float], marker: Path | None, workdir: Path) -> Iterator[Emulator]:
    if endpoint:
        # Checked before anything is staged or applied: a dead port would otherwise fail only in apply.
        why = answering(endpoint)
        if why is not None:
            raise HarnessError(f"--endpoint {endpoint}: nothing answers there ({why}); start the server or omit it")
        yield Emulator(endpoint)
        return
    with moto_server(log=workdir / "moto.log", delays=delays, delay_marker=marker) as server:
        _log(f"moto server {server.endpoint} (pid {server.pid})")
        yield server
    _log(f"moto server stopped (pid {server.pid})")


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = Parser(
        prog=prog,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("run", help="apply, verify, re-plan and destroy the examples on moto")
    command.add_argument("--example", action="append", choices=sorted(EXAMPLES), help="default: every example")
    command.add_argument(
        "--endpoint", type=endpoint_url, help="URL of a running moto server to use instead of starting one"
    )
    command.add_argument("--workdir", type=Path, default=WORK_DIR / "integration", help="staged roots and logs")
    command.add_argument("--report", type=Path, help="write the run report (JSON) here")
    command.add_argument("--delay", action="append", default=[], help="OPERATION=SECONDS: answer late (tests)")
    command.add_argument("--delay-marker", type=Path, help="file the server notes delayed calls in (tests)")
    return parser


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    args = build_parser(prog).parse_args(argv)
    control = RunControl()
    examples = args.example or list(EXAMPLES)
    try:
        delays = parse_delays(args.delay)
        with (
            control.handling_signals(),
            toolchain() as tc,
            _emulator(args.endpoint, delays, args.delay_marker, args.workdir) as emulator,
        ):
            report = run(tc, MotoTarget(emulator), examples, args.workdir / "runs", control, log=_log)
    except (HarnessError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return control.exit_code() or 2
    except (Interrupted, KeyboardInterrupt):
        # Before the run began (moto starting) or after it ended: nothing of the run's is left to destroy.
        print("interrupted", file=sys.stderr)
        return control.exit_code() or 130
    if args.report:
        report.write(args.report)
    print(report.summary(), flush=True)
    return control.exit_code() or (0 if report.ok else 1)
