"""The IAM contract: which DynamoDB actions each caller of the ledger (writer: Glue, reader: Lambda, and
any other role the module grants) gets on the table and on its indexes.

`contract_actions()` is the one place the plan invariants learn it: from the module's `local.access`
map (role => { table = [...], index = [...] }) when it has one, else from the action lists in iam.tf's
locals that came before it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import hcl2

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import MODULE_DIR

Contract = dict[str, dict[str, tuple[str, ...]]]

# Role -> the iam.tf locals that listed its table and index actions before local.access.
_LEGACY_LOCALS = {
    "writer": ("writer_table_actions", "index_actions"),
    "reader": ("reader_table_actions", "index_actions"),
}


def _normalised(actions: object, where: str) -> tuple[str, ...]:
    if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
        raise HarnessError(f"{where}: expected a list of action names, got {actions!r}.")
    return tuple(sorted(set(actions)))


def _module_locals(module_dir: Path) -> dict[str, tuple[Path, Any]]:
    found = {}
    for tf_file in sorted(module_dir.glob("*.tf")):
        with tf_file.open() as handle:
            for block in hcl2.load(handle).get("locals", []):
                # python-hcl2 wraps each attribute's value in a one-element list.
                found.update({k: (tf_file, v[0]) for k, v in block.items() if isinstance(v, list) and v})
    return found


@cache
def contract_actions(module_dir: Path = MODULE_DIR) -> Contract:
    """Role -> {"table": actions, "index": actions}, each sorted and unique."""
    values = _module_locals(module_dir)
    if "access" in values:
        where, access = values["access"]
        if not isinstance(access, dict) or not access:
            raise HarnessError(f"{where}: local.access must map each role to its table and index actions.")
        return {
            role: {part: _normalised(body.get(part), f"{where}: access.{role}.{part}") for part in ("table", "index")}
            for role, body in access.items()
        }
    missing = sorted({local for pair in _LEGACY_LOCALS.values() for local in pair} - set(values))
    if missing:
        raise HarnessError(f"{module_dir}: no local.access and no local(s) {missing}; the IAM contract is unreadable.")
    return {
        role: {"table": _normalised(values[table][1], table), "index": _normalised(values[index][1], index)}
        for role, (table, index) in _LEGACY_LOCALS.items()
    }
