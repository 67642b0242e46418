"""CKV_MC_3: IAM statements are scoped. No statement allows Action "*", a wildcard in a DynamoDB action, DynamoDB
actions on Resource "*", or Principal "*" / {"AWS": "*"}; and the trust policy of a role that gets table access
admits only the Glue and Lambda service principals (CKV_MC_TRUSTED_SERVICES overrides the list).

Judged wherever a statement can live: managed policies, inline role/user/group policies, the inline policies and
trust policy of roles, table resource policies, and aws_iam_policy_document data sources.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from ckv_mc_common import (
    Context,
    Document,
    GraphIndex,
    PolicyContext,
    Verdict,
    Vertex,
    blocks,
    document_from_policy_document,
    flatten,
    grants_dynamodb,
    is_expression,
    parse_ref,
    plan_configuration_value,
    policy_document_of,
    read_policy,
    refs_in,
    run_safely,
    scalar,
    trust_violations,
    trusted_services,
    undecided,
    wildcard_violations,
)

NAME = "IAM statements allow no wildcard actions, resources or principals; table roles trust only Glue/Lambda"

POLICY_ATTRIBUTE = {
    "aws_iam_policy": "policy",
    "aws_iam_role_policy": "policy",
    "aws_iam_user_policy": "policy",
    "aws_iam_group_policy": "policy",
    "aws_dynamodb_resource_policy": "policy",
}


def _vertex_policy(vertex: Vertex, index: GraphIndex, attribute: str) -> Document | None:
    def plan_source() -> Any:
        return plan_configuration_value(vertex.file, vertex.address, attribute)

    source = plan_source if vertex.plan else None
    return read_policy(vertex.config.get(attribute), PolicyContext(index, vertex, attribute, source))


def _grants(vertex: Vertex, index: GraphIndex) -> bool:
    memo = index.memo.setdefault("ckv_mc_3_grants", {})
    if id(vertex) not in memo:
        doc = _vertex_policy(vertex, index, "policy")
        memo[id(vertex)] = doc is not None and grants_dynamodb(doc)
    return bool(memo[id(vertex)])


def _policy_arn_grants(origin: Vertex, value: Any, index: GraphIndex) -> bool:
    for item in flatten(value):
        if not isinstance(item, str):
            continue
        ref = parse_ref(item)
        if ref is not None and ref.rtype == "aws_iam_policy":
            if any(_grants(p, index) for p in index.resolve(origin, ref)):
                return True
        elif not is_expression(item) and ":policy/" in item and "dynamodb" in item.lower():
            return True  # an AWS managed DynamoDB policy
    return False


def table_access_roles(index: GraphIndex, root: tuple[Any, ...]) -> set[int]:
    """ids of the aws_iam_role vertices of a configuration that get access to DynamoDB."""
    memo = index.memo.setdefault("ckv_mc_3_roles", {})
    if root in memo:
        return memo[root]
    roles = [v for v in index.in_root(root, "aws_iam_role") if v.block_type == "resource"]
    by_name: dict[str, list[Vertex]] = {}
    for role in roles:
        name = scalar(role.config.get("name"))
        if isinstance(name, str) and not is_expression(name):
            by_name.setdefault(name, []).append(role)

    def roles_named(origin: Vertex, value: Any) -> list[Vertex]:
        found: list[Vertex] = []
        for item in flatten(value):
            if not isinstance(item, str):
                continue
            ref = parse_ref(item)
            if ref is not None and ref.rtype == "aws_iam_role":
                found += index.resolve(origin, ref)
            elif not is_expression(item):
                found += by_name.get(item, []) + by_name.get(item.rsplit("/", 1)[-1], [])
        return found

    marked: set[int] = set()
    for vertex in index.in_root(root):
        if vertex.block_type != "resource":
            continue
        if vertex.rtype == "aws_iam_role_policy" and _grants(vertex, index):
            marked.update(id(r) for r in roles_named(vertex, vertex.config.get("role")))
        elif vertex.rtype == "aws_iam_role_policy_attachment":
            if _policy_arn_grants(vertex, vertex.config.get("policy_arn"), index):
                marked.update(id(r) for r in roles_named(vertex, vertex.config.get("role")))
        elif vertex.rtype == "aws_iam_policy_attachment":
            if _policy_arn_grants(vertex, vertex.config.get("policy_arn"), index):
                marked.update(id(r) for r in roles_named(vertex, vertex.config.get("roles")))
        elif vertex.rtype == "aws_iam_role":
            inline = [
                read_policy(b.get("policy"), PolicyContext(index, vertex, "policy"))
                for b in blocks(vertex.config, "inline_policy")
            ]
            if any(d is not None and grants_dynamodb(d) for d in inline) or _policy_arn_grants(
                vertex, vertex.config.get("managed_policy_arns"), index
            ):
                marked.add(id(vertex))
        elif vertex.rtype == "aws_dynamodb_resource_policy":
            doc = _vertex_policy(vertex, index, "policy")
            for stmt in doc.statements if doc is not None else []:
                for _kind, ident in stmt.principals:
                    for ref in refs_in(ident):
                        if ref.rtype == "aws_iam_role":
                            marked.update(id(r) for r in index.resolve(vertex, ref))
                    if isinstance(ident, str) and ":role/" in ident and not is_expression(ident):
                        marked.update(id(r) for r in by_name.get(ident.rsplit("/", 1)[-1], []))
    memo[root] = marked
    return marked


def _verdict(documents: list[tuple[str, Document | None]], extra: list[str] | None = None) -> Verdict:
    problems = list(extra or [])
    open_parts = []
    for label, doc in documents:
        if doc is None:
            open_parts.append(f"{label} could not be read (an expression Checkov could not evaluate)")
            continue
        problems += wildcard_violations(doc)
        if undecided(doc):
            open_parts.append(f"{label} has actions or effects Checkov could not evaluate")
    if problems:
        return Verdict.failed(*problems)
    if open_parts:
        return Verdict.unknown(*open_parts)
    return Verdict.passed()


def judge_resource(ctx: Context) -> Verdict:
    rtype = ctx.check.entity_type
    if rtype in POLICY_ATTRIBUTE:
        return _verdict([(POLICY_ATTRIBUTE[rtype], ctx.policy(POLICY_ATTRIBUTE[rtype]))])
    # aws_iam_role: the trust policy and the inline policies.
    documents: list[tuple[str, Document | None]] = []
    trust = ctx.policy("assume_role_policy")
    documents.append(("assume_role_policy", trust))
    for number, inline in enumerate(blocks(ctx.conf, "inline_policy"), 1):
        documents.append(
            (f"inline_policy {number}", ctx.policy("policy", inline.get("policy"), nested="inline_policy"))
        )
    extra: list[str] = []
    if (
        trust is not None
        and ctx.vertex is not None
        and id(ctx.vertex) in table_access_roles(ctx.index, ctx.vertex.root)
    ):
        extra = trust_violations(trust, trusted_services())
    return _verdict(documents, extra)


def judge_document(ctx: Context) -> Verdict:
    if ctx.vertex is not None:
        doc = policy_document_of(ctx.vertex, ctx.index)
    else:
        doc = document_from_policy_document(ctx.conf, "aws_iam_policy_document")
    return _verdict([("the document", doc)])


class ScopedIamStatements(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=NAME,
            id="CKV_MC_3",
            categories=(CheckCategories.IAM,),
            supported_resources=(*POLICY_ATTRIBUTE, "aws_iam_role"),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["policy", "assume_role_policy", "inline_policy"]
        return run_safely(self, conf, judge_resource)


class ScopedIamPolicyDocument(BaseDataCheck):
    def __init__(self) -> None:
        super().__init__(
            name=NAME,
            id="CKV_MC_3",
            categories=(CheckCategories.IAM,),
            supported_data=("aws_iam_policy_document",),
        )

    def scan_data_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["statement"]
        return run_safely(self, conf, judge_document)


check = ScopedIamStatements()
data_check = ScopedIamPolicyDocument()
