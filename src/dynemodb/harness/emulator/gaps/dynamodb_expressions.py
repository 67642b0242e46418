"""Expression parameters (placeholders, function operands, IN lists) that moto 5.2.5 lets through or crashes on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.responses import DynamoHandler

from dynemodb.harness.emulator.gaps.registry import Gap, checked_first

GAPS = (
    Gap(
        "expression-values-used",
        "differs",
        "dynamodb:PutItem/DeleteItem/UpdateItem/Query/Scan/TransactWriteItems/TransactGetItems",
        "every ExpressionAttributeValues entry must be used by an expression of the request ('Value provided in "
        "ExpressionAttributeValues unused in expressions: keys: {:v}'), and neither map may be given without an "
        "expression that can use it ('... can only be specified when using expressions'); moto checks unused "
        "values in UpdateItem only, and stores a PutItem, DeleteItem or transaction that carries an unused value.",
        "AWS's answers as measured in floci-io/floci#2893 (PutItem, DeleteItem, Scan, Query; the "
        "'1 validation error detected: ' prefix on PutItem and DeleteItem only) and as architect/dynalite's "
        "validations give them (its tests run against DynamoDB); covered operations as in ExtendDB/extenddb#10",
    ),
    Gap(
        "expression-placeholders-defined",
        "differs",
        "dynamodb:PutItem/DeleteItem/Query/Scan/TransactWriteItems (ConditionExpression, FilterExpression, "
        "KeyConditionExpression)",
        "a placeholder an expression uses must be defined: ValidationException 'Invalid ConditionExpression: An "
        "expression attribute value used in expression is not defined; attribute value: :v' (for a name: 'An "
        "expression attribute name used in the document path is not defined; attribute name: #n'); moto fails "
        "inside (KeyError, HTTP 500, which clients retry) or, in a key condition, names another fault.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html; "
        "AWS's wording as in moto's own ExpressionAttributeValueNotDefined (UpdateExpression) and "
        "architect/dynalite's expression validation (its tests run against DynamoDB)",
    ),
    Gap(
        "function-operand-types",
        "differs",
        "dynamodb:PutItem/UpdateItem/DeleteItem/Query/Scan/TransactWriteItems (attribute_type, begins_with)",
        "attribute_type takes a string naming a DynamoDB type ('Invalid attribute type name found; type: NUMBER, "
        "valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'), and begins_with a string or binary ('Incorrect operand "
        "type for operator or function; operator or function: begins_with, operand type: N'); moto evaluates "
        "either as false, so a put under such a condition fails as a condition check and a filter drops every item.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html "
        "(attribute_type's type names; begins_with on a String); AWS's wording as architect/dynalite's condition "
        "parser gives it (its tests run against DynamoDB)",
    ),
    Gap(
        "in-operands-hundred",
        "differs",
        "dynamodb:PutItem/UpdateItem/DeleteItem/Query/Scan/TransactWriteItems (ConditionExpression, FilterExpression)",
        "IN takes at most 100 operands: ValidationException 'Invalid FilterExpression: The IN operator is provided "
        "with too many operands; number of operands: 101'; moto evaluates any number.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-"
        "parameters ('The maximum number of operands for the IN comparator is 100')",
    ),
    Gap(
        "expression-operators-300",
        "differs",
        "dynamodb:PutItem/UpdateItem/DeleteItem/Query/Scan/TransactWriteItems (every expression but projections)",
        "an expression holds at most 300 operators and functions (comparisons, AND, OR, NOT, BETWEEN, IN, + and -, "
        "each function; an UpdateExpression's SET '=' is no operator): ValidationException 'Invalid "
        "ConditionExpression: The expression contains too many operators; operator count: 301'. moto fails inside "
        "on a long one (RecursionError, HTTP 500, which clients retry) or evaluates it.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-expression-"
        "parameters ('The maximum number of operators or functions allowed in an UpdateExpression is 300'); AWS's "
        "wording, and that conditions are counted too, as scylladb/scylladb's alternator tests record DynamoDB's "
        "answer (run against it with --aws), and a dynamodb-local measurement (299 accepted, 301 refused)",
    ),
    Gap(
        "expression-size-4-kb",
        "differs",
        "dynamodb:PutItem/UpdateItem/DeleteItem/GetItem/Query/Scan/TransactWriteItems/TransactGetItems",
        "an expression string is at most 4 KB (4,096 bytes of UTF-8, placeholders as written): ValidationException "
        "'Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 5872'; "
        "moto evaluates an expression of any length.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-expression-"
        "parameters ('The maximum length of any expression string is 4 KB. For example, the size of the "
        "ConditionExpression a=b is 3 bytes.'); AWS's wording as a user of a FilterExpression of 5,872 bytes "
        "recorded it, and as dynoxide and dynamodb-local measurements give it (4,096 accepted, 4,097 refused)",
    ),
)

PROJECTION = "ProjectionExpression"
MAX_IN_OPERANDS = 100
MAX_EXPRESSION_BYTES = 4096
MAX_OPERATORS = 300
_FUNCTIONS = "attribute_exists|attribute_not_exists|attribute_type|begins_with|contains|size|if_not_exists|list_append"
_OPERATOR = re.compile(
    rf"<>|<=|>=|[<>=+-]|(?<![#:\w])(?:AND|OR|NOT|BETWEEN|IN)(?!\w)|(?<![#:\w])(?:{_FUNCTIONS})\s*\(", re.IGNORECASE
)
BETWEEN = re.compile(r"(?<![#:\w])BETWEEN(?!\w)", re.IGNORECASE)  # also read by dynamodb_queries.py
# The expressions each request (or transaction entry) can carry, in the order DynamoDB reads them.
_CONDITION = ("ConditionExpression",)
_UPDATE = ("UpdateExpression", "ConditionExpression")
EXPRESSIONS = {
    "put_item": _CONDITION,
    "delete_item": _CONDITION,
    "update_item": _UPDATE,
    "query": ("KeyConditionExpression", "FilterExpression", PROJECTION),
    "scan": ("FilterExpression", PROJECTION),
    "get_item": (PROJECTION,),
}
_TRANSACT_WRITE = {"Put": _CONDITION, "Delete": _CONDITION, "ConditionCheck": _CONDITION, "Update": _UPDATE}
# DynamoDB prefixes these messages with the validation count for single-item writes only.
_PREFIXED = {"put_item", "delete_item", "update_item"}
_PLACEHOLDER = re.compile(r"[#:][0-9A-Za-z_]+")
_IN = re.compile(r"\bIN\s*\(", re.IGNORECASE)
# A function over a document path (no commas or parentheses in it) and a value placeholder.
_FUNCTION = re.compile(r"\b(attribute_type|begins_with)\s*\(\s*[^,()]+,\s*(:\w+)\s*\)")
TYPE_NAMES = ("B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M")
_OPERAND_TYPES = {"attribute_type": ("S",), "begins_with": ("S", "B")}


def _function_problem(expression: str, values: dict[str, Any]) -> str | None:
    """AWS's message for an attribute_type or begins_with whose value operand it refuses, or None."""
    for function, placeholder in _FUNCTION.findall(expression):
        value = values.get(placeholder)
        if not isinstance(value, dict) or len(value) != 1:
            continue  # undefined, or not an attribute value: answered elsewhere
        ((kind, given),) = value.items()
        if kind not in _OPERAND_TYPES[function]:
            return (
                f"Incorrect operand type for operator or function; operator or function: {function}, "
                f"operand type: {kind}"
            )
        if function == "attribute_type" and given not in TYPE_NAMES:
            return f"Invalid attribute type name found; type: {given}, valid types: {{{','.join(TYPE_NAMES)}}}"
    return None


