"""Request members outside the constraints of AWS's API model (enum values, lengths, ranges), which AWS refuses
before it reads anything and moto 5.2.5 mostly takes. The constraints are the model's: the same ones the API
reference pages list as "Valid Values", "Length Constraints" and "Valid Range", and botocore ships them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from botocore.model import ListShape, Shape, StringShape, StructureShape
from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.utils import camelcase_to_underscores, get_service_model
from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.responses import DynamoHandler

from dynemodb.harness.emulator.gaps.registry import Gap

GAPS = (
    Gap(
        "request-members-within-the-model",
        "differs",
        "dynamodb:*, application-autoscaling:*, monitoring:* (every operation the model describes)",
        "a member outside its documented values, length or range is refused before anything is read: "
        "ValidationException '1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' "
        "failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]' (several: 'N "
        "validation errors detected: ...; ...'). moto checks a few members (Select, KeyType, ReturnValues) and "
        "takes the rest: a ReturnValuesOnConditionCheckFailure of ALL_NEW, TotalSegments over 1,000,000, an alarm "
        "description over 1,024 characters or more than 30 dimensions, an unknown ComparisonOperator or Statistic.",
        "the API references' parameter constraints (for example "
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html, "
        "ReturnValuesOnConditionCheckFailure 'Valid Values: ALL_OLD | NONE'; "
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, "
        "AlarmDescription 0-1024, Dimensions at most 30 items), as botocore's service models carry them; AWS's "
        "wording as captured in nubo-db/dynoxide#11 (exact strings from DynamoDB, list values rendered as Java "
        "objects) and ExtendDB/extenddb#9 (enum order as the model gives it), and as moto words the members it "
        "checks",
    ),
)

_SERVICES: dict[type[Any], tuple[str, Callable[[str], Exception]]] = {
    DynamoHandler: ("dynamodb", MockValidationException),
    ApplicationAutoScalingResponse: ("application-autoscaling", AWSValidationException),
    CloudWatchResponse: ("cloudwatch", ValidationError),
}
_NUMBERS = {"integer", "long", "float", "double"}


def _member_name(name: str) -> str:
    return name[:1].lower() + name[1:]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _render(shape: Shape, value: Any) -> str:
    """A value as AWS prints it in these messages: structures and lists as Java's toString gives them."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict) and isinstance(shape, StructureShape):
        members = shape.members
        inner = ", ".join(f"{_member_name(k)}={_render(members[k], v)}" for k, v in value.items() if k in members)
        return f"{shape.name}({inner})"
    if isinstance(value, list) and isinstance(shape, ListShape):
        return "[" + ", ".join(_render(shape.member, v) for v in value) + "]"
    return str(value)


def _bounds(shape: Shape, measured: float, what: str) -> Iterator[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and measured < low:
        yield f"Member must have {what} greater than or equal to {_number(low)}"
    if high is not None and measured > high:
        yield f"Member must have {what} less than or equal to {_number(high)}"


def _constraints(shape: Shape, value: Any) -> Iterator[str]:
    """What ``value`` breaks of its own shape's constraints (not of its members')."""
    if isinstance(shape, StringShape) and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            yield f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
        yield from _bounds(shape, len(value), "length")
    elif isinstance(shape, ListShape) and isinstance(value, list):
        yield from _bounds(shape, len(value), "length")
    elif shape.type_name in _NUMBERS and not isinstance(value, bool):
        try:
            yield from _bounds(shape, float(value), "value")
        except (TypeError, ValueError):
            return  # not a number: moto's own answer


def _problems(shape: Shape, value: Any, path: str) -> Iterator[str]:
    """Each constraint a request member (and what it holds) breaks, as AWS words it. Maps (RequestItems, Item,
    ExpressionAttributeValues) are left to moto and the other fills: AWS words a map value's constraints in a
    form of its own ('Map value must satisfy constraint: [...]', dynamodb_batches.py)."""
    if value is None:
        return
    for broken in _constraints(shape, value):
        yield f"Value '{_render(shape, value)}' at '{path}' failed to satisfy constraint: {broken}"
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        for name, member in shape.members.items():
            where = f"{path}.{_member_name(name)}" if path else _member_name(name)
            yield from _problems(member, value.get(name), where)
    elif isinstance(shape, ListShape) and isinstance(value, list):
        for index, item in enumerate(value, 1):
            yield from _problems(shape.member, item, f"{path}.{index}.member")


def _params(handler: Any) -> Any:
    if getattr(handler, "automated_parameter_parsing", False):
        return getattr(handler, "params", None)
    try:
        return json.loads(handler.body or "{}")
    except (TypeError, ValueError):
        return None  # not JSON: moto's own answer


def _checked(shape: Shape | None, refusal: Callable[[str], Exception], action: Any) -> Any:
    def fill(handler: Any) -> Any:
        params = _params(handler)
        problems = list(_problems(shape, params, "")) if shape is not None and isinstance(params, dict) else []
        if problems:
            count = f"{len(problems)} validation error{'s' if len(problems) > 1 else ''} detected: "
            raise refusal(count + "; ".join(problems))
        return action(handler)

    return fill


def install() -> None:
    """Wrap every operation of the three services' handlers: installed last, so this check runs first."""
    for handler, (service, refusal) in _SERVICES.items():
        model = get_service_model(service)
        for operation in model.operation_names:
            method = camelcase_to_underscores(operation)
            if callable(getattr(handler, method, None)):
                shape = model.operation_model(operation).input_shape
                setattr(handler, method, _checked(shape, refusal, getattr(handler, method)))
