"""Ids from what S3 sends: notification records and EventBridge events of created objects; nothing else."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import from_s3_event

# As S3 sends them (notification-content-structure.html, ev-events.html), for one object of a versioned bucket.
KEY_AS_SENT, KEY = "raw/orders%2C+2024+%281%29.csv", "raw/orders, 2024 (1).csv"
UNVERSIONED: dict[str, Any] = {"version-id": None}  # EventBridge's name for it has a dash


def notification_record(event_name: str = "ObjectCreated:Put", **obj: Any) -> dict[str, Any]:
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "eu-west-1",
        "eventName": event_name,
        "s3": {
            "s3SchemaVersion": "1.0",
            "bucket": {"name": "landing", "arn": "arn:aws:s3:::landing"},
            "object": {"key": KEY_AS_SENT, "size": 5, "eTag": "b1946ac9", "versionId": "v7", "sequencer": "01", **obj},
        },
    }


def eventbridge_event(detail_type: str = "Object Created", **obj: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "detail-type": detail_type,
        "source": "aws.s3",
        "region": "eu-west-1",
        "resources": ["arn:aws:s3:::landing"],
        "detail": {
            "version": "0",
            "bucket": {"name": "landing"},
            "object": {"key": KEY_AS_SENT, "size": 5, "etag": "b1946ac9", "version-id": "v7", "sequencer": "01", **obj},
            "reason": "PutObject",
        },
    }


@pytest.mark.parametrize("sent", [notification_record(), eventbridge_event()], ids=["notification", "eventbridge"])
@pytest.mark.parametrize(
    ("by", "file_id"),
    [
        ("key", f"s3://landing/{KEY}"),
        ("version_id", f"s3://landing/{KEY}?versionId=v7"),
        ("etag", f"s3://landing/{KEY}?etag=b1946ac9"),
    ],
)
def test_a_created_object_is_named_by_its_key_as_stored(sent: dict[str, Any], by: str, file_id: str) -> None:
    assert from_s3_event(sent, by=by) == file_id


def test_a_hand_made_record_without_an_event_name_is_read_as_created() -> None:
    record = notification_record()
    del record["eventName"]
    assert from_s3_event(record) == f"s3://landing/{KEY}"


@pytest.mark.parametrize(
    ("sent", "by", "message"),
    [
        ({"Records": [notification_record()]}, "key", r"whole S3 notification: pass each of its records"),
        ({"eventSource": "aws:sqs", "body": "{}"}, "key", r"an SQS message: sent by S3, .*; sent by EventBridge, "),
        ({"EventSource": "aws:sns", "Sns": {"Message": "{}"}}, "key", r"an SNS record: .*record\['Sns'\]\['Message'\]"),
        ({"Service": "Amazon S3", "Event": "s3:TestEvent"}, "key", "S3's test event"),
        (notification_record("ObjectRemoved:Delete"), "key", r"'ObjectRemoved:Delete' event names no file"),
        (notification_record("ObjectRemoved:DeleteMarkerCreated"), "version_id", r"s3:ObjectCreated:\* events only"),
        (eventbridge_event("Object Deleted"), "key", r"EventBridge 'Object Deleted' event .* 'Object Created' only"),
        ({"detail": {}, "source": "aws.ec2"}, "key", r"not an S3 event: .*got keys \['detail', 'source'\]"),
        (notification_record(key=""), "key", "has no s3.object.key"),
        (notification_record(versionId=None), "version_id", "has no versionId: enable versioning"),
        (eventbridge_event(**UNVERSIONED), "version_id", "has no versionId: enable versioning"),
        (notification_record(eTag=None), "etag", "has no ETag"),
        (notification_record(), "sequencer", "by must be 'key', 'version_id' or 'etag'"),
    ],
    ids=[
        "whole notification",
        "sqs message",
        "sns record",
        "test event",
        "removed",
        "delete marker by version",
        "eventbridge deleted",
        "another service",
        "no key",
        "unversioned bucket",
        "unversioned bucket, eventbridge",
        "no etag",
        "unknown scheme",
    ],
)
def test_what_names_no_created_object_is_refused_with_what_to_pass(sent: Any, by: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_s3_event(sent, by=by)


@pytest.mark.parametrize(
    ("sender", "body"),
    [
        ("S3", lambda: {"Records": [notification_record()]}),
        ("EventBridge", lambda: eventbridge_event()),
        ("SNS", lambda: {"Type": "Notification", "Message": json.dumps({"Records": [notification_record()]})}),
    ],
)
def test_the_sqs_refusal_gives_the_expression_that_unwraps_what_the_queue_got(
    sender: str, body: Callable[[], dict[str, Any]]
) -> None:
    record = {"eventSource": "aws:sqs", "body": json.dumps(body())}
    with pytest.raises(ValueError) as refused:
        from_s3_event(record)
    expression = str(refused.value).rsplit(", ", 1)[-1]
    ids = eval(expression, {"from_s3_event": from_s3_event, "json": json, "record": record})
    assert (ids if isinstance(ids, list) else [ids]) == [f"s3://landing/{KEY}"]
