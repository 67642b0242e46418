"""The policy gate: every custom and built-in check over the module, the seed and every example (HCL) and over
every plan scenario (plan JSON), judged against what each target declares it knowingly fails.

A target passes when the checks that fail on it are exactly the ones it declares (with a reason) and every
resource the custom checks cover was judged. The plan decides; what it knows only after apply (a policy built
by jsonencode() around the table ARN) takes the HCL scan's verdict on the same declaration of the same root,
and what neither decides fails the gate. So do a run that judged nothing, a custom check that never ran, a
stale declaration, and a suppression without a reason.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import hcl2

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR, POLICIES_DIR, REPO_ROOT, WORK_DIR
from dynemodb.harness.policy.config import Skip, load_skips
from dynemodb.harness.policy.scan import Finding, Scan, custom_checks, declaration, run_checkov
from dynemodb.harness.scenarios import Scenario, load_scenarios

NO_REASON = {"", "no comment provided"}
FROM_HCL = "decided by the HCL scan: the plan knows the value only after apply"
MUTATION_FILE = REPO_ROOT / "reports" / "policy-mutation.json"  # written by tests/unit/policies
MODULE_DEFAULTS_FAIL = {  # what the module scanned on its own (every input at its default) knowingly fails
    "CKV_MC_1": "enable_ttl defaults to false (the seed's behaviour); every example and scenario sets it, and "
    "the plan scan judges each of them with its inputs",
    "CKV_MC_2": "the module has no tags of its own (tags defaults to {}); callers pass Environment and Project",
}


@dataclass
class Target:
    """One thing the gate judges: an HCL directory, or one scenario's share of the plan."""

    name: str  # "hcl module/dynemoDB", "plan seed"
    mode: str
    path: Path  # the directory (the repo root for the seed), or the scenario's expectation file
    findings: list[Finding] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)  # check id -> why it knowingly fails here
    problems: list[str] = field(default_factory=list)
    undecided: list[tuple[str, str]] = field(default_factory=list)  # HCL: (check id, table) left to the plan
    declared: dict[str, str] = field(default_factory=dict)  # HCL: declaration -> its file (judged or not)

    def results(self, result: str) -> list[Finding]:
        return [f for f in self.findings if f.result == result]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.results("failed") if f.check_id not in self.expected]

    @property
    def ok(self) -> bool:
        return not self.violations and not self.problems


@dataclass
class GateResult:
    targets: list[Target]
    skips: list[Skip]
    problems: list[str]  # gate-wide: a custom check that never ran
    wall_time: float = 0.0
    mutation: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and all(t.ok for t in self.targets)


def scenario_policy(scenario: Scenario) -> dict[str, str]:
    """The checks a scenario knowingly fails (its `policy: failed:`), each with its reason."""
    section = scenario.expected().get("policy") or {"failed": {}}
    failed = section.get("failed") or {} if isinstance(section, dict) and set(section) <= {"failed"} else None
    if not isinstance(failed, dict):
        raise HarnessError(f"{scenario.expected_file}: write `policy: failed: {{CHECK_ID: why it fails here}}`.")
    missing = [str(check) for check, why in failed.items() if not str(why or "").strip()]
    if missing:
        raise HarnessError(f"{scenario.expected_file}: give the reason {', '.join(missing)} is expected to fail.")
    return {str(check): str(why).strip() for check, why in failed.items()}


def planned(plan: dict[str, Any], prefix: str) -> dict[str, str]:
    """Resources and data sources the plan creates under ``prefix``: address -> type (data sources: data.T)."""
    deleted = {c["address"] for c in plan.get("resource_changes", []) if c["change"]["actions"] == ["delete"]}
    found: dict[str, str] = {}
    modules = [plan.get("planned_values", {}).get("root_module", {})]
    while modules:
        module = modules.pop()
        modules += module.get("child_modules", [])
        for r in module.get("resources", []):
            if r["address"].startswith(prefix) and r["address"] not in deleted:
                found[r["address"]] = ("data." if r.get("mode") == "data" else "") + r["type"]
    return found


