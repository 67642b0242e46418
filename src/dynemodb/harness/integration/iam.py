"""IAM policies as the harness reasons about them: reading documents, evaluating them, and the probes of
what the module's writer and reader policies must allow and refuse.

Documents. Statements with their one-or-many fields made lists; what Allow statements grant per resource.

Evaluator. Enough of AWS's evaluation logic to prove what the module's policies scope, which moto cannot
show (see emulator/gaps.py) and which a plan cannot show (ARNs are unknown there). Supported: Effect
Allow/Deny, Action/NotAction (case-insensitive, * and ? wildcards), Resource/NotResource (case-sensitive
wildcards), Principal for resource policies. An explicit Deny wins over any Allow; with no matching Allow
the decision is an implicit deny. Condition is not evaluated: a statement with a Condition raises
UnsupportedPolicy rather than being guessed at, because a wrong guess would prove the wrong thing.
(AWS: "Policy evaluation logic", IAM User Guide.)

Probes. They reach beyond the contract's own actions: the table's administration, deletes, scans, another
table, another table's index, the same name in another account or region, and a name that merely starts
with the table's name (what a trailing wildcard would let through). They are checked with the evaluator
(every target) or with IAM's policy simulator (the sandbox).
"""

from __future__ import annotations

import enum
import functools
import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dynemodb.harness.contract import GRANTS
from dynemodb.harness.integration.expected import AUDIT_INDEX, WRITER_TABLE_ACTIONS

Document = Mapping[str, Any]

# --- documents --------------------------------------------------------------------------------------


def parse(document: str | Document) -> dict[str, Any]:
    """A document as IAM returns it: a dict (boto3 decodes it), JSON, or URL-encoded JSON."""
    if isinstance(document, Mapping):
        return dict(document)
    text = document if document.lstrip().startswith("{") else urllib.parse.unquote(document)
    return dict(json.loads(text))


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def statements(document: Document) -> list[dict[str, Any]]:
    return [dict(s) for s in as_list(document.get("Statement"))]


def grants(document: Document) -> dict[str, frozenset[str]]:
    """Resource -> the actions Allow statements grant on it (the shape the module's contract is stated in)."""
    granted: dict[str, set[str]] = {}
    for statement in statements(document):
        if statement.get("Effect") != "Allow":
            continue
        for resource in as_list(statement.get("Resource")):
            granted.setdefault(resource, set()).update(as_list(statement.get("Action")))
    return {resource: frozenset(actions) for resource, actions in granted.items()}


def unusual(document: Document) -> list[str]:
    """Statement features the module never writes; any of them would change what `grants` means."""
    found = []
    for statement in statements(document):
        sid = statement.get("Sid", "?")
        for element in ("NotAction", "NotResource", "NotPrincipal", "Condition"):
            if element in statement:
                found.append(f"statement {sid} has {element}")
        if statement.get("Effect") != "Allow":
            found.append(f"statement {sid} has Effect {statement.get('Effect')!r}")
    return found


def principals(document: Document) -> set[str]:
    """The AWS principals any statement names."""
    named: set[str] = set()
    for statement in statements(document):
        principal = statement.get("Principal") or {}
        if isinstance(principal, str):
            named.add(principal)
        else:
            named.update(as_list(principal.get("AWS")))
    return named


# --- evaluation -------------------------------------------------------------------------------------


class Decision(enum.Enum):
    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"


class UnsupportedPolicy(ValueError):
    pass


