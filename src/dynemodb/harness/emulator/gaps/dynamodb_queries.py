"""Query and Scan requests DynamoDB refuses for what they say about the table's or index's keys, and moto 5.2.5
runs (or fails inside on)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.responses import DynamoHandler

from dynemodb.harness.emulator.gaps.dynamodb_expressions import BETWEEN
from dynemodb.harness.emulator.gaps.registry import Gap, checked_first

GUIDE = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide"

GAPS = (
    Gap(
        "query-filter-not-on-keys",
        "differs",
        "dynamodb:Query (FilterExpression)",
        "a Query's filter may not name a key attribute of the table or index it reads: ValidationException "
        "'Filter Expression can only contain non-primary key attributes: Primary key attribute: <name>'; moto "
        "filters on it.",
        f"{GUIDE}/Query.FilterExpression.html ('A filter expression cannot contain partition key or sort key "
        "attributes'); AWS's wording as architect/dynalite's Query gives it (its tests run against DynamoDB)",
    ),
    Gap(
        "query-key-condition-types",
        "differs",
        "dynamodb:Query (KeyConditionExpression)",
        "a key condition's value must have the key attribute's type: ValidationException 'One or more parameter "
        "values were invalid: Condition parameter type does not match schema type'; moto answers a mistyped "
        "partition key with no items, and fails inside (TypeError, HTTP 500) on a mistyped sort key.",
        f"{GUIDE}/Query.KeyConditionExpressions.html; AWS's answer as architect/dynalite's Query gives it (its "
        "tests run against DynamoDB)",
    ),
    Gap(
        "key-condition-operators",
        "differs",
        "dynamodb:Query (KeyConditionExpression)",
        "a key condition is one equality on the partition key and at most one comparison, BETWEEN or begins_with "
        "on the sort key, joined by AND: ValidationException 'Invalid operator used in KeyConditionExpression: OR' "
        "(NOT, IN, <>, attribute_exists, attribute_not_exists, attribute_type, contains), 'KeyConditionExpressions "
        "must only contain one condition per key'. moto fails inside on OR, NOT, IN and <> (AssertionError or "
        "AttributeError: HTTP 500, which clients retry) and runs two conditions on one key.",
        f"{GUIDE}/Query.KeyConditionExpressions.html (the operators a key condition takes); AWS's wording as "
        "architect/dynalite's key-condition check gives it (its tests run against DynamoDB) and as users report "
        "it (an IN, an OR)",
    ),
    Gap(
        "query-index-exists",
        "differs",
        "dynamodb:Query (IndexName)",
        "a Query of an index the table does not have is ValidationException 'The table does not have the "
        "specified index: <name>' (as moto answers a Scan); moto answers a Query with ResourceNotFoundException, "
        "which clients read as a missing table.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html (IndexName: an index of the "
        "table); AWS's answer as reported in awslabs/aws-sdk-ios-samples#58 (com.amazon.coral.validate#"
        "ValidationException, 'The table does not have the specified index: Losses'), and as moto's own Scan "
        "gives it",
    ),
    Gap(
        "exclusive-start-key-matches-schema",
        "differs",
        "dynamodb:Query/Scan (ExclusiveStartKey)",
        "a start key names exactly the key attributes of what is read (the table's, and the index's too when "
        "IndexName is given), each of its defined type: ValidationException 'The provided starting key is "
        "invalid' (Scan: '... invalid: The provided key element does not match the schema'). moto fails inside on "
        "a start key that lacks the table's key (TypeError, HTTP 500, which clients retry) and pages from one that "
        "lacks the index's keys or names others.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html (ExclusiveStartKey: the "
        "primary key of the first item to evaluate, as LastEvaluatedKey gives it); AWS's answers as reported in "
        "pynamodb/PynamoDB#50 and clarkie/dynogels#184 (Query, an index's start key without the index keys), "
        "baopham/laravel-dynamodb#200 (Scan, ap-east-1) and floci-io/floci#1443 (both, exact strings)",
    ),
)

# What a key condition may not hold, as DynamoDB names it: a word operator, <>, or a condition function.
_KEY_OPERATOR = re.compile(
    r"(?<![#:\w])(?P<word>OR|NOT|IN)(?!\w)|(?<![#:\w])(?P<function>attribute_exists|attribute_not_exists|"
    r"attribute_type|contains)\s*\(|(?P<other><>)",
    re.IGNORECASE,
)
_AND = re.compile(r"(?<![#:\w])AND(?![\w])", re.IGNORECASE)


def _key_condition_problem(condition: str, placeholders: dict[str, str]) -> str | None:
    """AWS's message for an operator a key condition may not use, or for two conditions on one key."""
    if found := _KEY_OPERATOR.search(condition):
        word = (found.group("word") or "").upper() or found.group("function") or found.group("other")
        return f"Invalid operator used in KeyConditionExpression: {word}"
    parts: list[str] = []
    open_between = False  # BETWEEN a AND b is one condition: its AND joins, not splits
    for part in _AND.split(condition):
        if open_between:
            parts[-1] += f" AND {part}"
            open_between = False
        else:
            parts.append(part)
            open_between = bool(BETWEEN.search(part))
    named = [next(iter(t for t in _tokens(p, placeholders) if not t.startswith(":")), None) for p in parts]
    if len([n for n in named if n]) != len({n for n in named if n}):
        return "KeyConditionExpressions must only contain one condition per key"
    return None


