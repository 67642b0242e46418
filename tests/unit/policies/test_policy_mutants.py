"""Mutation test: one violation seeded at a time into copies of the seed and the examples; the expected check
must fail on each mutant, in the HCL scan and as the gate judges the plan (see mutants.py for the documented
exceptions). The unmutated copies (controls) must pass every custom check, or a kill would prove nothing. The
score goes to reports/policy-mutation.json, which the gate reports in its summary and SARIF."""

from __future__ import annotations

import json

import pytest
from mutants import CONTROLS, MUTANTS, Mutant
from policy_support import PolicyRuns

from dynemodb.harness import run_summary
from dynemodb.harness.policy.gate import MUTATION_FILE, policy_digest

MODES = ("hcl", "plan")


def _killed(runs: PolicyRuns, mutant: Mutant, mode: str) -> bool:
    return bool(runs.results(f"mutant:{mutant.name}", mode, mutant.check)["failed"])


def _describe(runs: PolicyRuns, owner: str, mode: str) -> str:
    lines = [
        f"  {f.check_id} {f.result} {address} {'; '.join(f.details)}"
        for address, f in sorted(runs.findings(owner, mode), key=lambda x: (x[1].check_id, x[0]))
        if f.result != "passed"
    ]
    return "\n".join(lines) or "  (no failure at all)"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("base", CONTROLS)
def test_control_passes_every_custom_check(policy_runs: PolicyRuns, base: str, mode: str) -> None:
    owner = f"mutant:control_{base}"
    findings = policy_runs.findings(owner, mode)
    assert findings, f"control {base} ({mode}): nothing was scanned"
    failed = [f for _, f in findings if f.result == "failed"]
    assert not failed, f"control {base} ({mode}) fails:\n{_describe(policy_runs, owner, mode)}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_is_killed(policy_runs: PolicyRuns, mutant: Mutant, mode: str) -> None:
    owner = f"mutant:{mutant.name}"
    assert policy_runs.findings(owner, mode), f"{mutant.name} ({mode}): nothing was scanned"
    if mode == "hcl" and mutant.hcl == "undecided":
        # The violation is in values Checkov cannot evaluate: the check must say nothing, never "passed".
        results = policy_runs.results(owner, mode, mutant.check)
        tables = {a for a in results["passed"] | results["failed"] if ".aws_dynamodb_table." in f".{a}"}
        assert not tables, f"{mutant.name}: expected {mutant.check} to leave the tables undecided in HCL, got {results}"
        return
    assert _killed(policy_runs, mutant, mode), (
        f"{mutant.name} survived in the {mode} scan: {mutant.check} did not fail. Results:\n"
        + _describe(policy_runs, owner, mode)
    )


def test_mutation_score(policy_runs: PolicyRuns, request: pytest.FixtureRequest) -> None:
    lines = []
    for mode in MODES:
        killed = [m.name for m in MUTANTS if _killed(policy_runs, m, mode)]
        survived = [m.name for m in MUTANTS if m.name not in killed]
        lines.append(
            f"{mode}: {len(killed)}/{len(MUTANTS)} mutants killed"
            + (f" (not killed: {', '.join(survived)})" if survived else "")
        )
    run_summary.add(request.config, "policy mutation score", lines)
    plan_killed = sum(_killed(policy_runs, m, "plan") for m in MUTANTS)
    hcl_expected = sum(m.hcl == "killed" for m in MUTANTS)
    hcl_killed = sum(_killed(policy_runs, m, "hcl") for m in MUTANTS)
    score = {
        "modes": {
            "hcl": {"killed": hcl_killed, "total": len(MUTANTS), "undecided_by_design": len(MUTANTS) - hcl_expected},
            "plan": {"killed": plan_killed, "total": len(MUTANTS)},
        },
        "survivors": {mode: [m.name for m in MUTANTS if not _killed(policy_runs, m, mode)] for mode in MODES},
        "digest": policy_digest(),
    }
    MUTATION_FILE.parent.mkdir(parents=True, exist_ok=True)
    MUTATION_FILE.write_text(json.dumps(score, indent=2) + "\n")
    assert plan_killed == len(MUTANTS), lines
    assert hcl_killed == hcl_expected, lines
    assert {m.check for m in MUTANTS} >= {"CKV_MC_1", "CKV_MC_2", "CKV_MC_3", "CKV_MC_4", "CKV_MC_5", "CKV_MC_6"}
