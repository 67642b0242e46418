"""Where a run applies, the local moto server or a real sandbox account: how terraform and boto3 reach it,
and how it proves at runtime what the writer and reader roles may do.

A Target holds everything that differs between the two; the run itself (run.py) is the same:
- provider_settings: the body of the provider "aws" override the harness injects (moto: its endpoints);
- terraform_env: the environment terraform runs in (moto: no AWS_* variable, so nothing reaches AWS);
- client: the boto3 clients verification, cleanup and the sweep use;
- runtime_problems: the runtime-permission strategy. On moto, the example's own Glue and Lambda roles are
  assumed and their requests sent with moto's IAM enforcement on; in a sandbox, IAM's policy simulator
  evaluates the same probes as iam.py states them (simulate_principal_policy).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from dynemodb.harness.contract import GRANTS
from dynemodb.harness.emulator import Emulator
from dynemodb.harness.emulator.endpoints import provider_settings
from dynemodb.harness.integration.expected import AUDIT_INDEX, EXAMPLES, HASH_KEY, TTL_ATTRIBUTE
from dynemodb.harness.integration.iam import (
    parse,
    resource_policy_simulator_problems,
    restricting_statements,
    simulator_problems,
)
from dynemodb.harness.integration.verify import Problems
from dynemodb.harness.terraform import Toolchain

if TYPE_CHECKING:
    from dynemodb.harness.integration.deployment import Deployment

MOTO = "moto"
SANDBOX = "sandbox"


class Target(ABC):
    kind: ClassVar[str]  # MOTO or SANDBOX: also the value of the harness tag on everything the run creates
    # False: terraform sees no AWS_* variable, so nothing it does can reach a real account.
    inherit_aws_env: ClassVar[bool]
    region: str
    account_id: str
    provider_settings: str  # body of the provider "aws" override, without default_tags

    @abstractmethod
    def client(self, service: str) -> Any: ...

    @abstractmethod
    def runtime_problems(self, dep: Deployment) -> list[str]:
        """What the example's writer and reader roles can do at runtime, as problems (empty: as promised)."""

    def terraform_env(self, tc: Toolchain) -> dict[str, str]:
        env = tc.env()
        if not self.inherit_aws_env:
            env = {k: v for k, v in env.items() if not k.startswith("AWS_")}
            env["AWS_EC2_METADATA_DISABLED"] = "true"
        return env


# --- moto: assumed roles, IAM enforcement on --------------------------------------------------------
# The writer (Glue) must put, update, read and query; the reader (Lambda) must read and query only;
# neither may delete items or the table or change its settings, nor touch another table. moto checks the
# request's table (or index) ARN only because the harness tells it which one it is (emulator/gaps.py,
# gap 4); the evaluator (iam.py) proves the same scoping on the documents, and the simulator in a sandbox.

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


def allowed_calls(role: str) -> frozenset[str]:
    """The probe calls the IAM contract (access.tf) lets `role` make: on this table, or on its indexes for
    "Query index"; never on another table."""
    grant = GRANTS[role]
    on_table = {name for name in ORDER if " " not in name and f"dynamodb:{name}" in grant.table}
    return frozenset(on_table | ({"Query index"} if "dynamodb:Query" in grant.index else set()))


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


class MotoTarget(Target):
    kind = MOTO
    inherit_aws_env = False

    def __init__(self, server: Emulator) -> None:
        self.server = server
        self.region = server.region
        self.account_id = server.account_id
        self.provider_settings = provider_settings(server.endpoint)

    def client(self, service: str, **credentials: Any) -> Any:
        return self.server.client(service, **credentials)

    def _role_client(self, role_arn: str, session: str) -> Any:
        sts = self.client("sts")
        credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName=session)["Credentials"]
        return self.client(
            "dynamodb",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )

    @contextmanager
    def _enforced(self) -> Iterator[None]:
        self.server.enforce_iam(True)
        try:
            yield
        finally:
            self.server.enforce_iam(False)

    def runtime_problems(self, dep: Deployment) -> list[str]:
        p = Problems(dep.example)
        roles = {"writer": dep.outputs.get("glue_role_name"), "reader": dep.outputs.get("lambda_role_name")}
        if not all(roles.values()):
            return []
        other = f"{dep.table_name}-other"
        admin = self.client("dynamodb")
        admin.create_table(
            TableName=other, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": HASH_KEY, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": HASH_KEY, "AttributeType": "S"}],
        )  # fmt: skip
        try:
            clients = {
                kind: self._role_client(f"arn:aws:iam::{self.account_id}:role/{name}", f"{kind}-probe")
                for kind, name in roles.items()
            }
            calls = _calls(dep.table_name, other)
            allowed = {kind: allowed_calls(kind) for kind in clients}
            with self._enforced():
                for name in ORDER:
                    for kind, client in clients.items():
                        want = "allowed" if name in allowed[kind] else "denied"
                        p.expect(f"{kind} role {roles[kind]}: {name}", _outcome(calls[name], client), want)
        finally:
            admin.delete_table(TableName=other)
        return p.lines


# --- a sandbox account: the standard credential chain, IAM's policy simulator ------------------------


class SandboxTarget(Target):
    kind = SANDBOX
    inherit_aws_env = True

    def __init__(self, session: boto3.Session, account_id: str) -> None:
        """The caller's credentials as their environment configures them; nothing injected."""
        self.session = session
        self.account_id = account_id
        self.region = session.region_name or os.environ.get("SANDBOX_REGION") or "eu-west-1"
        self.provider_settings = ""
        self._config = Config(retries={"mode": "standard", "max_attempts": 10})

    def client(self, service: str) -> Any:
        return self.session.client(service, region_name=self.region, config=self._config)

    def runtime_problems(self, dep: Deployment) -> list[str]:
        spec = EXAMPLES[dep.example]
        iam = self.client("iam")
        problems = []
        for kind, output in (("writer", spec.writer_role_output), ("reader", spec.reader_role_output)):
            if output is None:
                continue
            role_arn = f"arn:aws:iam::{self.account_id}:role/{dep.outputs[output]}"
            problems += [
                f"{dep.example}: {line}" for line in simulator_problems(iam, kind, role_arn, dep.outputs["table_arn"])
            ]
        return problems + self._resource_policy_problems(dep)

    def _resource_policy_problems(self, dep: Deployment) -> list[str]:
        """A table restricted to listed principals: the simulator evaluates its resource policy too."""
        spec = EXAMPLES[dep.example]
        if not spec.writer_role_output:
            return []
        dynamodb = self.client("dynamodb")
        try:
            document = parse(dynamodb.get_resource_policy(ResourceArn=dep.outputs["table_arn"])["Policy"])
        except dynamodb.exceptions.PolicyNotFoundException:
            return []
        if not restricting_statements(document):
            return []
        listed = f"arn:aws:iam::{self.account_id}:role/{dep.outputs[spec.writer_role_output]}"
        lines = resource_policy_simulator_problems(self.client("iam"), document, dep.outputs["table_arn"], listed)
        return [f"{dep.example}: {line}" for line in lines]