def _in_operands(expression: str) -> Iterator[int]:
    """The number of operands of each IN in ``expression``: commas at the depth of its parenthesis, plus one."""
    for found in _IN.finditer(expression):
        depth, commas = 1, 0
        for char in expression[found.end() :]:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                break
            commas += char == "," and depth == 1
        yield commas + 1


def _operators(field: str, expression: str) -> int:
    """The operators and functions DynamoDB counts in an expression: a BETWEEN's AND is part of it, and an
    UpdateExpression's '=' assigns."""
    found = [m.group(0).strip("( ").upper() for m in _OPERATOR.finditer(expression)]
    if field == "UpdateExpression":
        found = [f for f in found if f != "="]
    return len(found) - len(BETWEEN.findall(expression))


_NOT_DEFINED = {
    "#": "An expression attribute name used in the document path is not defined; attribute name: ",
    ":": "An expression attribute value used in expression is not defined; attribute value: ",
}


def _problem(part: dict[str, Any], fields: tuple[str, ...], prefixed: bool) -> str | None:
    """What DynamoDB refuses in one request's (or transaction entry's) expressions and placeholders, or None;
    ``prefixed``: the request is one whose unused-placeholder message DynamoDB prefixes with its count."""
    names, values = part.get("ExpressionAttributeNames"), part.get("ExpressionAttributeValues")
    given = [f for f in fields if isinstance(part.get(f), str)]
    if any(not part[f] for f in given):
        return None  # moto's own answer: an expression can not be empty
    if names is not None and not given:
        return "ExpressionAttributeNames can only be specified when using expressions"
    value_fields = [f for f in fields if f != PROJECTION]
    if values is not None and value_fields and not any(f in given for f in value_fields):
        null = f"{' and '.join(value_fields)} {'are' if len(value_fields) > 1 else 'is'} null"
        return f"ExpressionAttributeValues can only be specified when using expressions: {null}"
    if names is not None and not names:
        return "ExpressionAttributeNames must not be empty"  # moto refuses empty values itself
    for field in given:
        if (size := len(part[field].encode("utf-8"))) > MAX_EXPRESSION_BYTES:
            return f"Invalid {field}: Expression size has exceeded the maximum allowed size; expression size: {size}"
        if field != PROJECTION and _operators(field, part[field]) > MAX_OPERATORS:
            count = MAX_OPERATORS + 1  # DynamoDB stops counting at the first operator over the limit
            return f"Invalid {field}: The expression contains too many operators; operator count: {count}"
    defined = {"#": names or {}, ":": values or {}}
    used: set[str] = set()
    for field in given:
        for token in _PLACEHOLDER.findall(part[field]):
            if token not in defined[token[0]]:
                return f"Invalid {field}: {_NOT_DEFINED[token[0]]}{token}"
            used.add(token)
        if problem := _function_problem(part[field], values or {}):
            return f"Invalid {field}: {problem}"
        if (most := max(_in_operands(part[field]), default=0)) > MAX_IN_OPERANDS:
            return f"Invalid {field}: The IN operator is provided with too many operands; number of operands: {most}"
    for label, mapping in (("Names", names), ("Values", values)):
        if unused := [key for key in mapping or {} if key not in used]:
            prefix = "1 validation error detected: " if prefixed else ""
            keys = ", ".join(unused)
            return f"{prefix}Value provided in ExpressionAttribute{label} unused in expressions: keys: {{{keys}}}"
    return None


def _parts(operation: str, body: dict[str, Any]) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
    if operation in EXPRESSIONS:
        yield body, EXPRESSIONS[operation]
    for entry in body.get("TransactItems") or []:
        for kind, part in (entry or {}).items():
            if isinstance(part, dict):
                yield part, _TRANSACT_WRITE.get(kind, (PROJECTION,))


def _checker(operation: str) -> Any:
    def check(handler: DynamoHandler) -> None:
        body = handler.body if isinstance(handler.body, dict) else {}
        for part, fields in _parts(operation, body):
            if problem := _problem(part, fields, prefixed=operation in _PREFIXED):
                raise MockValidationException(problem)

    return check


def install() -> None:
    for operation in (*EXPRESSIONS, "transact_write_items", "transact_get_items"):
        setattr(DynamoHandler, operation, checked_first(_checker(operation), getattr(DynamoHandler, operation)))
