"""Tag rules AWS enforces on the table, its alarms and its scalable targets, which moto 5.2.5 does not."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.responses import CloudWatchResponse
from moto.dynamodb.exceptions import MockValidationException, ResourceNotFoundException
from moto.dynamodb.responses import DynamoHandler

from dynemodb.harness.emulator.gaps.registry import Gap, checked_first, table_by_arn

MAX_TAGS = 50
MAX_KEY = 128
MAX_VALUE = 256
# DynamoDB's own list has no "@"; the general AWS rule (CloudWatch, Application Auto Scaling) has it.
DYNAMODB_SPECIALS = "+-=._:/ "
GENERAL_SPECIALS = "+-=._:/@ "

GAPS = (
    Gap(
        "tag-rules",
        "differs",
        "dynamodb:CreateTable/TagResource, cloudwatch:PutMetricAlarm/TagResource, "
        "application-autoscaling:RegisterScalableTarget/TagResource",
        "at most 50 tags per resource; keys 1-128 and values 0-256 characters of letters, digits, spaces "
        "and + - = . _ : / (and @ outside DynamoDB); no key starting with 'aws:'. moto stores anything.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html#TaggingRestrictions; "
        "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions",
    ),
    Gap(
        "tag-resource-table-exists",
        "differs",
        "dynamodb:TagResource / UntagResource",
        "tagging or untagging a table ARN that names no table of the account and Region is a "
        "ResourceNotFoundException; moto answers OK and changes nothing, so tags sent to a mistyped ARN were lost "
        "silently (its ListTagsOfResource already refuses the same ARN).",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html (Errors: "
        "ResourceNotFoundException); AWS's answer as captured in scylladb/scylladb's alternator tests "
        "(test_tag.py, test_tag_resource_subtly_incorrect_arn: 'DynamoDB returns ResourceNotFoundException')",
    ),
)


def tag_problem(tags: dict[str, str], specials: str, existing: Iterable[str] = ()) -> str | None:
    """What is wrong with this set of tags by AWS's rules, or None."""
    if len(set(existing) | set(tags)) > MAX_TAGS:
        return f"a resource can have at most {MAX_TAGS} tags"
    for key, value in tags.items():
        if key.lower().startswith("aws:"):
            return f"tag key {key!r}: the 'aws:' prefix is reserved for AWS"
        if not 1 <= len(key) <= MAX_KEY or len(value or "") > MAX_VALUE:
            return f"tag {key!r}: keys are 1-{MAX_KEY} and values 0-{MAX_VALUE} characters"
        for text in (key, value or ""):
            bad = [c for c in text if not (unicodedata.category(c)[0] in "LNZ" or c in specials)]
            if bad:
                return f"tag {key!r}: {bad[0]!r} is not allowed (letters, digits, spaces and {specials.strip()})"
    return None


def _dynamodb_tags(handler: DynamoHandler) -> None:
    tags = {t.get("Key"): t.get("Value", "") for t in handler.body.get("Tags") or []}
    existing: list[str] = []
    if "ResourceArn" in handler.body:
        try:
            existing = [t["Key"] for t in handler.dynamodb_backend.list_tags_of_resource(handler.body["ResourceArn"])]
        except Exception:  # an unknown ARN: moto answers that itself
            existing = []
    problem = tag_problem(tags, DYNAMODB_SPECIALS, existing)
    if problem:
        raise MockValidationException(f"One or more parameter values were invalid: {problem}")


def _tagged_table_exists(handler: DynamoHandler) -> None:
    arn = handler.body.get("ResourceArn")
    names_a_table = isinstance(arn, str) and ":table/" in arn and "/" not in arn.split(":table/", 1)[1]
    if names_a_table and table_by_arn(handler.dynamodb_backend, arn) is None:
        raise ResourceNotFoundException()


def _cloudwatch_tags(handler: CloudWatchResponse) -> None:
    tags = {t.get("Key"): t.get("Value", "") for t in handler._get_param("Tags", []) or []}
    existing: list[str] = []
    arn = handler._get_param("ResourceARN")
    if arn:
        existing = list(handler.cloudwatch_backend.list_tags_for_resource(arn))
    problem = tag_problem(tags, GENERAL_SPECIALS, existing)
    if problem:
        raise ValidationError(problem)


def _autoscaling_tags(handler: ApplicationAutoScalingResponse) -> None:
    tags = handler._get_param("Tags") or {}
    problem = tag_problem(tags, GENERAL_SPECIALS)
    if problem:
        raise AWSValidationException(problem)


def install() -> None:
    """Run after missing.install(): it wraps the autoscaling tag calls that fill implements."""
    for name in ("tag_resource", "untag_resource"):  # after the tag rules, which are checked first
        setattr(DynamoHandler, name, checked_first(_tagged_table_exists, getattr(DynamoHandler, name)))
    for name in ("create_table", "tag_resource"):
        setattr(DynamoHandler, name, checked_first(_dynamodb_tags, getattr(DynamoHandler, name)))
    for name in ("put_metric_alarm", "tag_resource"):
        setattr(CloudWatchResponse, name, checked_first(_cloudwatch_tags, getattr(CloudWatchResponse, name)))
    for name in ("register_scalable_target", "tag_resource"):
        action = getattr(ApplicationAutoScalingResponse, name)
        setattr(ApplicationAutoScalingResponse, name, checked_first(_autoscaling_tags, action))
