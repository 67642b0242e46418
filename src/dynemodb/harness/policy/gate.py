"""The policy gate: every custom and built-in check over the module, the seed and every example (HCL) and over
every plan scenario (plan JSON), judged against what each target declares it knowingly fails.

A target passes when the checks that fail on it are exactly the ones it declares (with a reason) and every
resource the custom checks cover was judged. The plan decides; where it cannot (a policy whose JSON is known
only after apply), the HCL scan of the same root decides that declaration, and what neither decides fails
the gate. So do a run that judged nothing, a custom check that never ran, a stale declaration, and a
suppression without a reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR, POLICIES_DIR, REPO_ROOT, WORK_DIR
from dynemodb.harness.policy.config import Skip, load_skips
from dynemodb.harness.policy.scan import Finding, Scan, custom_checks, run_checkov
from dynemodb.harness.scenarios import Scenario, load_scenarios

NO_REASON = {"", "no comment provided"}
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
    path: Path  # the directory, or the scenario's expectation file
    findings: list[Finding] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)  # check id -> why it knowingly fails here
    problems: list[str] = field(default_factory=list)
    undecided: list[tuple[str, str]] = field(default_factory=list)  # HCL: (check id, table) left to the plan

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


def declaration(address: str) -> str:
    """Where a resource is declared, comparable across scan modes: no instance keys, data sources with data."""
    return re.sub(r"(^|\.)(?!data\.)(aws_iam_policy_document\.)", r"\1data.\2", re.sub(r"\[[^\]]*\]", "", address))


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


def decide_undecided(
    target: Target, plan: dict[str, Any], prefix: str, checks: dict[str, Any], hcl: Sequence[Finding]
) -> None:
    """Coverage: every planned resource a custom check covers was judged, in the plan or (for what the plan
    cannot know) by the HCL scan of the same root, whose verdict on that declaration then stands."""
    judged = {(f.resource, f.check_id) for f in target.findings}
    by_declaration: dict[tuple[str, str], list[Finding]] = {}
    for f in hcl:
        by_declaration.setdefault((declaration(f.resource), f.check_id), []).append(f)
    for address, rtype in sorted(planned(plan, prefix).items()):
        for check_id in (c for c, check in checks.items() if rtype in check.resources):
            if (address, check_id) in judged:
                continue
            verdicts = by_declaration.get((declaration(address[len(prefix) :]), check_id), [])
            if verdicts:
                chosen = min(verdicts, key=lambda f: ("failed", "skipped", "passed").index(f.result))
                target.findings.append(
                    replace(
                        chosen,
                        mode="plan",
                        resource=address,
                        details=(*chosen.details, "decided by the HCL scan: the plan knows the value only after apply"),
                    )
                )
            else:
                target.problems.append(f"{check_id} did not judge {address}: the gate cannot tell whether it complies")


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


def judge_hcl_target(target: Target, scan: Scan, checks: dict[str, Any]) -> None:
    """Expectations, plus: the scan saw a table; tables a check left undecided are listed (the plan decides)."""
    judge_common(target)
    tables = sorted({r.split(":", 1)[1] for r in scan.resources if ".aws_dynamodb_table." in f".{r.split(':', 1)[1]}"})
    if not tables:
        target.problems.append("no aws_dynamodb_table was found: the scan did not see the ledger")
    judged = {(f.resource, f.check_id) for f in target.findings}
    target.undecided += [
        (c, t)
        for t in tables
        for c, k in checks.items()
        if "aws_dynamodb_table" in k.resources and (t, c) not in judged
    ]


def stage_seed(dest: Path) -> Path:
    """The repo root's .tf files (the seed usage) on their own, so that scanning them does not scan the whole
    repository. Module sources stay relative (an absolute path reads as a remote source to Checkov)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for tf_file in sorted(REPO_ROOT.glob("*.tf")):
        text = re.sub(
            r'^(\s*source\s*=\s*")(\.{1,2}/[^"]*)(")',
            lambda m: f"{m.group(1)}{os.path.relpath(REPO_ROOT / m.group(2), dest)}{m.group(3)}",
            tf_file.read_text(),
            flags=re.MULTILINE,
        )
        (dest / tf_file.name).write_text(text)
    if not any(dest.glob("*.tf")):
        raise HarnessError(f"{REPO_ROOT} holds no .tf files: the seed usage (main.tf) is missing.")
    return dest


