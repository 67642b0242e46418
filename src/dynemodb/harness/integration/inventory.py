"""Finding what the harness created, by its tags: for the leftover check after a destroy (this run's id)
and for the sandbox sweep (old runs). One finder per kind of resource the examples create.

Names are not trusted (a name can be reused); tags are. Scaling policies carry no tags: they are found
through the tagged scalable targets they belong to. KMS keys cannot be deleted at once; a key pending
deletion counts as gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dynemodb.harness.integration.tags import from_pairs

ClientFor = Callable[[str], Any]


@dataclass(frozen=True)
class Found:
    kind: str
    ident: str  # what the delete call takes: a name or an ARN
    tags: dict[str, str] = field(hash=False)
    detail: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def __str__(self) -> str:
        return f"{self.kind} {self.ident}"


def _tables(client_for: ClientFor) -> Iterator[Found]:
    client = client_for("dynamodb")
    for page in client.get_paginator("list_tables").paginate():
        for name in page["TableNames"]:
            try:
                table = client.describe_table(TableName=name)["Table"]
            except client.exceptions.ResourceNotFoundException:
                continue  # deleted meanwhile
            if table.get("TableStatus") == "DELETING":
                continue  # on its way out: gone, as far as a leftover check or a sweep is concerned
            tags = from_pairs(client.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", []))
            yield Found("dynamodb table", name, tags, {"arn": table["TableArn"]})


def _scalable_targets(client_for: ClientFor) -> Iterator[Found]:
    client = client_for("application-autoscaling")
    for page in client.get_paginator("describe_scalable_targets").paginate(ServiceNamespace="dynamodb"):
        for target in page["ScalableTargets"]:
            tags = client.list_tags_for_resource(ResourceARN=target["ScalableTargetARN"]).get("Tags", {})
            ident = f"{target['ResourceId']} {target['ScalableDimension']}"
            yield Found("scalable target", ident, tags, target)


def _alarms(client_for: ClientFor) -> Iterator[Found]:
    client = client_for("cloudwatch")
    for page in client.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm"]):
        for alarm in page.get("MetricAlarms", []):
            tags = from_pairs(client.list_tags_for_resource(ResourceARN=alarm["AlarmArn"]).get("Tags", []))
            yield Found("cloudwatch alarm", alarm["AlarmName"], tags)


def _roles(client_for: ClientFor) -> Iterator[Found]:
    client = client_for("iam")
    for page in client.get_paginator("list_roles").paginate():
        for role in page["Roles"]:
            if role.get("Path", "/").startswith("/aws-service-role/"):
                continue  # owned by AWS services, never by us
            tags = from_pairs(client.list_role_tags(RoleName=role["RoleName"]).get("Tags", []))
            yield Found("iam role", role["RoleName"], tags)


def _policies(client_for: ClientFor) -> Iterator[Found]:
    client = client_for("iam")
    for page in client.get_paginator("list_policies").paginate(Scope="Local"):
        for policy in page["Policies"]:
            tags = from_pairs(client.list_policy_tags(PolicyArn=policy["Arn"]).get("Tags", []))
            yield Found("iam policy", policy["Arn"], tags)


def _topics(client_for: ClientFor) -> Iterator[Found]:
    client = client_for("sns")
    for page in client.get_paginator("list_topics").paginate():
        for topic in page["Topics"]:
            tags = from_pairs(client.list_tags_for_resource(ResourceArn=topic["TopicArn"]).get("Tags", []))
            yield Found("sns topic", topic["TopicArn"], tags)


def _keys(client_for: ClientFor) -> Iterator[Found]:
    client = client_for("kms")
    for page in client.get_paginator("list_keys").paginate():
        for key in page["Keys"]:
            metadata = client.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            if metadata.get("KeyManager") != "CUSTOMER" or metadata.get("KeyState") in ("PendingDeletion",):
                continue
            tags = from_pairs(client.list_resource_tags(KeyId=key["KeyId"]).get("Tags", []), "TagKey", "TagValue")
            yield Found("kms key", key["KeyId"], tags)


FINDERS: tuple[Callable[[ClientFor], Iterator[Found]], ...] = (
    _alarms,
    _scalable_targets,
    _tables,
    _policies,
    _roles,
    _topics,
    _keys,
)


def tagged(client_for: ClientFor, wanted: Callable[[dict[str, str]], bool]) -> list[Found]:
    """Every resource of the kinds above whose tags satisfy `wanted`, in a safe deletion order."""
    return [found for finder in FINDERS for found in finder(client_for) if wanted(found.tags)]
