"""The policy gate: every custom and built-in check over the module, the seed, every example (HCL) and every plan
scenario (plan JSON), judged against what each target declares it knowingly fails.

A target passes when the checks that fail on it are exactly the ones it declares (with a reason), and when every
resource it should have judged was judged. A run that judged nothing, a custom check that never ran, a declared
failure that no longer happens, or a suppression without a reason all fail the gate.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR, REPO_ROOT, WORK_DIR
from dynemodb.harness.policy.config import Skip, load_skips
from dynemodb.harness.policy.scan import Finding, Scan, custom_check_ids, run_checkov
from dynemodb.harness.scenarios import Scenario, load_scenarios

TABLE_CHECKS = ("CKV_MC_1", "CKV_MC_2", "CKV_MC_4", "CKV_MC_5", "CKV_MC_6")
IAM_TYPES = (
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_role",
    "aws_dynamodb_resource_policy",
    "aws_iam_policy_document",
)
NO_REASON = {"", "no comment provided"}

# What the module scanned on its own (every input at its default) knowingly fails, and why.
MODULE_DEFAULTS_FAIL = {
    "CKV_MC_1": "enable_ttl defaults to false (the seed's behaviour); every example and scenario sets it, and "
    "the plan scan judges each of them with its inputs",
    "CKV_MC_2": "the module has no tags of its own (tags defaults to {}); callers pass Environment and Project",
}

# How to fix a failing custom check; the check's own details say what exactly is wrong.
FIXES = {
    "CKV_MC_1": 'set enable_ttl = true and ttl_attribute (module), or ttl { enabled = true, attribute_name = "..." }',
    "CKV_MC_2": "set non-empty Environment and Project tags on the table, or in the provider's default_tags",
    "CKV_MC_3": "list the DynamoDB actions, name the table ARN as Resource, name the principals; roles with "
    "table access may trust only glue.amazonaws.com / lambda.amazonaws.com",
    "CKV_MC_4": 'use billing_mode = "PAY_PER_REQUEST", or keep autoscaling enabled (module) / add '
    "aws_appautoscaling_target and _policy for ReadCapacityUnits and WriteCapacityUnits",
    "CKV_MC_5": "set point_in_time_recovery = true (module) or point_in_time_recovery { enabled = true }",
    "CKV_MC_6": "set deletion_protection = true (module) or deletion_protection_enabled = true on production tables",
}


def fix_for(check_id: str, check_name: str) -> str:
    return FIXES.get(check_id, f"make the resource satisfy Checkov's {check_id} ({check_name})")


@dataclass
class Target:
    """One thing the gate judges: an HCL directory, or one scenario's share of the plan."""

    name: str  # "hcl module/dynemoDB", "plan seed"
    mode: str
    path: Path  # the directory, or the scenario's expectation file
    findings: list[Finding] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)  # check id -> why it knowingly fails here
    problems: list[str] = field(default_factory=list)
    undecided: list[tuple[str, str]] = field(default_factory=list)  # (check id, resource) left to the plan

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.result == "failed" and f.check_id not in self.expected]

    @property
    def expected_failures(self) -> list[Finding]:
        return [f for f in self.findings if f.result == "failed" and f.check_id in self.expected]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.result == "skipped"]

    @property
    def ok(self) -> bool:
        return not self.violations and not self.problems


@dataclass
class GateResult:
    targets: list[Target]
    skips: list[Skip]
    problems: list[str]  # gate-wide: a custom check that never ran, a scan that failed
    wall_time: float = 0.0
    plan_file: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and all(t.ok for t in self.targets)

    @property
    def violations(self) -> list[tuple[Target, Finding]]:
        return [(t, f) for t in self.targets for f in t.violations]


# ---------------------------------------------------------------------------------------------------------
# Declared expectations
# ---------------------------------------------------------------------------------------------------------


def scenario_policy(scenario: Scenario) -> dict[str, str]:
    """The checks a scenario knowingly fails (its `policy: failed:`), each with its reason."""
    section = scenario.expected().get("policy") or {}
    if not isinstance(section, dict):
        raise HarnessError(f"{scenario.expected_file}: `policy:` must be a mapping with `failed:`.")
    unknown = set(section) - {"failed"}
    if unknown:
        raise HarnessError(
            f"{scenario.expected_file}: unknown key(s) {sorted(unknown)} under `policy:`; use `failed:`."
        )
    failed = section.get("failed") or {}
    if isinstance(failed, list):
        return {str(check): "declared in the scenario" for check in failed}
    if not isinstance(failed, dict):
        raise HarnessError(f"{scenario.expected_file}: `policy: failed:` maps check ids to the reason they fail.")
    missing = [str(check) for check, why in failed.items() if not str(why or "").strip()]
    if missing:
        raise HarnessError(f"{scenario.expected_file}: give the reason {', '.join(missing)} is expected to fail.")
    return {str(check): str(why).strip() for check, why in failed.items()}