def scan_hcl_targets(skip_ids: Sequence[str], log_file: Path | None, checks: dict[str, Any]) -> list[Target]:
    """The module on its own, the seed usage at the repo root, and every example."""
    roots = [
        ("hcl module/dynemoDB", MODULE_DIR, dict(MODULE_DEFAULTS_FAIL)),
        ("hcl seed", stage_seed(WORK_DIR / "policy" / "seed"), {}),
    ]
    roots += [(f"hcl examples/{p.name}", p, {}) for p in sorted(EXAMPLES_DIR.iterdir()) if p.is_dir()]
    targets = []
    for name, directory, expected in roots:
        scan = run_checkov("hcl", directory, skip_checks=skip_ids, log_file=log_file)
        target = Target(
            name,
            "hcl",
            directory,
            scan.findings,
            expected,
            [f"Checkov could not parse {p}" for p in scan.parsing_errors],
        )
        judge_hcl_target(target, scan, checks)
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
    by directory, whose verdicts decide what the plan cannot."""
    scan = run_checkov("plan", plan_file, skip_checks=skip_ids, log_file=log_file)
    plan = json.loads(plan_file.read_text())
    targets = []
    for scenario in scenarios:
        prefix = f"{scenario.address}."
        root = scenario.root_dir or MODULE_DIR
        findings = apply_source_suppressions([f for f in scan.findings if f.resource.startswith(prefix)], root)
        target = Target(f"plan {scenario.name}", "plan", scenario.expected_file, findings, scenario_policy(scenario))
        judge_common(target)
        hcl_target = (hcl or {}).get(REPO_ROOT if scenario.name == "seed" else root) if scenario.root_dir else None
        decide_undecided(target, plan, prefix, checks, hcl_target.findings if hcl_target else [])
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
        scans_seen = {f.check_id for t in targets for f in t.findings} | {c for t in targets for c, _ in t.undecided}
        problems = [
            f"{c} produced no result in the HCL scans: Checkov did not load it" for c in checks if c not in scans_seen
        ]
        if planned_stage is not None:
            by_dir = {REPO_ROOT if t.name == "hcl seed" else t.path: t for t in targets}
            plan_targets, scan = scan_plan_targets(
                planned_stage.result().plan_file, scenarios, skip_ids, log_file, checks, by_dir
            )
            targets += plan_targets
            seen = {f.check_id for f in scan.findings}
            problems += [
                f"{c} produced no result in the plan scan: Checkov did not load it" for c in checks if c not in seen
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


_SKIP = re.compile(r"#\s*checkov:skip=([A-Za-z0-9_]+)(?::([^\n]*))?")


def _block(text: str, start: int) -> str:
    """The text of the block whose header starts at ``start``, through its closing brace."""
    depth = 0
    for index in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start : index + 1]
    return text[start:]


def locate(finding: Finding, scenario_root: Path | None = None) -> tuple[Path, int, dict[str, str]]:
    """Where a plan finding's resource is written in the scenario's configuration (following local module
    calls), and the `#checkov:skip` comments on its block and on the calls that lead to it."""
    file, line = Path(finding.file), finding.lines[0]
    if WORK_DIR / "policy" / "seed" in file.parents:
        return REPO_ROOT / file.name, line, {}
    if finding.mode == "hcl" or scenario_root is None:
        return file, line, {}
    rel, directory = re.sub(r"^module\.[\w-]+(?:\[[^\]]*\])?\.", "", finding.resource), scenario_root
    skips: dict[str, str] = {}
    while (call := re.match(r"^module\.([\w-]+)(?:\[[^\]]*\])?\.", rel)) is not None:
        header = re.compile(rf'^module\s+"{re.escape(call.group(1))}"\s*{{', re.MULTILINE)
        bodies = [
            _block(t, m.start())
            for t in (p.read_text() for p in sorted(directory.glob("*.tf")))
            if (m := header.search(t))
        ]
        source = re.search(r'^\s*source\s*=\s*"(\.[^"]*)"', bodies[0], re.MULTILINE) if bodies else None
        if source is None:
            return file, 1, skips
        directory, rel = (directory / source.group(1)).resolve(), rel[call.end() :]
        skips.update({m.group(1): (m.group(2) or "").strip() for m in _SKIP.finditer(bodies[0])})
    rtype, _, name = re.sub(r"\[[^\]]*\]$", "", rel.removeprefix("data.")).partition(".")
    pattern = re.compile(rf'^(resource|data) "{re.escape(rtype)}" "{re.escape(name)}"', re.MULTILINE)
    for tf_file in sorted(directory.glob("*.tf")):
        text = tf_file.read_text()
        if match := pattern.search(text):
            skips.update({m.group(1): (m.group(2) or "").strip() for m in _SKIP.finditer(_block(text, match.start()))})
            return tf_file, text.count("\n", 0, match.start()) + 1, skips
    return file, 1, skips


def apply_source_suppressions(findings: list[Finding], scenario_root: Path) -> list[Finding]:
    """Plan JSON carries no comments: a failure whose resource (or a module call leading to it) carries
    `#checkov:skip=<id>:<reason>` in the scenario's configuration becomes a suppressed result, as in HCL."""
    out = []
    for finding in findings:
        skips = locate(finding, scenario_root)[2] if finding.result == "failed" else {}
        if finding.check_id in skips:
            finding = replace(
                finding, result="skipped", suppress_comment=skips[finding.check_id] or "No comment provided"
            )
        out.append(finding)
    return out
