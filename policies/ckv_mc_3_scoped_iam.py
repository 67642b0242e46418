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
    passed,
    policy,
    register,
    setting,
    strings,
    undecided,
)

POLICY_OF = {
    t: "policy" for t in ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy")
}
POLICY_OF["aws_dynamodb_resource_policy"] = "policy"
TABLE_WIDE = re.compile(r"^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:(\*|table/\*)$", re.IGNORECASE)
# AWS managed policies that grant DynamoDB table access (besides every one with DynamoDB in its name).
BROAD_MANAGED = {
    "AdministratorAccess",
    "PowerUserAccess",
    "ReadOnlyAccess",
    "ViewOnlyAccess",
    "DatabaseAdministrator",
    "DataScientist",
}


def wildcards(statements: list[Statement]) -> list[str]:
    problems = []
    for s in (s for s in statements if s.allows):
        actions = [a for a in s.values("Action") if isinstance(a, str)]
        detail = s.detail
        expanded = (detail.expanded_actions or []) if detail is not None else []
        if any(a.strip() in ("*", "*:*") for a in actions):
            problems.append(f'{s.where}: Allow with Action "*"')
        wild = sorted({a for a in actions if a.lower().startswith("dynamodb:") and ("*" in a or "?" in a)})
        if wild:
            problems.append(f"{s.where}: wildcard in DynamoDB action(s) {', '.join(wild)}; list the actions")
        if s.values("NotAction"):
            problems.append(f"{s.where}: Allow with NotAction grants every other action; list the actions")
        if s.values("NotAction") or any(a.lower().startswith("dynamodb:") for a in expanded + actions):
            wide = sorted({r for r in s.values("Resource") if isinstance(r, str) and (r == "*" or TABLE_WIDE.match(r))})
            if wide:
                problems.append(f"{s.where}: DynamoDB actions on Resource {', '.join(wide)}; name the table ARN")
            if s.values("NotResource"):
                problems.append(f"{s.where}: DynamoDB actions with NotResource; name the table ARN")
        if "*" in s.principals():
            problems.append(f'{s.where}: Allow to Principal "*"; name the principals')
        if s.json.get("NotPrincipal"):
            problems.append(f"{s.where}: Allow with NotPrincipal admits everyone else; name the principals")
    return problems


def open_parts(statements: list[Statement]) -> list[str]:
    """Statements whose effect or actions are not known here: they could hide a violation."""
    return [
        f"{s.where}: effect or actions not known here"
        for s in statements
        if is_expression(s.json.get("Effect")) or s.detail is None
    ]


def grants_dynamodb(statements: list[Statement] | Any) -> Any:
    """True, False, or UNKNOWN: whether a document allows a DynamoDB action (or every action)."""
    if statements is UNKNOWN or open_parts(statements):
        return UNKNOWN
    return any(
        s.values("NotAction")
        or any(
            a.lower().startswith("dynamodb:") or a == "*"
            for a in (s.detail.expanded_actions or []) + s.values("Action")
        )
        for s in statements
        if s.allows and s.detail is not None
    )


def linked(node: Node, key: str, rtype: str) -> tuple[list[Node], list[str], bool]:
    """What an attribute names: nodes of ``rtype`` it refers to, literal values, and whether some of it is
    not known here."""
    if node.plan is not None:
        if node.unknown(key):
            nodes = [n for n in node.refs(key) if n.type == rtype]
            return nodes, [], not nodes
        return [], [v for v in strings(node.conf.get(key)) if isinstance(v, str)], False
    items = strings(node.conf.get(key))
    nodes = (
        [n for i in items if is_expression(i) for n in node.scope.resolve(node, i) if n.type == rtype] if items else []
    )
    refs = [n for i in items if is_expression(i) for n in node.scope.resolve(node, i)]
    return nodes, [i for i in items if not is_expression(i)], any(is_expression(i) for i in items) and not refs


def _policy_grants(node: Node, key: str) -> Any:
    nodes, literals, unknown = linked(node, key, "aws_iam_policy")
    verdicts = [_memo(n, lambda n=n: grants_dynamodb(policy(n, "policy"))) for n in nodes]
    for arn in literals:
        name = arn.rsplit("/", 1)[-1]
        if ":aws:policy/" in arn:
            verdicts.append(name in BROAD_MANAGED or "dynamodb" in name.lower())
        elif not any(str(n.get("name")) == name for n in node.related("aws_iam_policy")):
            verdicts.append(UNKNOWN)  # a policy outside this configuration
    return True if True in verdicts else (UNKNOWN if unknown or UNKNOWN in verdicts else False)


def _memo(node: Node, compute: Any) -> Any:
    return (
        node.scope.memo.setdefault(("grants", id(node)), compute())
        if ("grants", id(node)) not in node.scope.memo
        else node.scope.memo[("grants", id(node))]
    )


