"""Reading IAM policy documents: statements with their one-or-many fields made lists, what they grant."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

Document = Mapping[str, Any]


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