# ---------------------------------------------------------------------------------------------------------
# Judging targets
# ---------------------------------------------------------------------------------------------------------


def _judge_common(target: Target) -> None:
    if not target.findings:
        target.problems.append("no check judged anything here: the scan found nothing it should have scanned")
    failed = {f.check_id for f in target.findings if f.result == "failed"}
    for check_id, why in sorted(target.expected.items()):
        if check_id not in failed:
            target.problems.append(
                f"{check_id} is declared as knowingly failing ({why}) but did not fail: remove the declaration"
            )
    for finding in target.suppressed:
        if finding.custom and finding.suppress_comment.strip().lower() in NO_REASON:
            target.problems.append(
                f"{finding.check_id} is suppressed on {finding.resource} without a reason: "
                f"write #checkov:skip={finding.check_id}:<why>"
            )


def planned_addresses(plan: dict[str, Any], prefix: str) -> dict[str, str]:
    """Planned resources (and data sources read at apply) under ``prefix``: address -> type."""
    found: dict[str, str] = {}
    deleted = {
        c["address"] for c in plan.get("resource_changes", []) if c.get("change", {}).get("actions") == ["delete"]
    }

    def walk(module: dict[str, Any]) -> None:
        for resource in module.get("resources", []):
            address = resource.get("address", "")
            if address.startswith(prefix) and address not in deleted:
                found[address] = resource.get("type", "")
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan.get("planned_values", {}).get("root_module", {}))
    return found


def judge_plan_target(target: Target, plan: dict[str, Any], prefix: str, custom_ids: Iterable[str]) -> None:
    """Expectations, plus coverage: every table judged by every table check, every IAM document by CKV_MC_3."""
    _judge_common(target)
    judged = {(f.resource, f.check_id) for f in target.findings}
    loaded = set(custom_ids)
    for address, rtype in sorted(planned_addresses(plan, prefix).items()):
        wanted: Sequence[str] = ()
        if rtype == "aws_dynamodb_table":
            wanted = [c for c in TABLE_CHECKS if c in loaded]
        elif rtype in IAM_TYPES and "CKV_MC_3" in loaded:
            wanted = ["CKV_MC_3"]
        for check_id in wanted:
            if (address, check_id) not in judged:
                target.problems.append(f"{check_id} did not judge {address}: the gate cannot tell whether it complies")


def judge_hcl_target(target: Target, scan: Scan, custom_ids: Iterable[str]) -> None:
    """Expectations, plus: the scan saw a table; tables the HCL scan could not decide are listed (the plan
    scan decides them)."""
    _judge_common(target)
    tables = sorted({r.split(":", 1)[1] for r in scan.resources if ".aws_dynamodb_table." in f".{r.split(':', 1)[1]}"})
    if not tables:
        target.problems.append("no aws_dynamodb_table was found: the scan did not see the ledger")
    judged = {(f.resource, f.check_id) for f in target.findings}
    for table in tables:
        for check_id in (c for c in TABLE_CHECKS if c in set(custom_ids)):
            if (table, check_id) not in judged:
                target.undecided.append((check_id, table))


# ---------------------------------------------------------------------------------------------------------
# Running the gate
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HclTarget:
    name: str
    directory: Path
    expected: dict[str, str]


_LOCAL_SOURCE = re.compile(r'^(\s*source\s*=\s*")(\.{1,2}/[^"]*)(")', re.MULTILINE)


