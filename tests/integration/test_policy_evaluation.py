"""The policy evaluator that proves resource scoping, and the scoping probes: correct on AWS's rules, and
saying no to the mutations a reviewer worries about (a wildcard resource, an extra action, a Deny lost)."""

from __future__ import annotations

from typing import Any

import pytest

from dynemodb.harness.integration.expected import INDEX_ACTIONS, READER_TABLE_ACTIONS, WRITER_TABLE_ACTIONS
from dynemodb.harness.integration.iam import (
    Decision,
    UnsupportedPolicy,
    evaluate,
    evaluator_problems,
    resource_policy_problems,
)

TABLE = "arn:aws:dynamodb:eu-west-1:123456789012:table/ledger"


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _module_policy(actions: frozenset[str], table_resource: str = TABLE) -> dict[str, Any]:
    """The shape module/dynemoDB/iam.tf renders."""
    return _doc(
        {"Sid": "Items", "Effect": "Allow", "Action": sorted(actions), "Resource": table_resource},
        {"Sid": "Indexes", "Effect": "Allow", "Action": sorted(INDEX_ACTIONS), "Resource": f"{TABLE}/index/*"},
    )


@pytest.mark.parametrize(
    ("action", "resource", "expected"),
    [
        ("dynamodb:GetItem", TABLE, Decision.ALLOW),
        ("DynamoDB:getitem", TABLE, Decision.ALLOW),  # actions are case-insensitive
        ("dynamodb:GetItem", TABLE.upper(), Decision.IMPLICIT_DENY),  # resources are not
        ("dynamodb:GetItems", TABLE, Decision.IMPLICIT_DENY),
        ("dynamodb:GetItem", f"{TABLE}2", Decision.IMPLICIT_DENY),
        ("dynamodb:Query", f"{TABLE}/index/any", Decision.ALLOW),
        ("dynamodb:Query", f"{TABLE}/index/", Decision.ALLOW),  # * matches the empty string, as in IAM
        ("dynamodb:Query", f"{TABLE}x/index/a", Decision.IMPLICIT_DENY),
    ],
)
def test_matching_follows_iam(action: str, resource: str, expected: Decision) -> None:
    document = _doc(
        {"Effect": "Allow", "Action": "dynamodb:Get?tem", "Resource": TABLE},
        {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": f"{TABLE}/index/*"},
    )
    assert evaluate([document], action, resource) is expected


def test_an_explicit_deny_wins_over_any_allow() -> None:
    allow = _doc({"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"})
    deny = _doc({"Effect": "Deny", "NotAction": ["dynamodb:Get*"], "Resource": TABLE})
    assert evaluate([allow, deny], "dynamodb:DeleteTable", TABLE) is Decision.EXPLICIT_DENY
    assert evaluate([allow, deny], "dynamodb:GetItem", TABLE) is Decision.ALLOW
    assert evaluate([allow, deny], "dynamodb:DeleteTable", f"{TABLE}-other") is Decision.ALLOW


def test_not_resource_and_principals() -> None:
    document = _doc(
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/glue"]}, "Action": "dynamodb:*",
         "NotResource": f"{TABLE}/index/*"},
    )  # fmt: skip
    glue, other = "arn:aws:iam::123456789012:role/glue", "arn:aws:iam::123456789012:role/other"
    assert evaluate([document], "dynamodb:PutItem", TABLE, glue) is Decision.ALLOW
    assert evaluate([document], "dynamodb:PutItem", f"{TABLE}/index/a", glue) is Decision.IMPLICIT_DENY
    assert evaluate([document], "dynamodb:PutItem", TABLE, other) is Decision.IMPLICIT_DENY
    assert evaluate([document], "dynamodb:PutItem", TABLE) is Decision.IMPLICIT_DENY  # no principal given


def test_conditions_are_refused_not_guessed() -> None:
    document = _doc({"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*", "Condition": {"Bool": {"x": "1"}}})
    with pytest.raises(UnsupportedPolicy):
        evaluate([document], "dynamodb:GetItem", TABLE)


@pytest.mark.parametrize(("kind", "actions"), [("writer", WRITER_TABLE_ACTIONS), ("reader", READER_TABLE_ACTIONS)])
def test_the_module_shape_passes_every_probe(kind: str, actions: frozenset[str]) -> None:
    assert evaluator_problems(kind, [_module_policy(actions)], TABLE) == []


@pytest.mark.parametrize(
    ("mutant", "document", "expected_line"),
    [
        ("wildcard table", _module_policy(WRITER_TABLE_ACTIONS, "arn:aws:dynamodb:*:*:table/*"), "other-ledger"),
        ("trailing wildcard", _module_policy(WRITER_TABLE_ACTIONS, f"{TABLE}*"), f"{TABLE}-shadow"),
        ("any region", _module_policy(WRITER_TABLE_ACTIONS, TABLE.replace("eu-west-1", "*")), "ap-southeast-2"),
        ("delete granted", _module_policy(WRITER_TABLE_ACTIONS | {"dynamodb:DeleteItem"}), "dynamodb:DeleteItem"),
        ("table admin", _module_policy(WRITER_TABLE_ACTIONS | {"dynamodb:Update*"}), "dynamodb:UpdateTable"),
        ("write missing", _module_policy(WRITER_TABLE_ACTIONS - {"dynamodb:PutItem"}), "dynamodb:PutItem"),
        (
            "index gets everything",
            _doc({"Effect": "Allow", "Action": sorted(WRITER_TABLE_ACTIONS), "Resource": [TABLE, f"{TABLE}/index/*"]}),
            "dynamodb:GetItem on " + TABLE + "/index/",
        ),
    ],
)
def test_writer_mutants_are_caught(mutant: str, document: dict[str, Any], expected_line: str) -> None:
    problems = evaluator_problems("writer", [document], TABLE)
    assert any(expected_line in line for line in problems), problems


def test_a_reader_that_can_write_is_caught() -> None:
    problems = evaluator_problems("reader", [_module_policy(WRITER_TABLE_ACTIONS)], TABLE)
    assert "reader policy: dynamodb:PutItem on " + TABLE + ": got Allow, expected denied" in problems


def test_resource_policy_admits_only_the_listed_roles() -> None:
    roles = ["arn:aws:iam::123456789012:role/glue", "arn:aws:iam::123456789012:role/lambda"]
    good = _doc(
        {"Effect": "Allow", "Principal": {"AWS": roles}, "Action": sorted(WRITER_TABLE_ACTIONS),
         "Resource": [TABLE, f"{TABLE}/index/*"]},
    )  # fmt: skip
    assert resource_policy_problems(good, TABLE, roles) == []
    anyone = _doc({**good["Statement"][0], "Principal": {"AWS": "*"}})
    assert any("not-a-pipeline-role" in line for line in resource_policy_problems(anyone, TABLE, roles))
