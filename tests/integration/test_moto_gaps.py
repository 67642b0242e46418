"""Each moto gap the harness fills (emulator/gaps.py), shown on the session's server; and each gap shown to
still exist in plain moto, so a moto upgrade that closes one tells us to drop the fill."""

from __future__ import annotations

import json
import re
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from dynemodb.harness.emulator import MotoServer, gaps
from dynemodb.harness.emulator.gaps import missing

TARGET = {"ServiceNamespace": "dynamodb", "ScalableDimension": "dynamodb:table:ReadCapacityUnits"}


def _register(client: Any, table: str, **extra: Any) -> str:
    return client.register_scalable_target(
        **TARGET, ResourceId=f"table/{table}", MinCapacity=1, MaxCapacity=5, **extra
    )["ScalableTargetARN"]


def test_the_missing_calls_docstring_lists_every_gap_moto_lacks() -> None:
    numbered = re.findall(r"^(\d+)\. ", missing.__doc__ or "", re.MULTILINE)
    lacking = [gap for gap in gaps.GAPS if gap.kind == "lacks"]
    assert [int(n) for n in numbered] == list(range(1, len(lacking) + 1))
    assert len({gap.id for gap in gaps.GAPS}) == len(gaps.GAPS)


def test_scalable_target_tags_are_kept_listed_and_changed(moto: MotoServer) -> None:
    moto.client("dynamodb").create_table(
        TableName="gap-tags",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )
    client = moto.client("application-autoscaling")
    arn = _register(client, "gap-tags", Tags={"team": "ingest"})
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"team": "ingest"}
    _register(client, "gap-tags", Tags={"team": "other"})  # re-registering does not retag
    client.tag_resource(ResourceARN=arn, Tags={"env": "dev"})
    client.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"env": "dev"}
    client.deregister_scalable_target(**TARGET, ResourceId="table/gap-tags")
    moto.client("dynamodb").delete_table(TableName="gap-tags")
    with pytest.raises(ClientError) as missing:
        client.list_tags_for_resource(ResourceARN=arn)
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"


def _document(statement: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _scoped_role_client(moto: MotoServer, name: str, resources: list[str]) -> Any:
    iam = moto.client("iam")
    trust = _document({"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"})
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
    policy = _document({"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": resources})
    iam.put_role_policy(RoleName=name, PolicyName="scoped", PolicyDocument=policy)
    role_arn = f"arn:aws:iam::{moto.account_id}:role/{name}"
    creds = moto.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="gap")["Credentials"]
    return moto.client(
        "dynamodb",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _table(moto: MotoServer, name: str) -> str:
    index = {"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}
    moto.client("dynamodb").create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("k", "g")],
        GlobalSecondaryIndexes=[{**index, "Projection": {"ProjectionType": "ALL"}}],
    )
    return f"arn:aws:dynamodb:{moto.region}:{moto.account_id}:table/{name}"


def _code(call: Any) -> str:
    try:
        call()
    except ClientError as exc:
        return str(exc.response["Error"]["Code"])
    return "ok"


def test_iam_enforcement_sees_the_table_and_index_arns(moto: MotoServer) -> None:
    mine, other = _table(moto, "gap-scoped"), _table(moto, "gap-other")
    client = _scoped_role_client(moto, "gap-scoped-role", [mine, f"{mine}/index/*"])
    key = {"k": {"S": "a"}}
    query = {"IndexName": "by-g", "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": {"S": "x"}}}
    moto.enforce_iam(True)
    try:
        results = {
            "get mine": _code(lambda: client.get_item(TableName="gap-scoped", Key=key)),
            "query my index": _code(lambda: client.query(TableName="gap-scoped", **query)),
            "get other": _code(lambda: client.get_item(TableName="gap-other", Key=key)),
            "query other index": _code(lambda: client.query(TableName="gap-other", **query)),
            "put mine": _code(lambda: client.put_item(TableName="gap-scoped", Item=key)),
        }
    finally:
        moto.enforce_iam(False)
        for table in ("gap-scoped", "gap-other"):
            moto.client("dynamodb").delete_table(TableName=table)
    assert other.endswith("gap-other")
    assert results == {
        "get mine": "ok",
        "query my index": "ok",
        "get other": "AccessDeniedException",
        "query other index": "AccessDeniedException",
        "put mine": "AccessDeniedException",
    }


@mock_aws
def test_plain_moto_still_lacks_autoscaling_tags() -> None:
    # mock_aws in this process: gaps.install() only ever runs in the server process, so this is moto as is.
    client = boto3.client("application-autoscaling", region_name="us-east-1")
    arn = _register(client, "plain", Tags={"team": "ingest"})
    with pytest.raises((ClientError, NotImplementedError)):
        client.list_tags_for_resource(ResourceARN=arn)
