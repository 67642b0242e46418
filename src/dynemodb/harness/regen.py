"""Writing an expected-values file from a plan, to start a scenario or to accept an intended change."""

from __future__ import annotations

from typing import Any

import yaml

from dynemodb.harness.plan_values import UNKNOWN
from dynemodb.harness.scenarios import Scenario

# Attributes that restate others or only say "unset": left out to keep expected files readable.
NOISE = {"tags_all", "timeouts", "id"}


def _lean(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: _lean(v) for k, v in value.items() if k not in NOISE}
        return {k: v for k, v in kept.items() if v not in (None, [], {}, UNKNOWN)}
    if isinstance(value, list):
        return [_lean(v) for v in value]
    return value


def expected_document(
    scenario: Scenario,
    resources: dict[str, dict[str, Any]],
    counts: dict[str, int],
    outputs: dict[str, Any],
) -> dict[str, Any]:
    previous = scenario.expected() if scenario.expected_file.exists() else {}
    document: dict[str, Any] = {}
    for section in ("description", "root", "policy"):
        if section in previous:
            document[section] = previous[section]
    document["values"] = {address: _lean(r["values"]) for address, r in sorted(resources.items())}
    document["counts"] = dict(sorted(counts.items()))
    document["outputs"] = dict(sorted(outputs.items()))
    return document


def write_expected(scenario: Scenario, document: dict[str, Any]) -> None:
    header = (
        f"# Expected plan of scenario {scenario.name}. Regenerate: python -m dynemodb.harness regen {scenario.name}\n"
    )
    body = yaml.safe_dump(document, sort_keys=False, width=110, default_flow_style=False)
    scenario.expected_file.write_text(header + body)