def judge_plan(
    target: Target,
    plan: dict[str, Any],
    prefix: str,
    checks: dict[str, Any],
    hcl: Sequence[Finding],
    decide: bool = True,
    declared: dict[str, str] | None = None,
) -> None:
    """A scenario's plan findings with what the HCL scan of its root says of the same declaration: where it is
    written and its `#checkov:skip` comments (plan JSON carries neither), and, with ``decide``, its worst verdict
    on what the plan scan left undecided. A planned resource a custom check covers that neither judged fails.
    ``declared``: the file of each declaration of the root, for those the HCL scan judged nothing on."""
    same: dict[tuple[str, str], list[Finding]] = {}
    for f in hcl:
        for key in ((declaration(f.resource), f.check_id), (declaration(f.resource), "")):
            same.setdefault(key, []).append(f)

    def of(address: str, check_id: str) -> list[Finding]:
        return same.get((declaration(address.removeprefix(prefix)), check_id), [])

    for i, f in enumerate(target.findings):
        file = (declared or {}).get(declaration(f.resource.removeprefix(prefix)))
        if where := (of(f.resource, f.check_id) or of(f.resource, ""))[:1]:
            f = replace(f, file=where[0].file, lines=where[0].lines)
        elif file:
            f = replace(f, file=file, lines=(_line(file, f.resource),) * 2)
        skip = next((h for h in of(f.resource, f.check_id) if h.result == "skipped" and f.result == "failed"), None)
        target.findings[i] = replace(f, result="skipped", suppress_comment=skip.suppress_comment) if skip else f
    judged = {(f.resource, f.check_id) for f in target.findings}
    for address, rtype in sorted(planned(plan, prefix).items()):
        for check_id in (c for c, check in checks.items() if rtype in check.resources and (address, c) not in judged):
            verdicts = of(address, check_id) if decide else []
            if verdicts:
                chosen = min(verdicts, key=lambda f: ("failed", "skipped", "passed").index(f.result))
                details = (*chosen.details, FROM_HCL)
                target.findings.append(replace(chosen, resource=address, details=details))
            else:
                target.problems.append(f"{check_id} did not judge {address}: the gate cannot tell whether it complies")


def _line(file: str, address: str) -> int:
    """The line of a resource's block in its file, from Checkov's HCL parser (1 when it is not found)."""
    rtype, name = re.sub(r"\[[^\]]*\]$", "", address).split(".")[-2:]
    with open(file, encoding="utf-8") as handle:
        blocks = hcl2.load(handle).get("resource", [])
    return next((int(b[rtype][name]["__start_line__"]) for b in blocks if name in b.get(rtype, {})), 1)


def judge_common(target: Target) -> None:
    if not target.findings:
        target.problems.append("no check judged anything here: the scan found nothing it should have scanned")
    failed = {f.check_id for f in target.results("failed")}
    target.problems += [
        f"{check_id} is declared as knowingly failing ({why}) but did not fail: remove the declaration"
        for check_id, why in sorted(target.expected.items())
        if check_id not in failed
    ]
    target.problems += [
        f"{f.check_id} is suppressed on {f.resource} without a reason: write #checkov:skip={f.check_id}:<why>"
        for f in target.results("skipped")
        if f.custom and f.suppress_comment.strip().lower() in NO_REASON
    ]


def scan_hcl_targets(skip_ids: Sequence[str], log_file: Path | None, checks: dict[str, Any]) -> list[Target]:
    """The module on its own, the seed usage at the repo root, and every example. A target must show a table;
    the tables a custom check left undecided are listed (the plan decides them)."""
    # The seed is the repo root's own .tf files (main.tf): everything else there is left out of its scan.
    others = [f"^{re.escape(str(p))}$" for p in REPO_ROOT.iterdir() if p.suffix != ".tf"]
    roots = [("module/dynemoDB", MODULE_DIR, []), ("seed", REPO_ROOT, others)]
    roots += [(f"examples/{p.name}", p, []) for p in sorted(EXAMPLES_DIR.iterdir()) if p.is_dir()]
    targets = []
    for name, path, excluded in roots:
        scan = run_checkov("hcl", path, skip_checks=skip_ids, excluded=excluded, log_file=log_file)
        expected = dict(MODULE_DEFAULTS_FAIL) if path == MODULE_DIR else {}
        target = Target(f"hcl {name}", "hcl", path, scan.findings, expected)
        target.problems += [f"Checkov could not parse {p}" for p in scan.parsing_errors]
        judge_common(target)
        target.declared = scan.declared
        tables = sorted({r.split(":", 1)[1] for r in scan.resources if re.search(r":(.*\.)?aws_dynamodb_table\.", r)})
        if not tables:
            target.problems.append("no aws_dynamodb_table was found: the scan did not see the ledger")
        judged = {(f.resource, f.check_id) for f in target.findings}
        table_checks = [c for c, check in checks.items() if "aws_dynamodb_table" in check.resources]
        target.undecided += [(c, t) for t in tables for c in table_checks if (t, c) not in judged]
        targets.append(target)
    return targets


