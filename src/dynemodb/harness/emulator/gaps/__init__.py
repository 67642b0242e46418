"""Every place the harness changes moto 5.2.5, and why: the one documented place for emulator gaps.

Two kinds, each a `Gap` with its source (an AWS API reference or developer guide page, or a public report
of AWS's answer):
- what moto lacks (missing.py): calls it does not implement, or answers in a shape clients cannot read;
- what moto accepts or reports differently from AWS (dynamodb_tables.py, dynamodb_table_requests.py,
  dynamodb_items.py, dynamodb_item_size.py, dynamodb_expressions.py, dynamodb_queries.py,
  dynamodb_batches.py, dynamodb_resource_policies.py, tagging.py, alarms_scaling.py,
  request_constraints.py): each filled so moto answers as AWS does. An emulator that accepts what AWS
  rejects is a test that lies: "TTL off" passed on plain moto and failed on DynamoDB.

The fills are installed in the moto server process (serve.py) before it answers its first request, and
only there; the module and the examples are never changed to suit the emulator. Every fill has two tests
(tests/integration/test_moto_fidelity.py and test_moto_gaps.py): one shows plain moto still differs, so a
fill is dropped when moto catches up, and one shows the filled server answers as AWS does.

CHECKED lists the calls the provider and the ledger make that were compared with AWS's documentation and
found to match in moto, so need no fill; each of those has a test that moto still matches.
"""

from __future__ import annotations

from dynemodb.harness.emulator.gaps import (
    alarms_scaling,
    dynamodb_batches,
    dynamodb_expressions,
    dynamodb_item_size,
    dynamodb_items,
    dynamodb_queries,
    dynamodb_resource_policies,
    dynamodb_table_requests,
    dynamodb_tables,
    missing,
    request_constraints,
    tagging,
)
from dynemodb.harness.emulator.gaps.registry import Gap

GAPS: tuple[Gap, ...] = (
    *missing.GAPS,
    *dynamodb_tables.GAPS,
    *dynamodb_table_requests.GAPS,
    *dynamodb_items.GAPS,
    *dynamodb_item_size.GAPS,
    *dynamodb_expressions.GAPS,
    *dynamodb_queries.GAPS,
    *dynamodb_batches.GAPS,
    *dynamodb_resource_policies.GAPS,
    *tagging.GAPS,
    *alarms_scaling.GAPS,
    *request_constraints.GAPS,
)

# call -> what AWS documents, and moto already answering the same (a test keeps each true).
CHECKED: dict[str, str] = {
    "dynamodb:BatchGetItem duplicate keys": "ValidationException 'Provided list of item keys contains duplicates'",
    "dynamodb:TransactWriteItems of over 100 actions, or two on one item": (
        "ValidationException ('Member must have length less than or equal to 100'; 'Transaction request cannot "
        "include multiple operations on one item')"
    ),
    "dynamodb:PutItem empty set": "ValidationException 'An string set  may not be empty'",
    "dynamodb:PutItem/UpdateItem item over 400 KB": "ValidationException 'Item size has exceeded ...'",
    "dynamodb:PutItem/UpdateItem key over 2048 bytes": "ValidationException 'Size of hashkey has exceeded ...'",
    "dynamodb:UpdateItem index key of another type (or NULL)": "ValidationException, nothing written",
    "dynamodb:PutItem index key empty or over its size; UpdateItem SET of a literal index key to ''": (
        "ValidationException (the secondary index key message; the key-size message), nothing written"
    ),
    "dynamodb:DeleteTable with deletion protection": "ValidationException, the table stays",
    "dynamodb:UpdateTable enabling an enabled stream": "refused (ResourceInUseException / ValidationException)",
    "iam:CreatePolicy tag rules": "ValidationError for more than 50 tags or a '|' in a key",
}

_installed = False


def install() -> None:
    """Apply every fill. Idempotent; call it in the server process before serving."""
    global _installed
    if _installed:
        return
    missing.install()
    dynamodb_table_requests.install()  # before dynamodb_tables: its name and limit checks run first
    dynamodb_tables.install()
    dynamodb_items.install()
    dynamodb_item_size.install()
    dynamodb_queries.install()
    # Each install wraps what is there, so the last runs first: placeholders, then keys, then values.
    dynamodb_expressions.install()
    dynamodb_batches.install()
    dynamodb_resource_policies.install()
    tagging.install()  # after missing: it wraps the autoscaling tag calls missing implements
    alarms_scaling.install()
    request_constraints.install()  # last: AWS checks the model's constraints before anything else
    _installed = True


__all__ = ["CHECKED", "GAPS", "Gap", "install"]
