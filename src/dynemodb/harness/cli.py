"""`python -m dynemodb.harness`: the plan stage from the command line.

check            plan every scenario and invalid input, print each mismatch (exit 1 on any)
regen NAME...    rewrite tests/unit/scenarios/NAME.yaml from a fresh plan (--all for every scenario)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dynemodb.harness.errors import HarnessError, run_command
from dynemodb.harness.lint import fmt_problems, validate_problems
from dynemodb.harness.module_docs import readme_with_tables, render_tables
from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.plan_stage import run_plan_stage
from dynemodb.harness.regen import expected_document, write_expected
from dynemodb.harness.scenarios import load_invalid_inputs, load_scenarios
from dynemodb.harness.terraform import toolchain


def _check() -> int:
    scenarios, invalid = load_scenarios(), load_invalid_inputs()
    with toolchain() as tc:
        stage = run_plan_stage(tc, scenarios, invalid)
    problems = [line for s in scenarios for line in stage.scenario_mismatches(s)]
    for case in invalid:
        messages = stage.rejections.get(case.name, [])
        if not any(case.error in m for m in messages):
            got = messages or "a clean plan"
            problems.append(f"invalid_inputs.yaml: {case.name}: expected an error containing {case.error!r}, got {got}")
    for line in problems:
        print(line)
    print(f"{len(scenarios)} scenarios, {len(invalid)} invalid inputs, {len(problems)} problems")
    return 1 if problems else 0


def _regen(names: Sequence[str], everything: bool) -> int:
    scenarios = load_scenarios()
    known = {s.name: s for s in scenarios}
    missing = [n for n in names if n not in known]
    if missing:
        raise HarnessError(f"No scenario named {missing}; known: {', '.join(sorted(known))}.")
    chosen = scenarios if everything else [known[n] for n in names]
    if not chosen:
        raise HarnessError("Name the scenarios to regenerate, or pass --all.")
    with toolchain() as tc:
        stage = run_plan_stage(tc, chosen, [])
    for scenario in chosen:
        write_expected(scenario, expected_document(scenario, *stage.scenario_view(scenario)))
        print(f"wrote {scenario.expected_file}")
    return 0


def _lint_terraform() -> int:
    with toolchain() as tc:
        problems = fmt_problems(tc) + validate_problems(tc)
    for line in problems:
        print(line)
    print(f"terraform lint: {len(problems)} problems")
    return 1 if problems else 0


def _docs() -> int:
    readme = MODULE_DIR / "README.md"
    readme.write_text(readme_with_tables(readme.read_text(), render_tables()))
    print(f"wrote {readme}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dynemodb.harness", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="plan every scenario and invalid input and report mismatches")
    commands.add_parser("docs", help="rewrite the module README's inputs and outputs tables")
    commands.add_parser("lint-terraform", help="terraform fmt -check and validate of module, seed and examples")
    regen = commands.add_parser("regen", help="rewrite expected files from a fresh plan")
    regen.add_argument("names", nargs="*", help="scenario names (file stems in tests/unit/scenarios)")
    regen.add_argument("--all", action="store_true", help="every scenario")
    args = parser.parse_args(argv)
    actions = {"check": _check, "docs": _docs, "lint-terraform": _lint_terraform}
    return run_command(actions.get(args.command, lambda: _regen(args.names, args.all)))


if __name__ == "__main__":
    sys.exit(main())
