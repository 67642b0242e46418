"""Helpers of the policy tests: the fixtures' expectation table, and PolicyRuns, which splits the batched
Checkov results back per fixture and per mutant."""

from __future__ import annotations

import functools
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dynemodb.harness.policy.scan import Finding, Scan, custom_check_ids

HERE = Path(__file__).parent
FIXTURES_DIR = HERE / "fixtures"
EXPECTED_FILE = HERE / "expected.yaml"
CUSTOM_IDS = custom_check_ids()


@functools.cache
def fixture_labels() -> tuple[str, ...]:
    return tuple(sorted(str(p.parent.relative_to(FIXTURES_DIR)) for p in FIXTURES_DIR.glob("*/*/main.tf")))


@functools.cache
def expectations() -> dict[str, Any]:
    return yaml.safe_load(EXPECTED_FILE.read_text()) or {}


def expected_for(label: str, mode: str) -> dict[str, Any]:
    """{"passed": set, "failed": set}, or {"unplannable": reason}."""
    entry = expectations()[label]
    spec = entry.get(mode, entry)
    if "unplannable" in spec:
        return {"unplannable": spec["unplannable"]}
    return {"passed": set(spec.get("passed") or []), "failed": set(spec.get("failed") or [])}


@functools.cache
def unplannable() -> frozenset[str]:
    return frozenset(label for label in fixture_labels() if "unplannable" in expected_for(label, "plan"))


_DATA = re.compile(r"(^|\.)(?<!data\.)(aws_iam_policy_document\.)")


def normalise(address: str) -> str:
    """HCL reports data sources without their `data.` prefix; the plan with it."""
    return _DATA.sub(r"\1data.\2", address) if "data.aws_iam_policy_document." not in address else address


@dataclass
class PolicyRuns:
    hcl_fixtures: Scan
    hcl_mutants: Scan
    plan: Scan
    plan_file: Path
    mutant_roots: Path
    instances: dict[str, str]  # plan module instance -> "fixture:<label>" / "mutant:<name>"
    by_owner: dict[tuple[str, str], list[tuple[str, Finding]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        grouped: dict[tuple[str, str], list[tuple[str, Finding]]] = defaultdict(list)
        for finding in self.hcl_fixtures.findings:
            owner = os.path.relpath(finding.caller_file or finding.file, FIXTURES_DIR)
            if not owner.startswith(".."):
                grouped[(f"fixture:{os.path.dirname(owner)}", "hcl")].append((normalise(finding.resource), finding))
        for finding in self.hcl_mutants.findings:
            owner = os.path.relpath(finding.caller_file or finding.file, self.mutant_roots)
            if not owner.startswith(".."):
                grouped[(f"mutant:{owner.split(os.sep)[0]}", "hcl")].append((normalise(finding.resource), finding))
        for finding in self.plan.findings:
            match = re.match(r"module\.([a-z0-9_]+)\.(.*)$", finding.resource)
            if match and match.group(1) in self.instances:
                grouped[(self.instances[match.group(1)], "plan")].append((match.group(2), finding))
        self.by_owner = dict(grouped)

    def results(self, owner: str, mode: str, check_id: str) -> dict[str, set[str]]:
        """For one fixture or mutant: result -> the relative addresses with that result for ``check_id``."""
        found: dict[str, set[str]] = {"passed": set(), "failed": set(), "skipped": set()}
        for address, finding in self.by_owner.get((owner, mode), []):
            if finding.check_id == check_id:
                found[finding.result].add(address)
        return found

    def findings(self, owner: str, mode: str) -> list[tuple[str, Finding]]:
        return self.by_owner.get((owner, mode), [])
