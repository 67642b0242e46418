"""The IAM contract (the *_actions locals of module/dynemoDB/access.tf) as the harness reads it.

The module grants exactly these actions and the verifiers compare what AWS reports with them, so a
change to what a role may do is one edit in access.tf. dynemodb.ledger.schema keeps its own copy (the
runtime cannot read the module); tests/unit/module/test_iam_contract.py holds it equal.
"""

from __future__ import annotations

from dataclasses import dataclass

import hcl2

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import MODULE_DIR

CONTRACT_FILE = MODULE_DIR / "access.tf"
ROLES = ("writer", "reader", "auditor")


@dataclass(frozen=True)
class Grant:
    """What one role may do: actions on the table, and actions on its indexes (table/index/*)."""

    table: frozenset[str]
    index: frozenset[str]

    @property
    def all(self) -> frozenset[str]:
        return self.table | self.index

    def by_resource(self, table_arn: str) -> dict[str, frozenset[str]]:
        """The grant as {resource ARN: actions}, as a policy document states it."""
        found = {table_arn: self.table}
        if self.index:
            found[f"{table_arn}/index/*"] = self.index
        return found


def _load() -> dict[str, Grant]:
    with CONTRACT_FILE.open() as handle:
        blocks = hcl2.load(handle).get("locals", [])
    # python-hcl2 wraps each attribute's value in a one-element list.
    values = {
        name: value[0] if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) else value
        for block in blocks
        for name, value in block.items()
    }
    grants = {}
    for role in ROLES:
        table, index = values.get(f"{role}_table_actions"), values.get(f"{role}_index_actions", [])
        if not isinstance(table, list) or not isinstance(index, list):
            raise HarnessError(f"{CONTRACT_FILE}: no list local {role}_table_actions; the IAM contract cannot be read.")
        grants[role] = Grant(frozenset(table), frozenset(index))
    return grants


GRANTS = _load()
WRITER, READER, AUDITOR = (GRANTS[role] for role in ROLES)
