"""The sandbox commands' guard and sweep, exercised against moto (its STS answers account 123456789012):
they refuse an account that is not allow-listed, refuse without an allow-list, say plainly when there are
no credentials, and the sweep deletes only what sandbox runs tagged long enough ago."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dynemodb.harness.emulator import MotoServer
from dynemodb.harness.integration.cleanup import reap, tagged
from dynemodb.harness.integration.deployment import CREATED_AT_TAG, HARNESS_TAG, RUN_ID_TAG
from dynemodb.harness.sandbox.guard import SandboxRefused, allowed_accounts
from dynemodb.harness.sandbox.sweep import is_stale

NOW = 1_800_000_000.0


def _sandbox(tmp_path: Path, *args: str, endpoint: str | None, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SANDBOX_"))}
    base |= {
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    if endpoint:
        # Every boto3 client of the child goes to moto, credentials are dummies: nothing can reach AWS.
        base |= {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "dummy", "AWS_SECRET_ACCESS_KEY": "dummy"}
    command = [sys.executable, "-m", "dynemodb.harness.sandbox", *args]
    return subprocess.run(command, env=base | env, capture_output=True, text=True, timeout=120, cwd=tmp_path)


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_refuses_an_account_that_is_not_allow_listed(moto: MotoServer, tmp_path: Path, command: str) -> None:
    tables_before = _listed(moto.client("dynamodb"), "list_tables", "TableNames")
    result = _sandbox(tmp_path, command, endpoint=moto.endpoint, SANDBOX_ACCOUNT_IDS="111111111111,222222222222")
    assert result.returncode == 3, result.stderr
    assert "refused: Account 123456789012 is not in SANDBOX_ACCOUNT_IDS" in result.stderr
    assert not (tmp_path / ".dynemodb").exists()  # it staged nothing
    assert _listed(moto.client("dynamodb"), "list_tables", "TableNames") == tables_before


@pytest.mark.parametrize(("allow_list", "message"), [("", "is not set"), ("12345 123456789012", "not 12-digit")])
def test_refuses_without_a_valid_allow_list(moto: MotoServer, tmp_path: Path, allow_list: str, message: str) -> None:
    result = _sandbox(tmp_path, "run", endpoint=moto.endpoint, SANDBOX_ACCOUNT_IDS=allow_list)
    assert result.returncode == 3, result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_says_plainly_when_there_are_no_credentials(tmp_path: Path, command: str) -> None:
    result = _sandbox(tmp_path, command, endpoint=None, SANDBOX_ACCOUNT_IDS="123456789012")
    assert result.returncode == 2, result.stderr
    assert "No AWS credentials found" in result.stderr
    assert "nox -s integration" in result.stderr
    assert "Traceback" not in result.stderr


def test_allow_list_parsing() -> None:
    assert allowed_accounts({"SANDBOX_ACCOUNT_IDS": " 111111111111, 222222222222\n333333333333 "}) == {
        "111111111111",
        "222222222222",
        "333333333333",
    }
    assert allowed_accounts({}) == frozenset()
    with pytest.raises(SandboxRefused):
        allowed_accounts({"SANDBOX_ACCOUNT_IDS": "arn:aws:iam::111111111111:root"})


@pytest.mark.parametrize(
    ("tags", "stale"),
    [
        ({HARNESS_TAG: "sandbox", CREATED_AT_TAG: str(NOW - 7 * 3600)}, True),
        ({HARNESS_TAG: "sandbox", CREATED_AT_TAG: str(NOW - 5 * 3600)}, False),
        ({HARNESS_TAG: "moto", CREATED_AT_TAG: str(NOW - 7 * 3600)}, False),
        ({HARNESS_TAG: "sandbox", CREATED_AT_TAG: "yesterday"}, False),
        ({HARNESS_TAG: "sandbox"}, False),
        ({}, False),
    ],
)
def test_what_counts_as_stale(tags: dict[str, str], stale: bool) -> None:
    assert is_stale(tags, NOW, older_than_hours=6) is stale


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _create_tagged(moto: MotoServer, name: str, tags: dict[str, str]) -> dict[str, Any]:
    """One resource of each kind the examples create, all carrying `tags`."""
    ddb, iam, cw, sns, kms = (moto.client(s) for s in ("dynamodb", "iam", "cloudwatch", "sns", "kms"))
    aas = moto.client("application-autoscaling")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "file_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "file_id", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        DeletionProtectionEnabled=True,
        Tags=_tag_list(tags),
    )
    target = {
        "ServiceNamespace": "dynamodb",
        "ResourceId": f"table/{name}",
        "ScalableDimension": "dynamodb:table:ReadCapacityUnits",
    }
    aas.register_scalable_target(**target, MinCapacity=1, MaxCapacity=5, Tags=tags)
    metric = {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"}
    aas.put_scaling_policy(
        PolicyName=f"{name}-read", PolicyType="TargetTrackingScaling", **target,
        TargetTrackingScalingPolicyConfiguration={"TargetValue": 70.0, "PredefinedMetricSpecification": metric},
    )  # fmt: skip
    glue = {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}
    trust = {"Version": "2012-10-17", "Statement": [glue]}
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust), Tags=_tag_list(tags))
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}],
    }
    policy_arn = iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(document), Tags=_tag_list(tags))[
        "Policy"
    ]["Arn"]
    iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    cw.put_metric_alarm(
        AlarmName=name, Namespace="AWS/DynamoDB", MetricName="ReadThrottleEvents", Statistic="Sum", Period=60,
        EvaluationPeriods=1, Threshold=0, ComparisonOperator="GreaterThanThreshold", Tags=_tag_list(tags),
    )  # fmt: skip
    topic = sns.create_topic(Name=name, Tags=_tag_list(tags))["TopicArn"]
    key = kms.create_key(Tags=[{"TagKey": k, "TagValue": v} for k, v in tags.items()])["KeyMetadata"]["KeyId"]
    return {"table": name, "role": name, "policy": policy_arn, "alarm": name, "topic": topic, "key": key}


def _listed(client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    # Every page: the suite's server holds more than one page of tables by the time this runs.
    return [entry for page in client.get_paginator(operation).paginate(**params) for entry in page[key]]


def _exists(moto: MotoServer, made: dict[str, Any]) -> dict[str, bool]:
    tables = _listed(moto.client("dynamodb"), "list_tables", "TableNames")
    roles = [r["RoleName"] for r in _listed(moto.client("iam"), "list_roles", "Roles")]
    policies = [p["Arn"] for p in _listed(moto.client("iam"), "list_policies", "Policies", Scope="Local")]
    alarms = [a["AlarmName"] for a in _listed(moto.client("cloudwatch"), "describe_alarms", "MetricAlarms")]
    topics = [t["TopicArn"] for t in _listed(moto.client("sns"), "list_topics", "Topics")]
    key_state = moto.client("kms").describe_key(KeyId=made["key"])["KeyMetadata"]["KeyState"]
    targets = _listed(
        moto.client("application-autoscaling"),
        "describe_scalable_targets",
        "ScalableTargets",
        ServiceNamespace="dynamodb",
    )
    return {
        "table": made["table"] in tables,
        "target": any(t["ResourceId"] == f"table/{made['table']}" for t in targets),
        "role": made["role"] in roles,
        "policy": made["policy"] in policies,
        "alarm": made["alarm"] in alarms,
        "topic": made["topic"] in topics,
        "key": key_state != "PendingDeletion",
    }


def test_sweep_deletes_only_old_sandbox_resources(moto: MotoServer, tmp_path: Path) -> None:
    now = time.time()
    old = _create_tagged(
        moto, "sweep-old", {HARNESS_TAG: "sandbox", CREATED_AT_TAG: str(int(now - 8 * 3600)), RUN_ID_TAG: "r1"}
    )
    young = _create_tagged(
        moto, "sweep-young", {HARNESS_TAG: "sandbox", CREATED_AT_TAG: str(int(now - 600)), RUN_ID_TAG: "r2"}
    )
    other = _create_tagged(moto, "sweep-moto", {HARNESS_TAG: "moto", CREATED_AT_TAG: str(int(now - 8 * 3600))})
    untagged = _create_tagged(moto, "sweep-untagged", {"Project": "MetricCare"})

    result = _sandbox(
        tmp_path, "sweep", "--older-than-hours", "6", endpoint=moto.endpoint, SANDBOX_ACCOUNT_IDS="123456789012"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 found, 0 failed" in result.stdout, result.stdout

    assert not any(_exists(moto, old).values()), _exists(moto, old)
    for kept in (young, other, untagged):
        assert all(_exists(moto, kept).values()), _exists(moto, kept)
    # Tidy up the server for the tests that follow, with the same code the sweep uses.
    names = {"sweep-young", "sweep-moto", "sweep-untagged"}
    leftover = [f for f in tagged(moto.client, lambda tags: True) if any(n in f.ident for n in names)]
    assert reap(moto.client, leftover) == []
