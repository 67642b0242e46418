"""Reading a plan JSON: the resources and outputs of one module instance, with unknowns marked."""

from __future__ import annotations

from collections import Counter
from typing import Any

UNKNOWN = "(known after apply)"


def _mark_unknown(after: Any, unknown: Any) -> Any:
    if unknown is True:
        return UNKNOWN
    if isinstance(unknown, dict):
        base = dict(after) if isinstance(after, dict) else {}
        for key, sub in unknown.items():
            marked = _mark_unknown(base.get(key), sub)
            if marked is not None or key in base:
                base[key] = marked
        return base
    if isinstance(unknown, list) and isinstance(after, list):
        # after_unknown lists can be shorter than the values they mark; the rest are known.
        marked = [_mark_unknown(a, u) for a, u in zip(after, unknown, strict=False)]
        return marked + after[len(unknown) :]
    return after


def module_resources(plan: dict[str, Any], module_address: str) -> dict[str, dict[str, Any]]:
    """Resources (managed and data) under `module_address`, keyed by address relative to it, with each
    value known at plan time and UNKNOWN where the plan says "known after apply"."""
    prefix = f"{module_address}."
    resources = {}
    for change in plan.get("resource_changes", []):
        address = change["address"]
        if not address.startswith(prefix):
            continue
        values = _mark_unknown(change["change"].get("after") or {}, change["change"].get("after_unknown"))
        resources[address[len(prefix) :]] = {
            "type": change["type"],
            "mode": change["mode"],
            "values": values,
        }
    return resources


def module_counts(resources: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Managed resources by type, plus `resources` (their total) and `modules` (nested module calls)."""
    managed = [r for r in resources.values() if r["mode"] == "managed"]
    counts = Counter(r["type"] for r in managed)
    counts["resources"] = len(managed)
    counts["modules"] = len({a.rsplit(".", 2)[0] for a in resources if a.startswith("module.")})
    return dict(counts)


def module_outputs(plan: dict[str, Any], module_name: str) -> dict[str, Any]:
    prefix = f"{module_name}__"
    outputs = {}
    for name, change in plan.get("output_changes", {}).items():
        if name.startswith(prefix):
            outputs[name[len(prefix) :]] = _mark_unknown(change.get("after"), change.get("after_unknown"))
    return outputs
