"""One batch of Checkov runs serves every policy test: the fixtures and the mutants are scanned as HCL (one run
each) while Terraform plans all of them as module instances of one combined root (one provider start); then one
plan scan. Results are split back per fixture and per mutant."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from combined import instance_name, plan_combined
from mutants import build_all
from policy_support import CUSTOM_IDS, FIXTURES_DIR, PolicyRuns, fixture_labels, run_json, unplannable

from dynemodb.harness.policy.scan import run_checkov
from dynemodb.harness.terraform import toolchain


@pytest.fixture(scope="session")
def policy_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PolicyRuns]:
    work = tmp_path_factory.mktemp("policy")
    mutants = build_all(work / "mutants")
    skipped = unplannable()
    roots: dict[str, Path] = {}
    instances: dict[str, str] = {}
    for label in fixture_labels():
        if label not in skipped:
            roots[instance_name(label)] = FIXTURES_DIR / label
            instances[instance_name(label)] = f"fixture:{label}"
    for name, root in mutants.items():
        roots[f"mutant_{name}"] = root
        instances[f"mutant_{name}"] = f"mutant:{name}"
    log = work / "checkov.log"
    with toolchain() as tc, ThreadPoolExecutor(max_workers=1) as pool:
        planned = pool.submit(plan_combined, tc, work / "plan", roots)
        hcl_fixtures = run_checkov("hcl", FIXTURES_DIR, checks=CUSTOM_IDS, log_file=log)
        hcl_fixtures.findings += run_json(FIXTURES_DIR, log).findings
        hcl_mutants = run_checkov("hcl", work / "mutants" / "roots", checks=CUSTOM_IDS, log_file=log)
        planned.result()
    plan = run_checkov("plan", work / "plan" / "plan.json", checks=CUSTOM_IDS, log_file=log)
    yield PolicyRuns(
        hcl_fixtures, hcl_mutants, plan, work / "plan" / "plan.json", work / "mutants" / "roots", instances
    )
