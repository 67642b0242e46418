"""What the module's policies must allow and refuse, as (action, resource) probes, and checking them with
the policy evaluator (every target) or with IAM's policy simulator (the sandbox).

The probes reach beyond the contract's own actions: the table's administration, deletes, scans, another
table, another table's index, the same name in another account or region, and a name that merely starts
with the table's name (what a trailing wildcard would let through).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dynemodb.harness.integration.expected import AUDIT_INDEX, INDEX_ACTIONS, READER_TABLE_ACTIONS, WRITER_TABLE_ACTIONS
from dynemodb.harness.integration.policy_eval import Decision, evaluate

# Actions neither principal may perform on the ledger: deleting data or the table, changing its settings.
FORBIDDEN_ACTIONS = frozenset(
    {
        "dynamodb:BatchWriteItem",
        "dynamodb:CreateTable",
        "dynamodb:DeleteItem",
        "dynamodb:DeleteResourcePolicy",
        "dynamodb:DeleteTable",
        "dynamodb:PutResourcePolicy",
        "dynamodb:RestoreTableToPointInTime",
        "dynamodb:Scan",
        "dynamodb:TagResource",
        "dynamodb:UpdateContinuousBackups",
        "dynamodb:UpdateTable",
        "dynamodb:UpdateTimeToLive",
    }
)
READER_FORBIDDEN = FORBIDDEN_ACTIONS | (WRITER_TABLE_ACTIONS - READER_TABLE_ACTIONS)


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
    granted = WRITER_TABLE_ACTIONS if kind == "writer" else READER_TABLE_ACTIONS
    refused = FORBIDDEN_ACTIONS if kind == "writer" else READER_FORBIDDEN
    indexes = [f"{table_arn}/index/{AUDIT_INDEX}", f"{table_arn}/index/by-source-bucket"]
    found = [Probe(a, table_arn, True) for a in sorted(granted)]
    found += [Probe(a, table_arn, False) for a in sorted(refused)]
    for index in indexes:
        found += [Probe(a, index, a in INDEX_ACTIONS) for a in sorted(granted | {"dynamodb:Scan"})]
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


def resource_policy_problems(document: Mapping[str, Any], table_arn: str, admitted: Iterable[str]) -> list[str]:
    """The table's resource policy: the admitted roles get the writer's actions and nothing forbidden;
    anyone else gets nothing."""
    account = table_arn.split(":")[4]
    stranger = f"arn:aws:iam::{account}:role/not-a-pipeline-role"
    index = f"{table_arn}/index/{AUDIT_INDEX}"
    cases = [(p, Probe(a, table_arn, True)) for p in admitted for a in sorted(WRITER_TABLE_ACTIONS)]
    cases += [(p, Probe("dynamodb:Query", index, True)) for p in admitted]
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
