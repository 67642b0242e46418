"""The policy evaluator that proves resource scoping, and the scoping probes: correct on AWS's rules, and
saying no to the mutations a reviewer worries about (a wildcard resource, an extra action, a Deny lost)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dynemodb.harness.contract import GRANTS, Grant
from dynemodb.harness.integration.iam import (
    Decision,
    UnsupportedPolicy,
    evaluate,
    evaluator_problems,
    resource_policy_problems,
    resource_policy_simulator_problems,
)

TABLE = "arn:aws:dynamodb:eu-west-1:123456789012:table/ledger"
WRITER = GRANTS["writer"]


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _module_policy(grant: Grant, table_resource: str = TABLE) -> dict[str, Any]:
    """The shape module/dynemoDB/iam.tf renders."""
    statements = [{"Sid": "Items", "Effect": "Allow", "Action": sorted(grant.table), "Resource": table_resource}]
    if grant.index:
        statements.append(
            {"Sid": "Indexes", "Effect": "Allow", "Action": sorted(grant.index), "Resource": f"{TABLE}/index/*"}
        )
    return _doc(*statements)


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


GLUE = "arn:aws:iam::123456789012:role/etl-glue"
STRANGER = "arn:aws:iam::123456789012:role/analyst"
PARTNER_USER = "arn:aws:iam::210987654321:user/loader"


@pytest.mark.parametrize(
    ("condition", "principal", "applies"),
    [
        ({"ArnNotEquals": {"aws:PrincipalArn": [GLUE]}}, STRANGER, True),
        ({"ArnNotEquals": {"aws:PrincipalArn": [GLUE]}}, GLUE, False),
        ({"StringNotEquals": {"aws:SourceVpc": ["vpc-1"]}}, GLUE, True),  # an absent key: a negated operator holds
        ({"StringEquals": {"aws:SourceVpc": ["vpc-1"]}}, GLUE, False),  # ... and a plain one does not
        ({"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/etl-*"]}}, GLUE, True),
        ({"StringNotEquals": {"aws:PrincipalAccount": ["210987654321"]}}, PARTNER_USER, False),
        # Operators are ANDed: denied only when the caller is neither the listed role nor in the listed account.
        (
            {
                "ArnNotEquals": {"aws:PrincipalArn": [GLUE]},
                "StringNotEquals": {"aws:PrincipalAccount": ["210987654321"]},
            },
            PARTNER_USER,
            False,
        ),
        (
            {
                "ArnNotEquals": {"aws:PrincipalArn": [GLUE]},
                "StringNotEquals": {"aws:PrincipalAccount": ["210987654321"]},
            },
            STRANGER,
            True,
        ),
    ],
)
def test_conditions_on_the_principal_follow_iam(
    condition: dict[str, Any], principal: str | None, applies: bool
) -> None:
    deny = _doc(
        {"Effect": "Deny", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": TABLE, "Condition": condition}
    )
    expected = Decision.EXPLICIT_DENY if applies else Decision.IMPLICIT_DENY
    assert evaluate([deny], "dynamodb:GetItem", TABLE, principal) is expected


def test_conditions_the_evaluator_does_not_know_are_refused_not_guessed() -> None:
    document = _doc({"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*", "Condition": {"Bool": {"x": "1"}}})
    with pytest.raises(UnsupportedPolicy):
        evaluate([document], "dynamodb:GetItem", TABLE)


@pytest.mark.parametrize("kind", sorted(GRANTS))
def test_the_module_shape_passes_every_probe(kind: str) -> None:
    assert evaluator_problems(kind, [_module_policy(GRANTS[kind])], TABLE) == []


@pytest.mark.parametrize(
    ("mutant", "document", "expected_line"),
    [
        ("wildcard table", _module_policy(WRITER, "arn:aws:dynamodb:*:*:table/*"), "other-ledger"),
        ("trailing wildcard", _module_policy(WRITER, f"{TABLE}*"), f"{TABLE}-shadow"),
        ("any region", _module_policy(WRITER, TABLE.replace("eu-west-1", "*")), "ap-southeast-2"),
        (
            "delete granted",
            _module_policy(Grant(WRITER.table | {"dynamodb:DeleteItem"}, WRITER.index)),
            "dynamodb:DeleteItem",
        ),
        (
            "table admin",
            _module_policy(Grant(WRITER.table | {"dynamodb:Update*"}, WRITER.index)),
            "dynamodb:UpdateTable",
        ),
        (
            "write missing",
            _module_policy(Grant(WRITER.table - {"dynamodb:UpdateItem"}, WRITER.index)),
            "dynamodb:UpdateItem",
        ),
        ("put granted", _module_policy(Grant(WRITER.table | {"dynamodb:PutItem"}, WRITER.index)), "dynamodb:PutItem"),
        (
            "index gets everything",
            _doc({"Effect": "Allow", "Action": sorted(WRITER.table), "Resource": [TABLE, f"{TABLE}/index/*"]}),
            "dynamodb:GetItem on " + TABLE + "/index/",
        ),
    ],
)
def test_writer_mutants_are_caught(mutant: str, document: dict[str, Any], expected_line: str) -> None:
    problems = evaluator_problems("writer", [document], TABLE)
    assert any(expected_line in line for line in problems), problems


def test_a_reader_that_can_write_is_caught() -> None:
    problems = evaluator_problems("reader", [_module_policy(WRITER)], TABLE)
    assert "reader policy: dynamodb:UpdateItem on " + TABLE + ": got Allow, expected denied" in problems


def test_resource_policy_admits_only_the_listed_roles() -> None:
    roles = ["arn:aws:iam::123456789012:role/glue", "arn:aws:iam::123456789012:role/lambda"]
    good = _doc(
        {"Effect": "Allow", "Principal": {"AWS": roles}, "Action": sorted(WRITER.table),
         "Resource": [TABLE, f"{TABLE}/index/*"]},
    )  # fmt: skip
    assert resource_policy_problems(good, TABLE, roles) == []
    anyone = _doc({**good["Statement"][0], "Principal": {"AWS": "*"}})
    assert any("not-a-pipeline-role" in line for line in resource_policy_problems(anyone, TABLE, roles))


class _SimulatorStandIn:
    """IAM's policy simulator cannot run here (moto does not implement it), so this stand-in answers
    from the evaluator above, which the tests before this one hold to IAM's rules; it checks that the
    sandbox flow asks the simulator the right questions and reads its answers."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def _answer(self, caller: str, documents: list[dict[str, Any]], kw: dict[str, Any]) -> dict[str, Any]:
        action, resource = kw["ActionNames"][0], kw["ResourceArns"][0]
        self.asked.append(f"{caller} {action}")
        decision = evaluate([*documents, json.loads(kw["ResourcePolicy"])], action, resource, caller)
        names = {
            Decision.ALLOW: "allowed",
            Decision.EXPLICIT_DENY: "explicitDeny",
            Decision.IMPLICIT_DENY: "implicitDeny",
        }
        return {"EvaluationResults": [{"EvalActionName": action, "EvalDecision": names[decision]}]}

    def simulate_principal_policy(self, PolicySourceArn: str, **kw: Any) -> dict[str, Any]:
        return self._answer(PolicySourceArn, [], kw)

    def simulate_custom_policy(self, PolicyInputList: list[str], CallerArn: str, **kw: Any) -> dict[str, Any]:
        # The stand-in treats the simulated user's ARN like a role ARN: the deny names callers by ARN.
        return self._answer(CallerArn, [json.loads(p) for p in PolicyInputList], kw)


