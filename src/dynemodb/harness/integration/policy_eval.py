"""A small IAM policy evaluator: enough of AWS's evaluation logic to prove what the module's policies
scope, which moto cannot show (see emulator/gaps.py) and which a plan cannot show (ARNs are unknown there).

Supported: Effect Allow/Deny, Action/NotAction (case-insensitive, * and ? wildcards), Resource/NotResource
(case-sensitive wildcards), Principal for resource policies. An explicit Deny wins over any Allow; with no
matching Allow the decision is an implicit deny. Condition is not evaluated: a statement with a Condition
raises UnsupportedPolicy rather than being guessed at, because a wrong guess would prove the wrong thing.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from dynemodb.harness.integration.policy_doc import as_list, statements


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


def statement_applies(statement: Mapping[str, Any], action: str, resource: str, principal: str | None = None) -> bool:
    if "Condition" in statement:
        raise UnsupportedPolicy(f"statement {statement.get('Sid', '?')} has a Condition, which is not evaluated")
    return (
        _principal_applies(statement, principal)
        and _element_applies(statement, "Action", action, case_sensitive=False)
        and _element_applies(statement, "Resource", resource, case_sensitive=True)
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
