"""The examples' Glue and Lambda roles, assumed, against the module's table with moto's IAM enforcement on:
the writer writes and reads, the reader only reads, neither deletes or administers, neither touches
another table. And the checker itself says no when a role holds more than it should."""

from __future__ import annotations

import json

import pytest

from dynemodb.harness.emulator import MotoServer
from dynemodb.harness.integration.run import Batch

WITH_ROLES = ("glue_lambda_access", "complete")


@pytest.mark.parametrize("example", WITH_ROLES)
def test_roles_can_do_what_they_need_and_nothing_more(batch: Batch, example: str) -> None:
    problems = batch.target.runtime_problems(batch.deployment(example))
    assert not problems, "\n".join(problems)


def test_a_role_holding_too_much_is_reported(batch: Batch, moto: MotoServer) -> None:
    dep = batch.deployment("glue_lambda_access")
    iam = moto.client("iam")
    role = dep.outputs["lambda_role_name"]
    # Everything but deleting the table: the probes run for real, and later tests still need the table.
    wide = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"},
        ],
    }
    iam.put_role_policy(RoleName=role, PolicyName="too-wide", PolicyDocument=json.dumps(wide))
    try:
        problems = batch.target.runtime_problems(dep)
    finally:
        iam.delete_role_policy(RoleName=role, PolicyName="too-wide")
    reader_lines = [line for line in problems if f"reader role {role}" in line]
    assert any(": PutItem: got 'allowed', expected 'denied'" in line for line in reader_lines), problems
    assert any(": PutItem other table: got 'allowed'" in line for line in reader_lines), problems
    assert any(": UpdateTable: got 'allowed'" in line for line in reader_lines), problems
    assert not [line for line in problems if "writer role" in line]