@functools.lru_cache(maxsize=1024)
def _pattern(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{regex}$", 0 if case_sensitive else re.IGNORECASE)


def matches(pattern: str, value: str, *, case_sensitive: bool) -> bool:
    return _pattern(pattern, case_sensitive).match(value) is not None


def _element_applies(statement: Mapping[str, Any], name: str, value: str, case_sensitive: bool) -> bool:
    positive, negative = statement.get(name), statement.get(f"Not{name}")
    if positive is not None and negative is not None:
        raise UnsupportedPolicy(f"statement {statement.get('Sid', '?')} has both {name} and Not{name}")
    if positive is None and negative is None:
        raise UnsupportedPolicy(f"statement {statement.get('Sid', '?')} has neither {name} nor Not{name}")
    patterns = as_list(positive if positive is not None else negative)
    hit = any(matches(p, value, case_sensitive=case_sensitive) for p in patterns)
    return hit if positive is not None else not hit


def _principal_applies(statement: Mapping[str, Any], principal: str | None) -> bool:
    named = statement.get("Principal")
    if named is None:
        return True  # an identity policy: it applies to whoever holds it
    if principal is None:
        return False
    if named == "*":
        return True
    aws = as_list(named.get("AWS")) if isinstance(named, Mapping) else []
    return any(p == "*" or matches(p, principal, case_sensitive=True) for p in aws)


def request_context(principal: str | None) -> dict[str, str]:
    """The global condition keys a request by `principal` (a role, user or account root ARN) carries.

    For a role session, aws:PrincipalArn is the role's ARN, not the session's (IAM User Guide, "AWS global
    condition context keys", aws:PrincipalArn), which is what the module's deny statement names.
    """
    if principal is None:
        return {}
    return {"aws:principalarn": principal, "aws:principalaccount": principal.split(":")[4]}


# Condition operators the module writes: (negated, compare with wildcards, case sensitive).
_OPERATORS = {
    "StringEquals": (False, False, True),
    "StringNotEquals": (True, False, True),
    "StringLike": (False, True, True),
    "StringNotLike": (True, True, True),
    "ArnEquals": (False, False, True),
    "ArnNotEquals": (True, False, True),
    "ArnLike": (False, True, True),
    "ArnNotLike": (True, True, True),
}


def _conditions_hold(statement: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    """Every condition of the statement (operators ANDed, keys ANDed, values ORed), per IAM's rules; a
    negated operator holds when the key is absent from the request."""
    for operator, keys in (statement.get("Condition") or {}).items():
        if operator not in _OPERATORS:
            raise UnsupportedPolicy(
                f"statement {statement.get('Sid', '?')}: condition operator {operator} is not evaluated"
            )
        negated, wildcards, case_sensitive = _OPERATORS[operator]
        for key, values in keys.items():
            value = context.get(key.lower())
            if value is None:
                if not negated:
                    return False
                continue
            if wildcards:
                hit = any(matches(v, value, case_sensitive=case_sensitive) for v in as_list(values))
            else:
                hit = value in as_list(values)
            if hit == negated:
                return False
    return True


def statement_applies(statement: Mapping[str, Any], action: str, resource: str, principal: str | None = None) -> bool:
    return (
        _principal_applies(statement, principal)
        and _element_applies(statement, "Action", action, case_sensitive=False)
        and _element_applies(statement, "Resource", resource, case_sensitive=True)
        and _conditions_hold(statement, request_context(principal))
    )


def evaluate(
    documents: Iterable[Mapping[str, Any]], action: str, resource: str, principal: str | None = None
) -> Decision:
    """The decision of `documents` together for `principal` doing `action` on `resource`."""
    allowed = False
    for document in documents:
        for statement in statements(document):
            if not statement_applies(statement, action, resource, principal):
                continue
            effect = statement.get("Effect")
            if effect == "Deny":
                return Decision.EXPLICIT_DENY
            if effect == "Allow":
                allowed = True
            else:
                raise UnsupportedPolicy(f"statement {statement.get('Sid', '?')} has Effect {effect!r}")
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


# --- probes -----------------------------------------------------------------------------------------


# Actions neither principal may perform on the ledger: deleting data or the table, changing its settings.
FORBIDDEN_ACTIONS = frozenset(
    {
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:CreateTable",
        "dynamodb:DeleteItem",
        "dynamodb:DeleteResourcePolicy",
        "dynamodb:DeleteTable",
        "dynamodb:PutItem",
        "dynamodb:PutResourcePolicy",
        "dynamodb:RestoreTableToPointInTime",
        "dynamodb:Scan",
        "dynamodb:TagResource",
        "dynamodb:UpdateContinuousBackups",
        "dynamodb:UpdateTable",
        "dynamodb:UpdateTimeToLive",
    }
)


@dataclass(frozen=True)
class Probe:
    action: str
    resource: str
    allowed: bool


def _elsewhere(table_arn: str) -> list[str]:
    """ARNs that are not this table but look like it."""
    prefix = table_arn.rsplit("/", 1)[0]
    parts = table_arn.split(":")
    other_region = ":".join(
        [*parts[:3], "ap-southeast-2" if parts[3] != "ap-southeast-2" else "eu-north-1", *parts[4:]]
    )
    other_account = ":".join([*parts[:4], "999999999999" if parts[4] != "999999999999" else "111111111111", *parts[5:]])
    return [f"{prefix}/other-ledger", f"{table_arn}-shadow", other_region, other_account]


def probes(kind: str, table_arn: str) -> list[Probe]:
    """The probes for the writer or the reader policy of the table at `table_arn`."""
    granted = GRANTS[kind].table
    refused = (FORBIDDEN_ACTIONS | (WRITER_TABLE_ACTIONS - granted)) - granted
    indexes = [f"{table_arn}/index/{AUDIT_INDEX}", f"{table_arn}/index/by-source-bucket"]
    found = [Probe(a, table_arn, True) for a in sorted(granted)]
    found += [Probe(a, table_arn, False) for a in sorted(refused)]
    for index in indexes:
        found += [Probe(a, index, a in GRANTS[kind].index) for a in sorted(granted | {"dynamodb:Query"})]
    for elsewhere in _elsewhere(table_arn):
        found += [Probe(a, elsewhere, False) for a in sorted(granted)]
        found.append(Probe("dynamodb:Query", f"{elsewhere}/index/{AUDIT_INDEX}", False))
    return found


def _line(whose: str, probe: Probe, got: str) -> str:
    want = "allowed" if probe.allowed else "denied"
    return f"{whose}: {probe.action} on {probe.resource}: got {got}, expected {want}"


def evaluator_problems(
    kind: str, documents: Iterable[Mapping[str, Any]], table_arn: str, principal: str | None = None
) -> list[str]:
    documents = list(documents)
    problems = []
    for probe in probes(kind, table_arn):
        decision = evaluate(documents, probe.action, probe.resource, principal)
        if (decision is Decision.ALLOW) != probe.allowed:
            problems.append(_line(f"{kind} policy", probe, decision.value))
    return problems


def simulator_problems(iam: Any, kind: str, role_arn: str, table_arn: str) -> list[str]:
    """The same probes through IAM's policy simulator, for the role that holds the policy (sandbox only)."""
    by_resource: dict[str, list[Probe]] = {}
    for probe in probes(kind, table_arn):
        by_resource.setdefault(probe.resource, []).append(probe)
    problems = []
    for resource, group in by_resource.items():
        pages = iam.get_paginator("simulate_principal_policy").paginate(
            PolicySourceArn=role_arn, ActionNames=[p.action for p in group], ResourceArns=[resource]
        )
        decisions = {r["EvalActionName"]: r["EvalDecision"] for page in pages for r in page["EvaluationResults"]}
        for probe in group:
            got = decisions.get(probe.action, "no result")
            if (got == "allowed") != probe.allowed:
                problems.append(_line(f"{kind} role (IAM policy simulator)", probe, got))
    return problems


def restricting_statements(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The module's deny-unlisted statements (restrict_to_listed_principals) of a resource policy."""
    return [s for s in statements(document) if s.get("Effect") == "Deny" and s.get("Sid", "").startswith("DenyLedger")]


def resource_policy_simulator_problems(
    iam: Any, document: Mapping[str, Any], table_arn: str, listed_role: str
) -> list[str]:
    """The restrictive resource policy through IAM's policy simulator (sandbox only): the listed role may
    use the writer's actions; a caller who is not listed is explicitly denied the items even when its own
    policy allows everything, and is not denied the table's management."""
    policy, account = json.dumps(document), table_arn.split(":")[4]
    stranger = f"arn:aws:iam::{account}:user/dynemodb-simulated-stranger"  # the simulator takes a user ARN
    allow_all = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
    )
    index = f"{table_arn}/index/{AUDIT_INDEX}"
    cases = [("listed", a, table_arn, "allowed") for a in sorted(GRANTS["writer"].table)]
    cases += [("stranger", a, table_arn, "explicitDeny") for a in ("dynamodb:GetItem", "dynamodb:UpdateItem")]
    cases += [
        ("stranger", "dynamodb:Query", index, "explicitDeny"),
        ("stranger", "dynamodb:DescribeTable", table_arn, "allowed"),
    ]
    problems = []
    for who, action, resource, want in cases:
        common = {"ActionNames": [action], "ResourceArns": [resource], "ResourcePolicy": policy}
        if who == "listed":
            answer = iam.simulate_principal_policy(PolicySourceArn=listed_role, **common)
        else:
            answer = iam.simulate_custom_policy(PolicyInputList=[allow_all], CallerArn=stranger, **common)
        results = answer["EvaluationResults"]
        got = results[0]["EvalDecision"] if results else "no result"
        if got != want:
            whom = listed_role if who == "listed" else stranger
            problems.append(
                f"resource policy (IAM policy simulator) for {whom}: {action} on {resource}: got {got}, expected {want}"
            )
    return problems


def resource_policy_problems(document: Mapping[str, Any], table_arn: str, admitted: Iterable[str]) -> list[str]:
    """The table's resource policy: the admitted roles get the writer's actions and nothing forbidden;
    anyone else gets nothing."""
    account = table_arn.split(":")[4]
    stranger = f"arn:aws:iam::{account}:role/not-a-pipeline-role"
    index = f"{table_arn}/index/{AUDIT_INDEX}"
    cases = [(p, Probe(a, table_arn, True)) for p in admitted for a in sorted(WRITER_TABLE_ACTIONS)]
    cases += [(p, Probe("dynamodb:Query", index, "dynamodb:Query" in GRANTS["writer"].index)) for p in admitted]
    cases += [(p, Probe(a, table_arn, False)) for p in admitted for a in sorted(FORBIDDEN_ACTIONS)]
    cases += [(p, Probe(a, e, False)) for p in admitted for e in _elsewhere(table_arn) for a in ("dynamodb:GetItem",)]
    cases += [(stranger, Probe(a, table_arn, False)) for a in sorted(WRITER_TABLE_ACTIONS)]
    problems = []
    for principal, probe in cases:
        decision = evaluate([document], probe.action, probe.resource, principal)
        if (decision is Decision.ALLOW) != probe.allowed:
            problems.append(
                _line(f"resource policy for {principal}", probe, decision.value).replace(" policy policy", " policy")
            )
    return problems