_BAD_START = {
    "query": "The provided starting key is invalid",
    "scan": "The provided starting key is invalid: The provided key element does not match the schema",
}

# A name at the head of a document path (a literal or a #placeholder, not a nested part, a :value, a
# function), or a :value.
_TOKEN = re.compile(r"(?<![\w.:#\]])(?:#\w+|[A-Za-z_]\w*)(?!\w|\s*\()|:\w+")
_KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN"}


def _tokens(expression: str, placeholders: dict[str, str]) -> Iterator[str]:
    """In order: the attribute at the head of each document path (placeholders resolved), and each :value."""
    for token in _TOKEN.findall(expression):
        if token.upper() not in _KEYWORDS:
            yield token if token.startswith(":") else placeholders.get(token, token)


def _key_schema(handler: DynamoHandler, body: dict[str, Any]) -> tuple[list[str], dict[str, str]] | None:
    """(key attribute names of the table or index queried, their defined types), or None to leave it to moto."""
    try:
        table = handler.dynamodb_backend.get_table(body["TableName"])
    except (JsonRESTError, KeyError):
        return None
    index = body.get("IndexName")
    schema = table.schema
    if index:
        found = [i for i in (*table.global_indexes, *table.indexes) if i.name == index]
        if not found:
            return None
        schema = found[0].schema
    return [key["AttributeName"] for key in schema], {a["AttributeName"]: a["AttributeType"] for a in table.attr}


def _check_query(handler: DynamoHandler) -> None:
    body = handler.body if isinstance(handler.body, dict) else {}
    schema = _key_schema(handler, body)
    if schema is None:
        if body.get("IndexName") and _key_schema(handler, {**body, "IndexName": None}):
            raise MockValidationException(f"The table does not have the specified index: {body['IndexName']}")
        return  # no such table: moto's own answer
    keys, types = schema
    placeholders = body.get("ExpressionAttributeNames") or {}
    values = body.get("ExpressionAttributeValues") or {}
    condition = body.get("KeyConditionExpression")
    if isinstance(condition, str) and (problem := _key_condition_problem(condition, placeholders)):
        raise MockValidationException(problem)
    if isinstance(condition, str):
        # Each value belongs to the attribute named last before it: "pk = :p AND sk BETWEEN :a AND :b".
        attribute = None
        for token in _tokens(condition, placeholders):
            if not token.startswith(":"):
                attribute = token
                continue
            given, wanted = values.get(token), types.get(attribute or "")
            if attribute in keys and isinstance(given, dict) and wanted and set(given) != {wanted}:
                raise MockValidationException(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type"
                )
    filtered = body.get("FilterExpression")
    if isinstance(filtered, str):
        named = set(_tokens(filtered, placeholders))
        for key in keys:
            if key in named:
                raise MockValidationException(
                    f"Filter Expression can only contain non-primary key attributes: Primary key attribute: {key}"
                )


def _start_key_checker(operation: str) -> Any:
    def check(handler: DynamoHandler) -> None:
        body = handler.body if isinstance(handler.body, dict) else {}
        start = body.get("ExclusiveStartKey")
        if not isinstance(start, dict):
            return
        table_schema = _key_schema(handler, {k: v for k, v in body.items() if k != "IndexName"})
        index_schema = _key_schema(handler, body)
        if table_schema is None or index_schema is None:
            return  # no such table or index: moto's own answer
        types = table_schema[1]
        keys = set(table_schema[0]) | set(index_schema[0])
        typed = all(isinstance(v, dict) and set(v) == {types.get(k)} for k, v in start.items())
        if set(start) != keys or not typed:
            raise MockValidationException(_BAD_START[operation])

    return check


def install() -> None:
    DynamoHandler.query = checked_first(_check_query, DynamoHandler.query)  # type: ignore[method-assign]
    for operation in _BAD_START:
        action = getattr(DynamoHandler, operation)
        setattr(DynamoHandler, operation, checked_first(_start_key_checker(operation), action))
