"""Content identity: ids that tell an overwritten object from the one loaded before, and read it back."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from dynemodb.ledger import Ledger, S3Object, parse_s3_file_id, s3_file_id

# (key, version_id, etag, the id)
IDS = [
    ("a/b.csv", None, None, "s3://landing/a/b.csv"),
    (
        "a/b.csv",
        "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
        None,
        "s3://landing/a/b.csv?versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY",
    ),
    (
        "a/b.csv",
        None,
        '"9b2cf535f27731c974343645a3985328"',
        "s3://landing/a/b.csv?etag=9b2cf535f27731c974343645a3985328",
    ),
    (
        "a/b.csv",
        None,
        "d41d8cd98f00b204e9800998ecf8427e-2",
        "s3://landing/a/b.csv?etag=d41d8cd98f00b204e9800998ecf8427e-2",
    ),
    ("odd?versionId=x,y #z", "v1", None, "s3://landing/odd?versionId=x,y #z?versionId=v1"),
]


@pytest.mark.parametrize(("key", "version_id", "etag", "file_id"), IDS)
def test_ids_read_like_s3_uris_and_parse_back(key: str, version_id: str | None, etag: str | None, file_id: str) -> None:
    assert s3_file_id("landing", key, version_id=version_id, etag=etag) == file_id
    assert parse_s3_file_id(file_id) == S3Object("landing", key, version_id, etag and etag.strip('"'))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"version_id": "null"}, "has the version id 'null'"),
        ({"version_id": "v", "etag": "e"}, "not both"),
        ({"etag": '""'}, "etag must be the object's ETag"),
        ({"version_id": ""}, "version_id must be"),
    ],
    ids=["unversioned null", "both", "empty etag", "empty version"],
)
def test_ids_that_identify_nothing_are_refused(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        s3_file_id("landing", "k", **arguments)


@pytest.fixture
def s3(mocked_aws: None) -> Any:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="landing")
    return client


def test_an_overwrite_is_a_new_file_by_etag_and_the_old_id_cannot_read_new_bytes(s3: Any, ledger: Ledger) -> None:
    s3.put_object(Bucket="landing", Key="k", Body=b"v1")
    first = s3_file_id("landing", "k", etag=s3.head_object(Bucket="landing", Key="k")["ETag"])
    claim = ledger.claim(first)
    assert claim is not None
    s3.put_object(Bucket="landing", Key="k", Body=b"v2")  # overwritten before the load read it

    with pytest.raises(ClientError) as changed:
        s3.get_object(**parse_s3_file_id(first).get_object_args())
    assert changed.value.response["Error"]["Code"] == "PreconditionFailed"
    ledger.fail(claim, changed.value)

    second = s3_file_id("landing", "k", etag=s3.head_object(Bucket="landing", Key="k")["ETag"])
    assert second != first and ledger.unprocessed([first, second]) == [first, second]
    assert s3.get_object(**parse_s3_file_id(second).get_object_args())["Body"].read() == b"v2"


def test_an_id_too_long_for_a_key_is_refused_before_any_request(ledger: Ledger) -> None:
    file_id = s3_file_id("landing", "k" * 1024, version_id="v" * 1024)
    with pytest.raises(ValueError, match="DynamoDB keys hold at most 2048"):
        ledger.claim(file_id)
