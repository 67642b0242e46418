"""`dynemodb-harness`: every harness command behind one entry point (`python -m dynemodb.harness` is the
same; `python -m dynemodb.harness.policy`, `.integration` and `.sandbox` remain as aliases).

check            plan every scenario and invalid input, print each mismatch (exit 1 on any)
regen NAME...    print a starting point for tests/unit/scenarios/NAME.yaml from a fresh plan, without what the
                 invariants check everywhere (--write to write it, --all for every scenario)
docs             rewrite the module README's inputs and outputs tables
lint-terraform   terraform fmt -check and validate of the module, the seed and every example
policy ...       the policy gate (`dynemodb-harness policy gate`)
integration ...  apply, verify, re-plan and destroy every example on a moto server (`integration run`)
sandbox ...      the same in an allow-listed AWS sandbox account (`sandbox run`, `sandbox sweep`)
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from dynemodb.harness.arguments import Parser
from dynemodb.harness.errors import HarnessError, run_command
from dynemodb.harness.lint import fmt_problems, validate_problems
from dynemodb.harness.module_docs import readme_with_tables, render_tables
from dynemodb.harness.paths import MODULE_DIR, SCENARIOS_DIR
from dynemodb.harness.plan_stage import run_plan_stage
from dynemodb.harness.regen import CUT_FURTHER, expected_document, render_expected
from dynemodb.harness.scenarios import Scenario, load_invalid_inputs, load_scenarios
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


def _regen(names: Sequence[str], everything: bool, write: bool) -> int:
    scenarios = load_scenarios()
    known = {s.name: s for s in scenarios}
    for name in names:
        tfvars = SCENARIOS_DIR / f"{name}.tfvars"
        if name not in known and tfvars.is_file():  # a new scenario: its inputs, no expected file yet
            known[name] = Scenario(name, tfvars.with_suffix(".yaml"), tfvars_file=tfvars)
    missing = [n for n in names if n not in known]
    if missing:
        raise HarnessError(f"No scenario named {missing}; known: {', '.join(sorted(known))}.")
    chosen = scenarios if everything else [known[n] for n in names]
    if not chosen:
        raise HarnessError("Name the scenarios to regenerate, or pass --all.")
    with toolchain() as tc:
        stage = run_plan_stage(tc, chosen, [])
    for scenario in chosen:
        text = render_expected(scenario, expected_document(scenario, *stage.scenario_view(scenario)))
        if write:
            scenario.expected_file.write_text(text)
            print(f"wrote {scenario.expected_file}")
        else:
            print(text)
    print(CUT_FURTHER, file=sys.stderr)
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


# Subcommands whose own command lines live with their stage; `dynemodb-harness NAME ...` hands them the rest.
DELEGATED = {
    "policy": ("dynemodb.harness.policy.cli", "the policy gate: gate [--reports DIR] [--no-plan]"),
    "integration": ("dynemodb.harness.integration.cli", "apply, verify and destroy the examples on moto: run ..."),
    "sandbox": ("dynemodb.harness.sandbox.cli", "the same in an allow-listed AWS sandbox account: run | sweep ..."),
}
PROG = "dynemodb-harness"


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = Parser(prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("check", help="plan every scenario and invalid input and report mismatches")
    commands.add_parser("docs", help="rewrite the module README's inputs and outputs tables")
    commands.add_parser("lint-terraform", help="terraform fmt -check and validate of module, seed and examples")
    regen = commands.add_parser("regen", help="print a starting point for expected files from a fresh plan")
    regen.add_argument("names", nargs="*", help="scenario names (file stems in tests/unit/scenarios)")
    regen.add_argument("--all", action="store_true", help="every scenario")
    regen.add_argument("--write", action="store_true", help="write NAME.yaml instead of printing it")
    for name, (_, summary) in DELEGATED.items():
        commands.add_parser(name, help=f"{summary} (see {prog} {name} --help)", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in and args_in[0] in DELEGATED:
        stage: Any = importlib.import_module(DELEGATED[args_in[0]][0])
        return int(stage.main(args_in[1:], prog=f"{prog} {args_in[0]}"))
    args = build_parser(prog).parse_args(args_in)
    actions = {"check": _check, "docs": _docs, "lint-terraform": _lint_terraform}
    return run_command(actions.get(args.command, lambda: _regen(args.names, args.all, args.write)))


if __name__ == "__main__":
    sys.exit(main())
