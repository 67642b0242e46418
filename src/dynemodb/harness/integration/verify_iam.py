"""The module's managed policies as IAM stores them (exact actions and resources, tags) and which roles
hold them."""

from __future__ import annotations

from typing import Any

from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import INDEX_ACTIONS, READER_TABLE_ACTIONS, WRITER_TABLE_ACTIONS, Example
from dynemodb.harness.integration.policy_doc import grants, parse, unusual
from dynemodb.harness.integration.problems import Problems
from dynemodb.harness.integration.tags import expected_tags, from_pairs


def policy_arn(dep: Deployment, kind: str) -> str:
    return f"arn:aws:iam::{dep.target.account_id}:policy/{dep.table_name}-ledger-{kind}"


def policy_document(iam: Any, arn: str) -> dict[str, Any]:
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    version = iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]
    return parse(version["Document"])


def _attached_roles(iam: Any, arn: str) -> list[str]:
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    if entities.get("PolicyUsers") or entities.get("PolicyGroups"):
        return ["<users or groups>"]
    return sorted(r["RoleName"] for r in entities.get("PolicyRoles", []))


def _check_policy(p: Problems, iam: Any, dep: Deployment, spec: Example, kind: str, actions: frozenset[str]) -> None:
    arn = policy_arn(dep, kind)
    try:
        document = policy_document(iam, arn)
    except iam.exceptions.NoSuchEntityException:
        p.add(f"{kind} policy {arn}: does not exist")
        return
    table_arn = dep.outputs["table_arn"]
    p.expect(f"{kind} policy grants", grants(document), {table_arn: actions, f"{table_arn}/index/*": INDEX_ACTIONS})
    for feature in unusual(document):
        p.add(f"{kind} policy: {feature}")
    tags = from_pairs(iam.list_policy_tags(PolicyArn=arn).get("Tags", []))
    p.expect(f"{kind} policy tags", tags, expected_tags(spec.tags, dep.tags))
    role_output = spec.writer_role_output if kind == "writer" else spec.reader_role_output
    expected_roles = [dep.outputs[role_output]] if role_output else []
    p.expect(f"roles holding the {kind} policy", _attached_roles(iam, arn), expected_roles)


def _check_role(p: Problems, iam: Any, dep: Deployment, spec: Example, role_output: str | None, kind: str) -> None:
    if role_output is None:
        return
    role = dep.outputs[role_output]
    attached = sorted(a["PolicyArn"] for a in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"])
    p.expect(f"policies attached to role {role}", attached, [policy_arn(dep, kind)])
    p.expect(f"inline policies of role {role}", iam.list_role_policies(RoleName=role)["PolicyNames"], [])
    tags = from_pairs(iam.list_role_tags(RoleName=role).get("Tags", []))
    p.expect(f"role {role} tags", tags, expected_tags(spec.tags, dep.tags))


def verify_iam(dep: Deployment, spec: Example) -> list[str]:
    p = Problems(dep.example)
    iam = dep.target.client("iam")
    _check_policy(p, iam, dep, spec, "writer", WRITER_TABLE_ACTIONS)
    _check_policy(p, iam, dep, spec, "reader", READER_TABLE_ACTIONS)
    _check_role(p, iam, dep, spec, spec.writer_role_output, "writer")
    _check_role(p, iam, dep, spec, spec.reader_role_output, "reader")
    return p.lines
