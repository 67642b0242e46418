"""A starting point for a scenario's expected file: the plan minus what the invariants already check for
every scenario (invariants.COVERED) and minus restated or unset attributes. It is a start, not an
inventory: the author cuts it to what the scenario is about and says so in its description."""

from __future__ import annotations

import re
from typing import Any

import yaml

from dynemodb.harness.invariants import COVERED_ATTRIBUTES, COVERED_TYPES
from dynemodb.harness.plan_values import UNKNOWN
from dynemodb.harness.scenarios import Scenario

# Attributes that restate others or only say "unset": left out to keep expected files readable.
NOISE = {"tags_all", "timeouts", "id"}
CUT_FURTHER = (
    "Starting point only: keep what this scenario is about (say it in `description:`), cut the rest; "
    "what holds for every scenario is checked by src/dynemodb/harness/invariants.py."
)


def _lean(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: _lean(v) for k, v in value.items() if k not in NOISE}
        return {k: v for k, v in kept.items() if v not in (None, [], {}, UNKNOWN)}
    if isinstance(value, list):
        return [_lean(v) for v in value]
    return value


def _uncovered(address: str, resource: dict[str, Any]) -> dict[str, Any]:
    kind = resource["type"] if resource["mode"] == "managed" else f"data.{resource['type']}"
    local = re.sub(r"\[[^]]*\]$", "", re.sub(r"^(module\.[^.]+\.)+", "", address))
    if kind in COVERED_TYPES or local in COVERED_TYPES:
        return {}
    covered = COVERED_ATTRIBUTES.get(resource["type"], set()) | COVERED_ATTRIBUTES["*"]
    return _lean({k: v for k, v in resource["values"].items() if k not in covered})


def expected_document(
    scenario: Scenario,
    resources: dict[str, dict[str, Any]],
    counts: dict[str, int],
    outputs: dict[str, Any],
) -> dict[str, Any]:
    previous = scenario.expected() if scenario.expected_file.exists() else {}
    document: dict[str, Any] = {}
    for section in ("description", "root", "inputs", "policy"):
        if section in previous:
            document[section] = previous[section]
    values = {address: _uncovered(address, r) for address, r in sorted(resources.items())}
    document["values"] = {address: v for address, v in values.items() if v}
    document["counts"] = dict(sorted(counts.items()))
    known = {name: value for name, value in sorted(outputs.items()) if _lean(value) not in ({}, [], UNKNOWN)}
    if known:
        document["outputs"] = known
    return document


def render_expected(scenario: Scenario, document: dict[str, Any]) -> str:
    header = f"# Scenario {scenario.name}. Starting point: python -m dynemodb.harness regen {scenario.name}\n"
    return header + yaml.safe_dump(document, sort_keys=False, width=110, default_flow_style=False)


def write_expected(scenario: Scenario, document: dict[str, Any]) -> None:
    scenario.expected_file.write_text(render_expected(scenario, document))
