"""Helpers of the policy tests: each fixture's expectation, and PolicyRuns, which splits the batched Checkov
results back per fixture and per mutant and judges each plan share as the gate does.

A fixture is a directory fixtures/CKV_MC_<n>/<verdict>_<what>/ holding a root configuration. Its name says the
verdict of its check in both scan modes: pass_ (the check judges something and passes all of it), fail_ (it fails
something) or undecided_ (it judges nothing, and the gate fails the plan as unjudged). An expected.yaml beside it
makes that exact, relative to the fixture's root:

  passed / failed       the addresses that pass and that fail, the same in both scan modes
  hcl: / plan:          per-mode sets where the modes differ, with the reason in a comment
  plan: {unplannable: <why>}   Terraform itself refuses to plan the fixture; only the HCL scan judges it
  plan_undecided        addresses the plan scan cannot decide (a value known only after apply, such as a
                        jsonencode() policy naming the table ARN): the gate takes the HCL scan's verdict on the
                        same declaration, and passed/failed in plan mode are that verdict

Two differences between the modes recur, both from how the configurations reach Checkov:
- A module resource with `count` Checkov cannot evaluate (the ledger module's table is `this` or `autoscaled`
  depending on its inputs) appears in HCL once per declaration, without an index; the plan has the one that
  exists, with its index.
- An aws_iam_policy_document whose values are all known at plan time is read during the plan and is not a
  planned resource: the plan scan judges it only where it is used (the role or policy that embeds its JSON).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from dynemodb.harness.policy import scan as scanning
from dynemodb.harness.policy.gate import FROM_HCL, Target, judge_plan
from dynemodb.harness.policy.scan import Finding, Scan, custom_checks

HERE = Path(__file__).parent
FIXTURES_DIR = HERE / "fixtures"
CHECKS = custom_checks()
CUSTOM_IDS = list(CHECKS)
VERDICTS = ("pass", "fail", "undecided")


@functools.cache
def fixture_labels() -> tuple[str, ...]:
    roots = {p.parent for name in ("main.tf", "main.tf.json") for p in FIXTURES_DIR.glob(f"*/*/{name}")}
    return tuple(sorted(str(p.relative_to(FIXTURES_DIR)) for p in roots))


def verdict(label: str) -> str:
    """What the fixture's name says: pass, fail or undecided."""
    return label.split("/")[1].split("_", 1)[0]


def expected_for(label: str, mode: str) -> dict[str, Any]:
    """{"passed", "failed", "plan_undecided": sets}, {"unplannable": reason}, or {} (no expected.yaml)."""
    file = FIXTURES_DIR / label / "expected.yaml"
    entry: dict[str, Any] = (yaml.safe_load(file.read_text()) or {}) if file.is_file() else {}
    spec = entry.get(mode, entry)
    if not entry or "unplannable" in spec:
        return {"unplannable": spec["unplannable"]} if entry else {}
    return {k: set(spec.get(k) or entry.get(k) or []) for k in ("passed", "failed", "plan_undecided")}


@functools.cache
def unplannable() -> frozenset[str]:
    return frozenset(label for label in fixture_labels() if "unplannable" in expected_for(label, "plan"))


def normalise(address: str) -> str:
    """HCL reports data sources without their `data.` prefix; the plan with it."""
    return (
        re.sub(r"(^|\.)(?<!data\.)(aws_iam_policy_document\.)", r"\1data.\2", address)
        if "data.aws_iam_policy_document." not in address
        else address
    )


def run_json(root: Path, log_file: Path) -> Scan:
    """Checkov's scan of the Terraform JSON (`*.tf.json`) under ``root``: its own runner, which the gate's HCL
    scan (Checkov's Terraform runner) leaves them to. That runner names a resource `resource.<name>`; the
    findings name it by its address, as the HCL scan does."""
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform_json.parser import parse as parse_json
    from checkov.terraform_json.runner import TerraformJsonRunner

    runner_filter = RunnerFilter(framework=["terraform_json"], checks=CUSTOM_IDS, show_progress_bar=False)
    with scanning._LOCK, scanning.offline_and_quiet(log_file), scanning.cyclic_gc_paused():
        report = TerraformJsonRunner().run(
            root_folder=str(root), external_checks_dir=[str(scanning.POLICIES_DIR)], runner_filter=runner_filter
        )
    found = Scan()
    for record in report.failed_checks + report.passed_checks + report.skipped_checks:
        finding = scanning._finding(record, root)
        kind, name = finding.resource.split(".", 1)
        blocks = parse_json(Path(finding.file))[0][kind]
        (rtype,) = [
            t
            for block in blocks
            for t, named in block.items()
            if named.get(name, {}).get("__startline__") == finding.lines[0]
        ]
        found.findings.append(replace(finding, resource=f"{'data.' if kind == 'data' else ''}{rtype}.{name}"))
    found.parsing_errors = [str(p) for p in report.parsing_errors]
    return found


@dataclass
class PolicyRuns:
    hcl_fixtures: Scan
    hcl_mutants: Scan
    plan: Scan
    plan_file: Path
    mutant_roots: Path
    instances: dict[str, str]  # plan module instance -> "fixture:<label>" / "mutant:<name>"
    by_owner: dict[tuple[str, str], list[tuple[str, Finding]]] = field(default_factory=dict)
    gate_problems: dict[str, list[str]] = field(default_factory=dict)  # owner -> what the gate fails in its plan

    def __post_init__(self) -> None:
        grouped: dict[tuple[str, str], list[tuple[str, Finding]]] = defaultdict(list)
        for scan, base, kind in (
            (self.hcl_fixtures, FIXTURES_DIR, "fixture"),
            (self.hcl_mutants, self.mutant_roots, "mutant"),
        ):
            for finding in scan.findings:
                owner = os.path.relpath(finding.caller_file or finding.file, base)  # fixtures: CHECK/name/...
                name = "/".join(owner.split(os.sep)[: 2 if kind == "fixture" else 1])
                if not owner.startswith(".."):
                    grouped[(f"{kind}:{name}", "hcl")].append((normalise(finding.resource), finding))
        plan = json.loads(self.plan_file.read_text())
        for instance, owner in self.instances.items():
            prefix = f"module.{instance}."
            target = Target(
                owner, "plan", self.plan_file, [f for f in self.plan.findings if f.resource.startswith(prefix)]
            )
            hcl = [f for _, f in grouped.get((owner, "hcl"), [])]
            judge_plan(target, plan, prefix, CHECKS, hcl)
            grouped[(owner, "plan")] = [(f.resource[len(prefix) :], f) for f in target.findings]
            self.gate_problems[owner] = target.problems
        self.by_owner = dict(grouped)

    def results(self, owner: str, mode: str, check_id: str) -> dict[str, set[str]]:
        """For one fixture or mutant: result -> the relative addresses with that result for ``check_id``
        (plan: as the gate judges the plan, "plan_undecided" those whose verdict came from the HCL scan)."""
        found: dict[str, set[str]] = {"passed": set(), "failed": set(), "skipped": set(), "plan_undecided": set()}
        for address, finding in self.by_owner.get((owner, mode), []):
            if finding.check_id == check_id:
                found[finding.result].add(address)
                if any(FROM_HCL in d for d in finding.details):
                    found["plan_undecided"].add(address)
        return found

    def findings(self, owner: str, mode: str) -> list[tuple[str, Finding]]:
        return self.by_owner.get((owner, mode), [])
