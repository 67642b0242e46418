"""The IAM contract: which DynamoDB actions the ledger's writer (Glue) and reader (Lambda) roles get.

`contract_actions()` is the one place the plan invariants learn it. Today it reads the module's iam.tf
locals; when the module takes its actions from a contract file (module/dynemoDB/access.json), only this
function changes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import hcl2

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import MODULE_DIR

# Contract role -> the iam.tf local that lists its actions.
_LOCALS = {"writer": "writer_table_actions", "reader": "reader_table_actions", "index": "index_actions"}


@cache
def contract_actions(module_dir: Path = MODULE_DIR) -> dict[str, tuple[str, ...]]:
    """Actions by role: `writer` and `reader` on the table, `index` on its indexes (sorted, unique)."""
    iam_tf = module_dir / "iam.tf"
    with iam_tf.open() as handle:
        local_blocks = hcl2.load(handle).get("locals", [])
    # python-hcl2 wraps each attribute's value in a one-element list.
    values = {name: value[0] for block in local_blocks for name, value in block.items() if isinstance(value, list)}
    missing = [local for local in _LOCALS.values() if not isinstance(values.get(local), list)]
    if missing:
        raise HarnessError(f"{iam_tf}: no list local(s) {missing}; the IAM contract cannot be read.")
    return {role: tuple(sorted(set(values[local]))) for role, local in _LOCALS.items()}
