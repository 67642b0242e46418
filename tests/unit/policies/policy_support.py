"""Helpers of the policy tests: the fixtures' expectation table, and PolicyRuns, which splits the batched
Checkov results back per fixture and per mutant and judges each plan share as the gate does."""

from __future__ import annotations

import functools
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dynemodb.harness.policy.gate import Target, decide_undecided
from dynemodb.harness.policy.scan import Finding, Scan, custom_checks

HERE = Path(__file__).parent
FIXTURES_DIR = HERE / "fixtures"
EXPECTED_FILE = HERE / "expected.yaml"
CHECKS = custom_checks()
CUSTOM_IDS = list(CHECKS)
FROM_HCL = "decided by the HCL scan"


@functools.cache
def fixture_labels() -> tuple[str, ...]:
    return tuple(sorted(str(p.parent.relative_to(FIXTURES_DIR)) for p in FIXTURES_DIR.glob("*/*/main.tf")))


@functools.cache
def expectations() -> dict[str, Any]:
    return yaml.safe_load(EXPECTED_FILE.read_text()) or {}


def expected_for(label: str, mode: str) -> dict[str, Any]:
    """{"passed", "failed", "plan_undecided": sets}, or {"unplannable": reason}."""
    entry = expectations()[label]
    spec = entry.get(mode, entry)
    if "unplannable" in spec:
        return {"unplannable": spec["unplannable"]}
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
            decide_undecided(target, plan, prefix, CHECKS, hcl)
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