def stage_seed(dest: Path) -> Path:
    """A copy of the repo root's .tf files (the seed usage) on its own, so that scanning it does not scan the
    whole repository. Module sources stay relative, as written (an absolute path would read as a remote
    source to Checkov's module-pinning checks)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for tf_file in sorted(REPO_ROOT.glob("*.tf")):
        text = _LOCAL_SOURCE.sub(
            lambda m: f"{m.group(1)}{os.path.relpath(REPO_ROOT / m.group(2), dest)}{m.group(3)}", tf_file.read_text()
        )
        (dest / tf_file.name).write_text(text)
    if not any(dest.glob("*.tf")):
        raise HarnessError(f"{REPO_ROOT} holds no .tf files: the seed usage (main.tf) is missing.")
    return dest


def hcl_targets(staging: Path) -> list[HclTarget]:
    """The module on its own, the seed usage at the repo root, and every example."""
    seed = stage_seed(staging / "seed")
    targets = [
        HclTarget("hcl module/dynemoDB", MODULE_DIR, dict(MODULE_DEFAULTS_FAIL)),
        HclTarget("hcl seed (main.tf)", seed, {}),
    ]
    for example in sorted(p for p in EXAMPLES_DIR.iterdir() if p.is_dir()):
        targets.append(HclTarget(f"hcl examples/{example.name}", example, {}))
    return targets


def scan_plan_targets(
    plan_file: Path,
    scenarios: Sequence[Scenario],
    skip_ids: Sequence[str],
    log_file: Path | None,
    custom_ids: Sequence[str],
) -> tuple[list[Target], Scan]:
    """One Checkov run over the combined plan, split into one target per scenario."""
    scan = run_checkov("plan", plan_file, skip_checks=skip_ids, log_file=log_file)
    plan = json.loads(plan_file.read_text())
    targets = []
    for scenario in scenarios:
        prefix = f"{scenario.address}."
        findings = [f for f in scan.findings if f.resource.startswith(prefix)]
        target = Target(
            name=f"plan {scenario.name}",
            mode="plan",
            path=scenario.expected_file,
            findings=apply_source_suppressions(findings, scenario.root_dir or MODULE_DIR),
            expected=scenario_policy(scenario),
        )
        judge_plan_target(target, plan, prefix, custom_ids)
        targets.append(target)
    return targets, scan


def _custom_checks_ran(scans: Iterable[Scan], custom_ids: Sequence[str], mode: str) -> list[str]:
    seen = {f.check_id for scan in scans for f in scan.findings}
    return [
        f"{check_id} produced no result in the {mode} scan: Checkov did not load it or it judged nothing"
        for check_id in custom_ids
        if check_id not in seen
    ]


def run_gate(reports: Path, plan: bool = True, scenarios: Sequence[Scenario] | None = None) -> GateResult:
    """Plan every scenario (in the background) while the HCL targets are scanned, then scan the plan."""
    from dynemodb.harness.plan_stage import run_plan_stage
    from dynemodb.harness.terraform import toolchain

    started = time.monotonic()
    skips = load_skips()
    skip_ids = [s.check_id for s in skips]
    custom_ids = custom_check_ids()
    if not custom_ids:
        raise HarnessError("policies/ declares no CKV_MC check: the gate would check nothing custom.")
    log_file = reports / "policy-checkov.log"
    if log_file.exists():
        log_file.unlink()
    work = WORK_DIR / "policy"
    scenarios = list(scenarios) if scenarios is not None else load_scenarios()
    targets: list[Target] = []
    problems: list[str] = []
    hcl_scans: list[Scan] = []
    plan_file: Path | None = None
    with toolchain() as tc, ThreadPoolExecutor(max_workers=1) as pool:
        planned = pool.submit(run_plan_stage, tc, scenarios, [], work / "plan") if plan else None
        for spec in hcl_targets(work / "hcl"):
            scan = run_checkov("hcl", spec.directory, skip_checks=skip_ids, log_file=log_file)
            hcl_scans.append(scan)
            target = Target(spec.name, "hcl", spec.directory, scan.findings, spec.expected)
            if scan.parsing_errors:
                target.problems += [f"Checkov could not parse {p}" for p in scan.parsing_errors]
            judge_hcl_target(target, scan, custom_ids)
            targets.append(target)
        if planned is not None:
            stage = planned.result()
            plan_file = stage.plan_file
            plan_targets, plan_scan = scan_plan_targets(plan_file, scenarios, skip_ids, log_file, custom_ids)
            targets += plan_targets
            problems += _custom_checks_ran([plan_scan], custom_ids, "plan")
    # In HCL a check may rightly decide nothing (CKV_MC_4 leaves the module's computed autoscaling to the plan),
    # but it must have been loaded: it judges something somewhere in the HCL targets, or the plan scan did.
    hcl_seen = {f.check_id for scan in hcl_scans for f in scan.findings}
    undecided_everywhere = {c for t in targets for c, _ in t.undecided}
    for check_id in custom_ids:
        if check_id not in hcl_seen and check_id not in undecided_everywhere:
            problems.append(f"{check_id} produced no result in the HCL scans: Checkov did not load it")
    return GateResult(targets, skips, problems, time.monotonic() - started, plan_file)


_SKIP = re.compile(r"#\s*checkov:skip=([A-Za-z0-9_]+)(?::([^\n]*))?")


@dataclass(frozen=True)
class Source:
    """Where a resource is written, and the `#checkov:skip` comments that apply to it there (on its block and
    on the module calls that lead to it)."""

    file: Path
    line: int
    skips: dict[str, str] = field(default_factory=dict)


def _block(text: str, start: int) -> str:
    """The text of the block whose header starts at ``start``, through its closing brace."""
    depth, opened = 0, False
    for index in range(text.index("{", start), len(text)):
        char = text[index]
        if char == "{":
            depth, opened = depth + 1, True
        elif char == "}":
            depth -= 1
            if opened and depth == 0:
                return text[start : index + 1]
    return text[start:]


def _skips(block_text: str) -> dict[str, str]:
    return {m.group(1): (m.group(2) or "").strip() for m in _SKIP.finditer(block_text)}


def locate(finding: Finding, scenario_root: Path | None = None) -> Source:
    """Where a finding's resource is written (plan findings name only an address: it is looked up in the
    scenario's configuration), with the suppressions written there. Falls back to the file Checkov reports."""
    file = Path(finding.file)
    staged = WORK_DIR / "policy" / "hcl" / "seed"
    if staged in file.parents:
        return Source(REPO_ROOT / file.name, finding.lines[0])
    if finding.mode == "hcl" or scenario_root is None:
        return Source(file, finding.lines[0])
    rel = re.sub(r"^module\.[\w-]+(?:\[[^\]]*\])?\.", "", finding.resource)  # the scenario's instance
    directory = scenario_root
    skips: dict[str, str] = {}
    while True:
        call = re.match(r"^module\.([\w-]+)(?:\[[^\]]*\])?\.", rel)
        if call is None:
            break
        found = _module_call(directory, call.group(1))
        if found is None:
            return Source(file, 1)
        directory, call_skips = found
        skips.update(call_skips)
        rel = rel[call.end() :]
    kind_and_name = re.sub(r"\[[^\]]*\]$", "", rel.removeprefix("data."))
    if "." in kind_and_name:
        rtype, name = kind_and_name.split(".", 1)
        pattern = re.compile(rf'^(resource|data) "{re.escape(rtype)}" "{re.escape(name)}"', re.MULTILINE)
        for tf_file in sorted(directory.glob("*.tf")):
            text = tf_file.read_text()
            match = pattern.search(text)
            if match:
                skips.update(_skips(_block(text, match.start())))
                return Source(tf_file, text.count("\n", 0, match.start()) + 1, skips)
    return Source(file, 1, skips)


