"""The plan JSON the policy scan reads: the scenarios' plan without what neither Checkov's plan parser nor the
CKV_MC adapter reads.

Checkov parses a plan file with its pure-Python YAML loader (for line marks), which was half of the policy
scan's time on the scenarios' plan (2.2 of 4.4 s, cProfile). Half that plan is never read: run checks,
output changes, prior state, the modules' variables and outputs, sensitivity marks, and `after` of a created
resource (Checkov reads `after` only to list the attributes that differ from a `before`, so without a
`before` it reads nothing). Checkov reads planned_values, resource_changes' actions and after_unknown (and
before/after of an update), and configuration's resources, module calls and provider_config
(checkov/terraform/plan_parser.py); the adapter reads resource_changes and configuration the same way.
tests/unit/harness/test_plan_for_scan.py proves Checkov's findings on both files are the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_TOP_LEVEL = ("format_version", "terraform_version", "applyable", "complete", "errored")
_CHANGE = ("actions", "before", "after", "after_unknown")


def _configuration_module(module: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in module.items() if k not in ("variables", "outputs")}
    if "module_calls" in module:
        calls = module["module_calls"].items()
        kept["module_calls"] = {n: {**c, "module": _configuration_module(c.get("module") or {})} for n, c in calls}
    return kept


def _planned_module(module: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in module.items() if k != "outputs"}
    if "resources" in module:
        kept["resources"] = [{k: v for k, v in r.items() if k != "sensitive_values"} for r in module["resources"]]
    if "child_modules" in module:
        kept["child_modules"] = [_planned_module(child) for child in module["child_modules"]]
    return kept


def _resource_change(entry: dict[str, Any]) -> dict[str, Any]:
    change = {k: v for k, v in entry["change"].items() if k in _CHANGE}
    if change.get("before") is None:
        change["after"] = None
    return {**entry, "change": change}


def plan_for_scan(plan: dict[str, Any]) -> dict[str, Any]:
    """``plan`` (terraform show -json) with only what the policy scan reads."""
    kept = {k: plan[k] for k in _TOP_LEVEL if k in plan}
    kept["planned_values"] = {"root_module": _planned_module(plan.get("planned_values", {}).get("root_module", {}))}
    kept["resource_changes"] = [_resource_change(entry) for entry in plan.get("resource_changes", [])]
    configuration = plan.get("configuration", {})
    root_module = _configuration_module(configuration.get("root_module", {}))
    kept["configuration"] = {**configuration, "root_module": root_module}
    return kept


def write_plan_for_scan(plan: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(plan_for_scan(plan), separators=(",", ":")))
    return path