def _restricted(listed: str, *, deny: bool = True) -> dict[str, Any]:
    allow = {"Sid": "LedgerAccessForListedPrincipals", "Effect": "Allow", "Principal": {"AWS": [listed]},
             "Action": sorted(WRITER.table), "Resource": TABLE}  # fmt: skip
    deny_unlisted = {"Sid": "DenyLedgerItemsToUnlistedPrincipals", "Effect": "Deny", "Principal": {"AWS": "*"},
                     "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
                     "Resource": [TABLE, f"{TABLE}/index/*"],
                     "Condition": {"ArnNotEquals": {"aws:PrincipalArn": [listed]}}}  # fmt: skip
    return _doc(allow, deny_unlisted) if deny else _doc(allow)


def test_the_sandbox_asks_the_simulator_about_the_restrictive_resource_policy() -> None:
    simulator = _SimulatorStandIn()
    assert resource_policy_simulator_problems(simulator, _restricted(GLUE), TABLE, GLUE) == []
    assert any("simulated-stranger dynamodb:GetItem" in asked for asked in simulator.asked)
    problems = resource_policy_simulator_problems(_SimulatorStandIn(), _restricted(GLUE, deny=False), TABLE, GLUE)
    assert any("dynamodb:GetItem" in line and "expected explicitDeny" in line for line in problems), problems
