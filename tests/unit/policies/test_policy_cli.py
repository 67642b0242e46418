"""The commands policies/README.md documents work as written: from the repo root, with Checkov alone, every
CKV_MC check loads and runs on HCL and on plan JSON, offline and without a stack trace. And the trap the gate
guards against is real: without policies/__init__.py Checkov runs none of them and says nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from combined import instance_name
from policy_support import CUSTOM_IDS, FIXTURES_DIR, PolicyRuns, fixture_labels, unplannable

from dynemodb.harness.paths import POLICIES_DIR, REPO_ROOT

CHECKOV = str(Path(sys.executable).with_name("checkov"))
# Any HTTP(S) attempt goes to a closed local port and fails at once: the run must not need it.
OFFLINE = {"BC_SKIP_MAPPING": "TRUE", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
# One passing fixture of each check (each has one), so that every custom check has something to judge.
SAMPLES = [
    next(label for label in fixture_labels() if label.startswith(f"{check_id}/pass_") and label not in unplannable())
    for check_id in CUSTOM_IDS
]


# The Terraform JSON fixtures, each with the verdict of its check; the README's JSON command must give them.
JSON_FIXTURES = [label for label in fixture_labels() if "/pass_json_" in label or "/fail_json_" in label]
# The README's settings for Terraform JSON: one process, and the Terraform runner (which loads the checks) first.
JSON_RUN = {"CHECKOV_PARALLELIZATION_TYPE": "none"}


def _start(args: list[str], cwd: Path, extra_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    env = {**{k: v for k, v in os.environ.items() if k != "CHECKOV_NO_OUTPUT"}, **OFFLINE, **(extra_env or {})}
    return subprocess.Popen(
        [CHECKOV, *args, "--skip-download", "-o", "json", "--compact"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _ids(output: str) -> set[str]:
    reports: Any = json.loads(output)
    reports = reports if isinstance(reports, list) else [reports]
    found = set()
    for report in reports:
        results = report.get("results", {})
        for record in results.get("passed_checks", []) + results.get("failed_checks", []):
            found.add(record["check_id"])
    return {i for i in found if i.startswith("CKV_MC_")}


def _sub_plan(plan: dict[str, Any], instances: list[str]) -> dict[str, Any]:
    """The part of the batch plan that belongs to some module instances: a small plan.json of its own."""
    configuration = json.loads(json.dumps(plan["configuration"]))
    calls = configuration["root_module"]["module_calls"]
    configuration["root_module"]["module_calls"] = {i: calls[i] for i in instances}
    children = plan["planned_values"]["root_module"].get("child_modules", [])

    def ours(address: str) -> bool:
        return address.split(".")[1] in instances

    return {
        "format_version": plan["format_version"],
        "terraform_version": plan["terraform_version"],
        "planned_values": {"root_module": {"child_modules": [c for c in children if ours(c["address"])]}},
        "resource_changes": [r for r in plan["resource_changes"] if ours(r["address"])],
        "configuration": configuration,
    }


@pytest.fixture(scope="module")
def cli_runs(policy_runs: PolicyRuns, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, str]]]:
    """The three CLI runs, started together (each pays Checkov's start-up)."""
    work = tmp_path_factory.mktemp("cli")
    sample = work / "sample"  # a copy: .checkov.yaml skips tests/unit/policies/fixtures
    for label in SAMPLES:
        shutil.copytree(FIXTURES_DIR / label, sample / instance_name(label))
    plan_file = work / "plan.json"
    batch = json.loads(policy_runs.plan_file.read_text())
    plan_file.write_text(json.dumps(_sub_plan(batch, [instance_name(label) for label in SAMPLES])))
    json_roots = work / "json"
    for label in JSON_FIXTURES:
        shutil.copytree(FIXTURES_DIR / label, json_roots / label.replace("/", "-"))
    no_init = work / "policies_without_init"
    no_init.mkdir()
    for check_file in POLICIES_DIR.glob("*.py"):
        if check_file.name != "__init__.py":
            shutil.copy(check_file, no_init / check_file.name)
    runs = {
        "hcl": _start(["-d", str(sample), "--framework", "terraform", "--external-checks-dir", "policies"], REPO_ROOT),
        "plan": _start(
            ["-f", str(plan_file), "--framework", "terraform_plan", "--external-checks-dir", "policies"],
            REPO_ROOT,
        ),
        "json": _start(
            ["-d", str(json_roots), "--framework", "terraform", "terraform_json", "--external-checks-dir", "policies"],
            REPO_ROOT,
            JSON_RUN,
        ),
        # From a directory without the repo's .checkov.yaml, so nothing else loads the real policies.
        "no_init": _start(["-d", str(sample), "--framework", "terraform", "--external-checks-dir", str(no_init)], work),
    }
    outputs = {}
    for name, proc in runs.items():
        out, err = proc.communicate(timeout=300)
        outputs[name] = (out, err)
    yield outputs


@pytest.mark.parametrize("mode", ["hcl", "plan"])
def test_documented_command_runs_every_custom_check(cli_runs: dict[str, tuple[str, str]], mode: str) -> None:
    out, err = cli_runs[mode]
    assert "Traceback" not in err, f"checkov printed a stack trace:\n{err[-3000:]}"
    ran = _ids(out)
    assert ran == set(CUSTOM_IDS), f"{mode}: ran {sorted(ran)}, expected {CUSTOM_IDS}"


def test_checkov_drops_checks_silently_without_init_py(cli_runs: dict[str, tuple[str, str]]) -> None:
    out, err = cli_runs["no_init"]
    assert "Traceback" not in err
    assert _ids(out) == set(), "Checkov loaded checks from a directory without __init__.py: recheck the README"
    assert (POLICIES_DIR / "__init__.py").is_file(), "policies/__init__.py is missing: Checkov would load nothing"


def test_documented_json_command_gives_each_json_fixture_its_verdict(cli_runs: dict[str, tuple[str, str]]) -> None:
    out, err = cli_runs["json"]
    assert "Traceback" not in err and "Failed to run check" not in err, err[-3000:]
    reports: Any = json.loads(out)
    verdicts: dict[str, set[str]] = {}
    for report in reports if isinstance(reports, list) else [reports]:
        for kind in ("passed_checks", "failed_checks"):
            for record in report.get("results", {}).get(kind, []):
                root = Path(record["file_path"]).parts[1] if record["file_path"].startswith("/") else ""
                if record["check_id"] == root.split("-", 1)[0]:
                    verdicts.setdefault(root, set()).add(kind.split("_")[0])
    got = {label: verdicts.get(label.replace("/", "-"), set()) for label in JSON_FIXTURES}
    # As a fixture's name says (test_policy_fixtures.py): pass_ passes all it judges, fail_ fails something.
    wrong = {k: sorted(v) for k, v in got.items() if v != {"passed"} and ("/pass_" in k or "failed" not in v)}
    assert not wrong, f"the README's JSON command misjudges: {wrong}"