def source_location(finding: Finding, scenario_root: Path | None = None) -> tuple[Path, int]:
    found = locate(finding, scenario_root)
    return found.file, found.line


def _module_call(directory: Path, module: str) -> tuple[Path, dict[str, str]] | None:
    """The directory a local module call points to, and the suppressions written on the call."""
    header = re.compile(rf'^module\s+"{re.escape(module)}"\s*{{', re.MULTILINE)
    for tf_file in sorted(directory.glob("*.tf")):
        text = tf_file.read_text()
        match = header.search(text)
        if not match:
            continue
        body = _block(text, match.start())
        source = re.search(r'^\s*source\s*=\s*"([^"]+)"', body, re.MULTILINE)
        if source and source.group(1).startswith((".", "/")):
            return (directory / source.group(1)).resolve(), _skips(body)
    return None


def apply_source_suppressions(findings: list[Finding], scenario_root: Path) -> list[Finding]:
    """Plan JSON carries no comments: a failure whose resource (or a module call leading to it) carries
    `#checkov:skip=<id>:<reason>` in the scenario's configuration becomes a suppressed result, as in HCL."""
    out = []
    for finding in findings:
        if finding.result == "failed":
            skips = locate(finding, scenario_root).skips
            if finding.check_id in skips:
                reason = skips[finding.check_id] or "No comment provided"
                finding = replace(finding, result="skipped", suppress_comment=reason)
        out.append(finding)
    return out
