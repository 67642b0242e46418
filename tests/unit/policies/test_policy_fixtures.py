"""Each policy fixture, run through Checkov's own runners on its HCL and on its plan JSON, yields the verdict its
name says for its check (pass_, fail_, undecided_), and exactly the passed and failed resources its
expected.yaml lists, where it has one (policy_support.py says how to write it). In plan mode that is the gate's
verdict: the plan's, or for what the plan knows only after apply (listed under plan_undecided) the HCL scan's
verdict on the same declaration."""

from __future__ import annotations

import pytest
from policy_support import CUSTOM_IDS, VERDICTS, PolicyRuns, expected_for, fixture_labels, unplannable, verdict

FIXTURES = fixture_labels()
CASES = [
    (label, mode) for label in FIXTURES for mode in ("hcl", "plan") if not (mode == "plan" and label in unplannable())
]


def test_fixtures_are_named_after_a_check_and_a_verdict() -> None:
    assert FIXTURES, "no policy fixtures found"
    assert {label.split("/")[0] for label in FIXTURES} <= set(CUSTOM_IDS), "a fixture directory names no check"
    unnamed = [label for label in FIXTURES if verdict(label) not in VERDICTS]
    assert not unnamed, f"name these fixtures pass_*, fail_* or undecided_*: {unnamed}"


def test_each_custom_check_has_passing_and_failing_fixtures() -> None:
    for check_id in CUSTOM_IDS:
        mine = [verdict(label) for label in FIXTURES if label.split("/")[0] == check_id]
        assert "pass" in mine and "fail" in mine, f"{check_id} needs a pass_ and a fail_ fixture"


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label}-{mode}" for label, mode in CASES])
def test_fixture_outcome(policy_runs: PolicyRuns, label: str, mode: str) -> None:
    check_id = label.split("/")[0]
    got = policy_runs.results(f"fixture:{label}", mode, check_id)
    # A fail_ fixture may be undecided in one mode (test_fail_fixtures_fail_in_at_least_one_mode), never passed.
    named = {
        "pass": got["passed"] and not got["failed"],
        "fail": got["failed"] or not got["passed"],
        "undecided": not got["passed"] and not got["failed"],
    }
    problems = [] if named[verdict(label)] else [f"not {verdict(label)}: {got}"]
    want = expected_for(label, mode)
    keys = [k for k in ("passed", "failed", "plan_undecided") if want and (mode == "plan" or k != "plan_undecided")]
    problems += [f"{k}: got {sorted(got[k])}, expected {sorted(want[k])}" for k in keys if got[k] != want[k]]
    if got["skipped"]:
        problems.append(f"skipped: {sorted(got['skipped'])} (fixtures carry no suppressions)")
    assert not problems, f"{label} ({mode}, {check_id}):\n" + "\n".join(problems)


@pytest.mark.parametrize("label", [x for x in FIXTURES if "/undecided_" in x and x not in unplannable()])
def test_undecided_fixture_fails_the_gate_as_unjudged(policy_runs: PolicyRuns, label: str) -> None:
    check_id = label.split("/")[0]
    problems = policy_runs.gate_problems[f"fixture:{label}"]
    assert any(p.startswith(f"{check_id} did not judge") for p in problems), f"{label}: the gate let it through"


@pytest.mark.parametrize("label", sorted(unplannable()))
def test_unplannable_fixture_says_why(label: str) -> None:
    reason = expected_for(label, "plan")["unplannable"]
    assert isinstance(reason, str) and len(reason) > 20, f"{label}: say why Terraform refuses to plan it"


def test_fail_fixtures_fail_in_at_least_one_mode(policy_runs: PolicyRuns) -> None:
    # A fail_ fixture that no scan fails would prove nothing about its check.
    for label in (x for x in FIXTURES if verdict(x) == "fail"):
        modes = ["hcl"] + ([] if label in unplannable() else ["plan"])
        failed = [m for m in modes if policy_runs.results(f"fixture:{label}", m, label.split("/")[0])["failed"]]
        assert failed, f"{label}: no scan fails it"


@pytest.mark.parametrize("mode", ["hcl", "plan"])
def test_every_custom_check_is_loaded_and_runs(policy_runs: PolicyRuns, mode: str) -> None:
    # Checkov drops a check it cannot load without a word; a dropped check leaves no result anywhere.
    scan = policy_runs.hcl_fixtures if mode == "hcl" else policy_runs.plan
    ran = {f.check_id for f in scan.findings}
    assert CUSTOM_IDS, "policies/ declares no CKV_MC check"
    missing = [check_id for check_id in CUSTOM_IDS if check_id not in ran]
    assert not missing, f"{mode}: no result from {missing}: Checkov did not load or run them"
