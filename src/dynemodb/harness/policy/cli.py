"""`python -m dynemodb.harness.policy`: the pre-merge policy gate.

gate             custom and built-in Checkov checks over the module, the seed, every example (HCL) and every
                 plan scenario (plan JSON); writes reports/policy.sarif, policy-junit.xml, policy-summary.md;
                 exit 1 on any violation or gate problem
index            print the index of the custom checks (id, rule, why, how to fix) from the checks' own metadata
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from dynemodb.harness.arguments import Parser, output_directory
from dynemodb.harness.errors import run_command
from dynemodb.harness.paths import REPO_ROOT


def _gate(reports: Path, plan: bool) -> int:
    from dynemodb.harness.policy.gate import run_gate
    from dynemodb.harness.policy.report import summary_markdown, write_reports

    result = run_gate(reports, plan=plan)
    paths = write_reports(result, reports)
    print(summary_markdown(result))
    print("reports: " + ", ".join(str(p) for p in paths.values()))
    return 0 if result.ok else 1


def index() -> str:
    """The index of the custom checks (Markdown), from the checks' own metadata."""
    from dynemodb.harness.policy.scan import custom_checks

    rows = [f"| {c.id} | {c.rule} | {c.why} | {c.guideline} |" for c in custom_checks().values()]
    return "\n".join(["| Id | Rule | Why | How to fix |", "|---|---|---|---|", *rows])


def main(argv: Sequence[str] | None = None, prog: str = "python -m dynemodb.harness.policy") -> int:
    parser = Parser(
        prog=prog,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    gate = commands.add_parser("gate", help="run the policy gate and write SARIF, JUnit XML and a summary")
    gate.add_argument(
        "--reports", type=output_directory, default=str(REPO_ROOT / "reports"), help="output directory (reports/)"
    )
    gate.add_argument(
        "--no-plan", action="store_true", help="scan the HCL only (quick local feedback; not the pre-merge gate)"
    )
    commands.add_parser("index", help="print the index of the custom checks from their own metadata")
    args = parser.parse_args(argv)
    try:
        if args.command == "index":
            return run_command(lambda: print(index()) or 0)
        return run_command(lambda: _gate(args.reports, plan=not args.no_plan))
    except BrokenPipeError:
        # The reader of our output went away (`... | head`): nothing left to say, and nowhere to say it.
        sys.stderr.close()
        return 1
