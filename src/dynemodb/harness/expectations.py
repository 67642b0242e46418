"""Subset matching of expected plan values, in the spirit of cloud-foundation-fabric's inventories.

Maps in the expected file match when every key they name matches (keys not named are not checked); lists
match element by element and must have the same length; scalars must be equal. Each mismatch is one line:
"address.attribute: got X, expected Y".
"""

from __future__ import annotations

from typing import Any


def mismatches(expected: Any, actual: Any, where: str) -> list[str]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: got {actual!r}, expected a map with {sorted(expected)}"]
        found: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{where}.{key}: got nothing (not set in the plan), expected {value!r}")
            else:
                found += mismatches(value, actual[key], f"{where}.{key}")
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: got {actual!r}, expected {expected!r}"]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found += mismatches(want, got, f"{where}[{index}]")
        return found
    if expected != actual or (type(expected) is not type(actual) and not _same_number(expected, actual)):
        return [f"{where}: got {actual!r}, expected {expected!r}"]
    return []


def _same_number(a: Any, b: Any) -> bool:
    numbers = (int, float)
    both_numbers = isinstance(a, numbers) and isinstance(b, numbers)
    return both_numbers and not isinstance(a, bool) and not isinstance(b, bool) and a == b


def check_scenario(
    name: str,
    expected: dict[str, Any],
    resources: dict[str, dict[str, Any]],
    counts: dict[str, int],
    outputs: dict[str, Any],
) -> list[str]:
    """All mismatches of one scenario against its expected file, each prefixed with the file name."""
    found: list[str] = []
    for address, values in (expected.get("values") or {}).items():
        if address not in resources:
            nearby = sorted(a for a in resources if a.split("[")[0] == address.split("[")[0]) or sorted(resources)
            found.append(f"{address}: not in the plan (planned: {', '.join(nearby)})")
            continue
        found += mismatches(values, resources[address]["values"], address)
    for kind, want in (expected.get("counts") or {}).items():
        got = counts.get(kind, 0)
        if got != want:
            found.append(f"counts.{kind}: got {got}, expected {want}")
    found += mismatches(expected.get("outputs") or {}, outputs, "outputs")
    return [f"{name}.yaml: {line}" for line in found]