def table_access(role: Node) -> Any:
    """True, False or UNKNOWN: whether a role gets access to DynamoDB in its configuration."""
    found: list[Any] = [
        grants_dynamodb(policy(role, "policy", b.get("policy")))
        for b in strings(role.conf.get("inline_policy"))
        if isinstance(b, dict)
    ]
    found.append(_policy_grants(role, "managed_policy_arns") if role.conf.get("managed_policy_arns") else False)
    name = role.get("name")

    def names_role(node: Node, key: str) -> Any:
        nodes, literals, unknown = linked(node, key, "aws_iam_role")
        if role in nodes or (isinstance(name, str) and any(v.rsplit("/", 1)[-1] == name for v in literals)):
            return True
        return UNKNOWN if unknown or name is UNKNOWN else False

    for rtype, key, grants in (
        ("aws_iam_role_policy", "role", lambda n: _memo(n, lambda: grants_dynamodb(policy(n, "policy")))),
        ("aws_iam_role_policy_attachment", "role", lambda n: _policy_grants(n, "policy_arn")),
        ("aws_iam_policy_attachment", "roles", lambda n: _policy_grants(n, "policy_arn")),
    ):
        for other in role.related(rtype):
            named = names_role(other, key)
            if named is not False:
                found.append(
                    True if named is True and grants(other) is True else (False if grants(other) is False else UNKNOWN)
                )
    for table_policy in role.related("aws_dynamodb_resource_policy"):
        statements = policy(table_policy, "policy")
        if statements is UNKNOWN:  # unreadable here: it may name the roles it refers to
            found.append(UNKNOWN if role in table_policy.refs("policy") else False)
            continue
        for s in (s for s in statements if s.allows):
            for principal in s.principals():
                by_name = isinstance(name, str) and str(principal).rsplit("/", 1)[-1] == name
                if by_name or any(role is n for n in _resolve(table_policy, principal)):
                    found.append(True)
                elif is_expression(principal) and role.plan is None and not _resolve(table_policy, principal):
                    # HCL: an expression we cannot follow. (A plan cannot say which role an ARN known only
                    # after apply names; there only references and names link a role.)
                    found.append(UNKNOWN)
    return True if True in found else (UNKNOWN if UNKNOWN in found else False)


def _resolve(node: Node, text: Any) -> list[Node]:
    return (
        [n for r in re.findall(r"aws_iam_role\.[\w-]+(?:\[[^\]]*\])?", str(text)) for n in node.scope.resolve(node, r)]
        if node.plan is None
        else []
    )


def trust(role: Node, statements: list[Statement]) -> tuple[list[str], list[str]]:
    """For a role with table access: (violations, undecided parts) of its trust policy."""
    allowed = set(setting("CKV_MC_TRUSTED_SERVICES", "glue.amazonaws.com,lambda.amazonaws.com"))
    problems, open_ = [], []
    for s in (s for s in statements if s.allows):
        for principal in s.principals():
            if is_expression(principal):
                open_.append(f"{s.where}: a principal is not known here")
            elif principal != "*" and principal not in allowed:
                only = ", ".join(sorted(allowed))
                problems.append(
                    f"{s.where}: the role has table access but trusts {principal}; only {only} may assume it"
                )
        if s.json.get("NotPrincipal"):
            problems.append(f"{s.where}: the role has table access but its trust policy uses NotPrincipal")
    return problems, open_


@register
class ScopedIam(Check):
    id = "CKV_MC_3"
    name = "IAM statements allow no wildcard actions, resources or principals; table roles trust only Glue/Lambda"
    resources = (*POLICY_OF, "aws_iam_role", "data.aws_iam_policy_document")
    category = CheckCategories.IAM
    rule = (
        "No IAM statement (managed, inline, role trust, table resource policy, `aws_iam_policy_document`) Allows "
        'Action `"*"`, a wildcard DynamoDB action, DynamoDB actions on Resource `"*"` or every table, `NotAction`, '
        '`NotResource` with DynamoDB actions, Principal `"*"` or `NotPrincipal`. A role that gets table access '
        "(inline or attached policy with DynamoDB actions, an AWS managed policy that grants them, or named in a "
        "table resource policy) trusts only the Glue and Lambda services (`CKV_MC_TRUSTED_SERVICES`)."
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
        elif node.type in POLICY_OF:
            parts = [("policy", policy(node, "policy"))]
        else:
            parts = [("assume_role_policy", policy(node, "assume_role_policy"))]
            parts += [
                (f"inline_policy {i}", policy(node, "policy", b.get("policy")))
                for i, b in enumerate(strings(node.conf.get("inline_policy")), 1)
                if isinstance(b, dict)
            ]
        problems, open_ = [], []
        for label, statements in parts:
            if statements is UNKNOWN:
                open_.append(f"{label} is not known here")
            else:
                problems += wildcards(statements)
                open_ += open_parts(statements)
        if node.type == "aws_iam_role" and parts[0][1] is not UNKNOWN:
            access = table_access(node)
            violations, unsure = trust(node, parts[0][1])
            if access is True:
                problems, open_ = problems + violations, open_ + unsure
            elif access is UNKNOWN and (violations or unsure):
                open_.append("table access of the role is not known here, and its trust policy admits others")
        if problems:
            return failed(*problems)
        return undecided(*open_) if open_ else passed()
