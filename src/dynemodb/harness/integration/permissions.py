"""Runtime permissions on the moto server: the example's own Glue and Lambda roles, assumed, against the
table the module built, with moto's IAM enforcement on.

The writer (Glue) must put, update, read and query; the reader (Lambda) must read and query only; neither
may delete items or the table or change its settings, nor touch another table. moto checks the request's
table (or index) ARN only because the harness tells it which one it is (emulator/gaps.py, gap 4); the
evaluator (scoping.py) proves the same scoping on the documents, and the simulator in the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError

from dynemodb.harness.emulator import Emulator
from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import AUDIT_INDEX, HASH_KEY, TTL_ATTRIBUTE
from dynemodb.harness.integration.problems import Problems

DENIED = frozenset({"AccessDenied", "AccessDeniedException"})
Call = Callable[[Any], Any]


def _calls(table: str, other: str) -> dict[str, Call]:
    """Named requests, each harmless if it were wrongly allowed except the deletes (which then fail loudly)."""
    key = {HASH_KEY: {"S": "s3://bucket/permissions-probe.csv"}}
    return {
        "PutItem": lambda c: c.put_item(TableName=table, Item={**key, "status": {"S": "IN_PROGRESS"}}),
        "UpdateItem": lambda c: c.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET #s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "COMPLETED"}},
        ),
        "GetItem": lambda c: c.get_item(TableName=table, Key=key),
        "BatchGetItem": lambda c: c.batch_get_item(RequestItems={table: {"Keys": [key]}}),
        "DescribeTable": lambda c: c.describe_table(TableName=table),
        "Query index": lambda c: c.query(
            TableName=table,
            IndexName=AUDIT_INDEX,
            KeyConditionExpression="audit_pk = :p",
            ExpressionAttributeValues={":p": {"S": "COMPLETED#00"}},
        ),
        "Scan": lambda c: c.scan(TableName=table, Limit=1),
        "DeleteItem": lambda c: c.delete_item(TableName=table, Key=key),
        "UpdateTable": lambda c: c.update_table(TableName=table, DeletionProtectionEnabled=False),
        "UpdateTimeToLive": lambda c: c.update_time_to_live(
            TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
        ),
        "DeleteTable": lambda c: c.delete_table(TableName=table),
        "PutItem other table": lambda c: c.put_item(TableName=other, Item=key),
        "GetItem other table": lambda c: c.get_item(TableName=other, Key=key),
    }


WRITER_ALLOWED = frozenset({"PutItem", "UpdateItem", "GetItem", "BatchGetItem", "DescribeTable", "Query index"})
READER_ALLOWED = frozenset({"GetItem", "BatchGetItem", "DescribeTable", "Query index"})
# Both principals go through the list together, deletes last: were a delete wrongly allowed, every probe
# before it still ran against the intact table.
ORDER = (
    "PutItem", "UpdateItem", "GetItem", "BatchGetItem", "DescribeTable", "Query index", "Scan",
    "UpdateTable", "UpdateTimeToLive", "PutItem other table", "GetItem other table", "DeleteItem", "DeleteTable",
)  # fmt: skip


def _outcome(call: Call, client: Any) -> str:
    """ "allowed" when IAM let the request through (whatever DynamoDB then said), else "denied"."""
    try:
        call(client)
    except ClientError as exc:
        return "denied" if exc.response.get("Error", {}).get("Code") in DENIED else "allowed"
    return "allowed"


def _role_client(server: Emulator, role_arn: str, session: str) -> Any:
    credentials = server.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=session)["Credentials"]
    return server.client(
        "dynamodb",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


@contextmanager
def _enforced(server: Emulator) -> Iterator[None]:
    server.enforce_iam(True)
    try:
        yield
    finally:
        server.enforce_iam(False)


def runtime_problems(server: Emulator, dep: Deployment) -> list[str]:
    """Problems with what the example's writer and reader roles can do at runtime (empty: as promised)."""
    p = Problems(dep.example)
    roles = {"writer": dep.outputs.get("glue_role_name"), "reader": dep.outputs.get("lambda_role_name")}
    if not all(roles.values()):
        return []
    account = dep.target.account_id
    other = f"{dep.table_name}-other"
    admin = server.client("dynamodb")
    admin.create_table(
        TableName=other, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": HASH_KEY, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": HASH_KEY, "AttributeType": "S"}],
    )  # fmt: skip
    try:
        clients = {
            kind: _role_client(server, f"arn:aws:iam::{account}:role/{name}", f"{kind}-probe")
            for kind, name in roles.items()
        }
        calls = _calls(dep.table_name, other)
        allowed = {"writer": WRITER_ALLOWED, "reader": READER_ALLOWED}
        with _enforced(server):
            for name in ORDER:
                for kind, client in clients.items():
                    want = "allowed" if name in allowed[kind] else "denied"
                    p.expect(f"{kind} role {roles[kind]}: {name}", _outcome(calls[name], client), want)
    finally:
        admin.delete_table(TableName=other)
    return p.lines
