"""The ledger client against the table the module built, so the table's schema has one source of truth:
claim, complete, fail, unprocessed and the audit report (from the audit index), run as the example's own
Glue role (writer) and Lambda role (reader), and the report as a monitoring role holding the module's
auditor policy, with moto's IAM enforcement on. And the ledger's schema
constants are what DescribeTable reports for every example."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from dynemodb.harness.emulator import MotoServer
from dynemodb.harness.integration.expected import EXAMPLES
from dynemodb.harness.integration.iam import Decision, evaluate
from dynemodb.harness.integration.run import Batch
from dynemodb.harness.integration.verify import policy_arn, policy_document
from dynemodb.ledger import COMPLETED, FAILED, IN_PROGRESS, Ledger, schema
from dynemodb.ledger.audit import collect, index_problem

FILES = [f"s3://landing/metriccare/2024/05/01/part-{n:04d}.parquet" for n in range(6)]


def _role_client(moto: MotoServer, role_name: str) -> Any:
    role_arn = f"arn:aws:iam::{moto.account_id}:role/{role_name}"
    credentials = moto.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="ledger-test")["Credentials"]
    return moto.client(
        "dynamodb",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def _auditor_role(moto: MotoServer, dep: Any) -> str:
    """A monitoring role holding the module's auditor policy (the examples attach it to no role)."""
    iam, name = moto.client("iam"), f"{dep.table_name}-monitoring"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                      "Principal": {"Service": "lambda.amazonaws.com"}}]}  # fmt: skip
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn(dep, "auditor"))
    return name


def test_ledger_lifecycle_and_audit_on_the_module_table(batch: Batch, moto: MotoServer) -> None:
    dep = batch.deployment("complete")
    glue = _role_client(moto, dep.outputs["glue_role_name"])
    lam = _role_client(moto, dep.outputs["lambda_role_name"])
    monitoring_role = _auditor_role(moto, dep)
    auditor = _role_client(moto, monitoring_role)
    moto.enforce_iam(True)
    try:
        writer = Ledger(dep.table_name, client=glue, retention_days=90, lease_seconds=600)
        reader = Ledger(dep.table_name, client=lam)
        assert reader.unprocessed(FILES) == FILES

        claims = {file_id: writer.claim(file_id, owner="glue-job-run-1") for file_id in FILES}
        assert all(claims.values())
        held = {file_id: claim for file_id, claim in claims.items() if claim is not None}  # all, as asserted
        assert writer.claim(FILES[0], owner="glue-job-run-2") is None  # leased by run 1
        writer.complete(held[FILES[0]], rows=1200, output="s3://curated/part-0000")
        writer.complete(held[FILES[1]], rows=10)
        writer.fail(held[FILES[2]], RuntimeError("schema mismatch in column visit_date"))

        # Completed files are done; the failed one may be retried; the rest are leased.
        assert reader.unprocessed(FILES) == [FILES[2]]
        record = reader.get(FILES[0])
        assert record is not None
        assert record["status"] == COMPLETED and record["metadata"] == {
            "rows": 1200,
            "output": "s3://curated/part-0000",
        }
        assert record[schema.DEFAULT_TTL_ATTRIBUTE] > time.time() + 89 * 86400

        # The Lambda reads; it cannot claim.
        with pytest.raises(ClientError) as denied:
            reader.claim(FILES[3])
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"

        warnings: list[str] = []
        report = collect(
            auditor,
            dep.table_name,
            since=time.time() - 3600,
            statuses=schema.STATUSES,
            index_name=dep.outputs["audit_index_name"],
            ttl_attribute=schema.DEFAULT_TTL_ATTRIBUTE,
            now=time.time() + 1200,  # past the 600 s leases: the in-progress claims are stale by then
            warn=warnings.append,
        )
    finally:
        moto.enforce_iam(False)
        iam = moto.client("iam")
        iam.detach_role_policy(RoleName=monitoring_role, PolicyArn=policy_arn(dep, "auditor"))
        iam.delete_role(RoleName=monitoring_role)
    assert warnings == []
    assert report.source == f"index {schema.AUDIT_INDEX_NAME}"
    assert report.counts == {IN_PROGRESS: 3, COMPLETED: 2, FAILED: 1}
    assert [(f["file_id"], f["error"]) for f in report.failures] == [
        (FILES[2], "RuntimeError: schema mismatch in column visit_date")
    ]
    assert sorted(c["file_id"] for c in report.stale_claims) == FILES[3:]


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_ledger_schema_matches_the_table_the_module_built(batch: Batch, moto: MotoServer, example: str) -> None:
    dep = batch.deployment(example)
    client = moto.client("dynamodb")
    table = client.describe_table(TableName=dep.table_name)["Table"]
    types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}

    assert table["KeySchema"] == [{"AttributeName": schema.DEFAULT_HASH_KEY, "KeyType": "HASH"}]
    assert types[schema.DEFAULT_HASH_KEY] == "S"
    ttl = client.describe_time_to_live(TableName=dep.table_name)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == schema.DEFAULT_TTL_ATTRIBUTE
    assert index_problem(table, schema.AUDIT_INDEX_NAME) is None
    assert (types[schema.AUDIT_PK], types[schema.UPDATED_AT]) == ("S", "N")

    # The ledger's own stand-in table (for its unit tests) has the module's keys and audit index.
    mirror = schema.table_definition(dep.table_name)
    assert mirror["KeySchema"] == table["KeySchema"]
    audit = next(i for i in table["GlobalSecondaryIndexes"] if i["IndexName"] == schema.AUDIT_INDEX_NAME)
    assert mirror["GlobalSecondaryIndexes"][0]["KeySchema"] == audit["KeySchema"]
    assert mirror["GlobalSecondaryIndexes"][0]["Projection"] == audit["Projection"]


@pytest.mark.parametrize("kind", ["writer", "reader", "auditor"])
def test_module_policies_grant_what_the_ledger_calls(batch: Batch, moto: MotoServer, kind: str) -> None:
    dep = batch.deployment("glue_lambda_access")
    document = policy_document(moto.client("iam"), policy_arn(dep, kind))
    table_arn = dep.outputs["table_arn"]
    index_arn = f"{table_arn}/index/{schema.AUDIT_INDEX_NAME}"
    # What each entry point calls (dynemodb.ledger.schema), on the resource it calls it on: the report
    # queries the audit index, and scans the table only where there is no index.
    needed = {
        "writer": [(a, table_arn) for a in schema.WRITER_ACTIONS | schema.REOPEN_ACTIONS],
        "reader": [(a, table_arn) for a in schema.READER_ACTIONS],
        "auditor": [("dynamodb:DescribeTable", table_arn), ("dynamodb:Scan", table_arn), ("dynamodb:Query", index_arn)],
    }[kind]
    refused = {(a, r): evaluate([document], a, r) for a, r in needed if evaluate([document], a, r) != Decision.ALLOW}
    assert refused == {}