def scan_plan_targets(
    plan_file: Path,
    scenarios: Sequence[Scenario],
    skip_ids: Sequence[str],
    log_file: Path | None,
    checks: dict[str, Any],
    hcl: dict[Path, Target] | None = None,
) -> tuple[list[Target], Scan]:
    """One Checkov run over the combined plan, split into one target per scenario. ``hcl``: the HCL targets
    by configuration directory, whose verdicts decide what the plan cannot."""
    scan = run_checkov("plan", plan_file, skip_checks=skip_ids, log_file=log_file)
    plan = json.loads(plan_file.read_text())
    targets = []
    for scenario in scenarios:
        prefix, hcl_target = f"{scenario.address}.", (hcl or {}).get(scenario.root_dir or MODULE_DIR)
        findings = [f for f in scan.findings if f.resource.startswith(prefix)]
        target = Target(f"plan {scenario.name}", "plan", scenario.expected_file, findings, scenario_policy(scenario))
        # A scenario of module inputs shares the module's source, not the verdicts of its defaults.
        hcl_findings, declared = (hcl_target.findings, hcl_target.declared) if hcl_target else ([], {})
        judge_plan(target, plan, prefix, checks, hcl_findings, bool(scenario.root_dir), declared)
        judge_common(target)
        targets.append(target)
    return targets, scan


def run_gate(reports: Path, plan: bool = True) -> GateResult:
    """Plan every scenario (in the background) while the HCL targets are scanned, then scan the plan."""
    from dynemodb.harness.plan_stage import run_plan_stage
    from dynemodb.harness.terraform import toolchain

    started = time.monotonic()
    skips, checks = load_skips(), custom_checks()
    skip_ids, log_file = [s.check_id for s in skips], reports / "policy-checkov.log"
    log_file.unlink(missing_ok=True)
    scenarios = load_scenarios()
    with toolchain() as tc, ThreadPoolExecutor(max_workers=1) as pool:
        planned_stage = pool.submit(run_plan_stage, tc, scenarios, [], WORK_DIR / "policy" / "plan") if plan else None
        targets = scan_hcl_targets(skip_ids, log_file, checks)
        ran = {
            "HCL scans": {f.check_id for t in targets for f in t.findings}
            | {c for t in targets for c, _ in t.undecided}
        }
        if planned_stage is not None:
            by_root = {t.path: t for t in targets}
            plan_targets, scan = scan_plan_targets(
                planned_stage.result().plan_file, scenarios, skip_ids, log_file, checks, by_root
            )
            targets, ran["plan scan"] = targets + plan_targets, {f.check_id for f in scan.findings}
    problems = [
        f"{c} produced no result in the {w}: Checkov did not load it"
        for w, s in ran.items()
        for c in checks
        if c not in s
    ]
    return GateResult(targets, skips, problems, time.monotonic() - started, mutation_score())


def policy_digest() -> str:
    """What a mutation score was measured on: the checks and the mutants."""
    files = [*sorted(POLICIES_DIR.glob("*.py")), REPO_ROOT / "tests" / "unit" / "policies" / "mutants.py"]
    return hashlib.sha256(b"".join(p.read_bytes() for p in files if p.is_file())).hexdigest()[:16]


def mutation_score() -> dict[str, Any] | None:
    """The last mutation score of tests/unit/policies, marked stale when the checks or mutants changed since."""
    try:
        score = json.loads(MUTATION_FILE.read_text())
    except (OSError, ValueError):
        return None
    return {**score, "stale": score.get("digest") != policy_digest()}
