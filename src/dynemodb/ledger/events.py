"""Ledger ids from what S3 sends: a record of an S3 event notification, or an EventBridge event from S3.

What each carries, and where AWS says so:
- a notification record (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html):
  `eventName` ("ObjectCreated:Put", "ObjectRemoved:Delete", ...) and `s3.object` with `key`, `eTag` and, from a
  versioned bucket, `versionId`. The key is URL-encoded ("red flower.jpg" arrives as "red+flower.jpg").
- an EventBridge event (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html): `source` "aws.s3",
  `detail-type` ("Object Created", "Object Deleted", ...) and `detail.object` with `key`, `etag` and `version-id`.
  Its key is encoded the same way: Powertools' and OpenSearch Data Prepper's S3 EventBridge readers decode it.

Only a created object is a file to load. A removal names none (and a delete marker's version id is no content), so
it is refused with what to subscribe to instead, as are the wrappers a record arrives in (SQS, SNS, the whole
notification), which name the object only inside.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

from .identity import s3_file_id

_BY = ("key", "version_id", "etag")
_CREATED_RECORD = "ObjectCreated:"
_CREATED_EVENT = "Object Created"


def from_s3_event(record: Mapping[str, Any], *, by: str = "key") -> str:
    """The ledger id of the object one S3 event names: a record of ``event["Records"]`` of an S3 notification, or
    an EventBridge event from S3 itself.

    by="key", "version_id" or "etag". The id holds the key as stored (events URL-encode it, "+" for a space).
    Only object-created events are read; the others raise ValueError saying what to pass instead.
    """
    if by not in _BY:
        raise ValueError(f"by must be 'key', 'version_id' or 'etag', got {by!r}")
    bucket, key, version_id, etag = _created_object(record)
    where = f"s3://{bucket}/{key}"
    if by == "version_id":
        if version_id is None:
            raise ValueError(f"the event for {where} has no versionId: enable versioning on the bucket, or key by etag")
        return s3_file_id(bucket, key, version_id=version_id)
    if by == "etag":
        if etag is None:
            raise ValueError(f"the event for {where} has no ETag: pass a record of an object-created event")
        return s3_file_id(bucket, key, etag=etag)
    return s3_file_id(bucket, key)


def _created_object(record: Any) -> tuple[str, str, str | None, str | None]:
    """(bucket, key decoded, version id, ETag) of the object an object-created event names."""
    if not isinstance(record, Mapping):
        raise ValueError(f"an S3 event record is a dict (one of event['Records']), got {type(record).__name__}")
    if "Records" in record:
        raise ValueError(
            "this is a whole S3 notification: pass each of its records, [from_s3_event(r) for r in event['Records']]"
        )
    if record.get("Event") == "s3:TestEvent":
        raise ValueError("this is S3's test event (sent when a notification is set up): it names no object; skip it")
    if record.get("eventSource") == "aws:sqs" or "body" in record:
        raise ValueError(f"this is an SQS message: {_sqs_unwrap(record.get('body'))}")
    if "Sns" in record:
        raise ValueError(
            "this is an SNS record: S3's notification is its message, "
            "[from_s3_event(r) for r in json.loads(record['Sns']['Message'])['Records']]"
        )
    if record.get("source") == "aws.s3" and "detail" in record:
        kind = record.get("detail-type")
        if kind != _CREATED_EVENT:
            raise ValueError(
                f"an EventBridge {kind!r} event names no file to load: match detail-type {_CREATED_EVENT!r} only "
                "in the rule that targets this function"
            )
        root, names = "detail", ("version-id", "etag")
    elif "s3" in record:
        kind = record.get("eventName")
        # Hand-made records (tests, replays) may leave eventName out; S3's own always carry it.
        if kind is not None and not str(kind).startswith(_CREATED_RECORD):
            raise ValueError(
                f"an {kind!r} event names no file to load: notify this function of s3:ObjectCreated:* events only, "
                f"or skip records whose eventName does not start with {_CREATED_RECORD!r}"
            )
        root, names = "s3", ("versionId", "eTag")
    else:
        raise ValueError(
            "not an S3 event: pass one record of an S3 notification's event['Records'], or an EventBridge event "
            f"from S3 (source 'aws.s3'); got keys {sorted(record)}"
        )
    bucket, obj = _field(record, root, "bucket", "name"), _field(record, root, "object")
    key = _field(record, root, "object", "key")
    version_id, etag = (obj.get(name) for name in names)
    return bucket, unquote_plus(key), version_id, etag


# What an SQS message's body holds, by who sent it to the queue, and the expression that unwraps it.
_SQS_BODIES = {
    "S3": "S3's notification is its body, [from_s3_event(r) for r in json.loads(record['body'])['Records']]",
    "EventBridge": "an EventBridge rule's event is its body, from_s3_event(json.loads(record['body']))",
    "SNS": (
        "an SNS envelope is its body (raw message delivery off), "
        "[from_s3_event(r) for r in json.loads(json.loads(record['body'])['Message'])['Records']]"
    ),
}


def _sqs_unwrap(body: Any) -> str:
    try:
        document = json.loads(body) if isinstance(body, str) else None
    except ValueError:
        document = None
    if isinstance(document, Mapping):
        sender = "EventBridge" if document.get("source") == "aws.s3" else None
        sender = "SNS" if document.get("Type") == "Notification" else sender
        sender = "S3" if "Records" in document else sender
        if sender is not None:
            return _SQS_BODIES[sender]
    return "; ".join(f"sent by {sender}, {how}" for sender, how in _SQS_BODIES.items())


def _field(value: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(value, Mapping) or value.get(step) in (None, ""):
            raise ValueError(f"the S3 event has no {'.'.join(path)}: pass the record as S3 sent it")
        value = value[step]
    return value
