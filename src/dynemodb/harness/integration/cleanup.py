"""Finding and deleting what the harness created, by its tags, whatever Terraform knows about it.

After every destroy the run reaps what still carries its run id and then checks that nothing of it is
left; the sandbox sweep reaps old runs. Names are not trusted (a name can be reused); tags are.

Why reaping: Terraform's state misses a resource whose create call was in flight when a run was
interrupted: the provider gives up on the call (context canceled) but AWS has already created it, tags and
all. Scaling policies carry no tags: they are found through the tagged scalable targets they belong to.
KMS keys cannot be deleted at once; a key pending deletion counts as gone. The order of FINDERS is the
safe deletion order: alarms, autoscaling, tables, policies, roles, topics, keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from dynemodb.harness.integration.deployment import RUN_ID_TAG

ClientFor = Callable[[str], Any]
KMS_PENDING_DAYS = 7  # the shortest window AWS allows; a key cannot be deleted at once


def from_pairs(pairs: Iterable[Mapping[str, Any]], key: str = "Key", value: str = "Value") -> dict[str, str]:
    """Tags given as [{"Key": k, "Value": v}, ...] (KMS spells them TagKey/TagValue) as one plain dict."""
    return {str(pair[key]): str(pair.get(value, "")) for pair in pairs}


# --- finding ---------------------------------------------------------------------------------------


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


# --- deleting --------------------------------------------------------------------------------------


def _alarm(client_for: ClientFor, found: Found) -> None:
    client_for("cloudwatch").delete_alarms(AlarmNames=[found.ident])


def _scalable_target(client_for: ClientFor, found: Found) -> None:
    client = client_for("application-autoscaling")
    target = found.detail
    where = {
        "ServiceNamespace": target["ServiceNamespace"],
        "ResourceId": target["ResourceId"],
        "ScalableDimension": target["ScalableDimension"],
    }
    policies = client.describe_scaling_policies(
        ServiceNamespace=where["ServiceNamespace"], ResourceId=where["ResourceId"]
    )["ScalingPolicies"]
    for policy in policies:
        if policy["ScalableDimension"] == where["ScalableDimension"]:
            client.delete_scaling_policy(PolicyName=policy["PolicyName"], **where)
    client.deregister_scalable_target(**where)


def _table(client_for: ClientFor, found: Found) -> None:
    client = client_for("dynamodb")
    table = client.describe_table(TableName=found.ident)["Table"]
    if table.get("DeletionProtectionEnabled"):
        # Only ever for a table carrying the harness's tags: a throwaway by construction.
        client.update_table(TableName=found.ident, DeletionProtectionEnabled=False)
    client.delete_table(TableName=found.ident)


def _policy(client_for: ClientFor, found: Found) -> None:
    iam = client_for("iam")
    entities = iam.list_entities_for_policy(PolicyArn=found.ident)
    for role in entities.get("PolicyRoles", []):
        iam.detach_role_policy(RoleName=role["RoleName"], PolicyArn=found.ident)
    for user in entities.get("PolicyUsers", []):
        iam.detach_user_policy(UserName=user["UserName"], PolicyArn=found.ident)
    for group in entities.get("PolicyGroups", []):
        iam.detach_group_policy(GroupName=group["GroupName"], PolicyArn=found.ident)
    for version in iam.list_policy_versions(PolicyArn=found.ident)["Versions"]:
        if not version["IsDefaultVersion"]:
            iam.delete_policy_version(PolicyArn=found.ident, VersionId=version["VersionId"])
    iam.delete_policy(PolicyArn=found.ident)


def _role(client_for: ClientFor, found: Found) -> None:
    iam = client_for("iam")
    role = found.ident
    for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=role, PolicyArn=attached["PolicyArn"])
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        iam.delete_role_policy(RoleName=role, PolicyName=name)
    for profile in iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"]:
        iam.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=role)
    iam.delete_role(RoleName=role)


def _topic(client_for: ClientFor, found: Found) -> None:
    client_for("sns").delete_topic(TopicArn=found.ident)


def _key(client_for: ClientFor, found: Found) -> None:
    client_for("kms").schedule_key_deletion(KeyId=found.ident, PendingWindowInDays=KMS_PENDING_DAYS)


DELETERS: dict[str, Callable[[ClientFor, Found], None]] = {
    "cloudwatch alarm": _alarm,
    "scalable target": _scalable_target,
    "dynamodb table": _table,
    "iam policy": _policy,
    "iam role": _role,
    "sns topic": _topic,
    "kms key": _key,
}


def reap(client_for: ClientFor, found: list[Found]) -> list[str]:
    """Delete every resource in `found` (in the order given); one line per failure (empty: all deleted)."""
    failures = []
    for item in found:
        try:
            DELETERS[item.kind](client_for, item)
        except Exception as exc:  # one stuck resource must not stop the others from being deleted
            failures.append(f"could not delete {item}: {_reason(exc)}")
    return failures


def _reason(exc: Exception) -> str:
    response: Any = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        return f"{response['Error'].get('Code')}: {response['Error'].get('Message')}"
    return f"{type(exc).__name__}: {exc}"


# --- one run's leftovers ---------------------------------------------------------------------------


def on_tables(resource_id: str, table_names: Iterable[str]) -> bool:
    """Whether an autoscaling resource id is one of these tables or one of their indexes."""
    return any(resource_id == f"table/{n}" or resource_id.startswith(f"table/{n}/") for n in table_names)


def _scaling_policies(client_for: ClientFor, table_names: list[str]) -> list[str]:
    client = client_for("application-autoscaling")
    pages = client.get_paginator("describe_scaling_policies").paginate(ServiceNamespace="dynamodb")
    return [
        f"scaling policy {policy['PolicyName']}"
        for page in pages
        for policy in page["ScalingPolicies"]
        if on_tables(policy["ResourceId"], table_names)
    ]


def of_run(client_for: ClientFor, run_id: str) -> list[Found]:
    return tagged(client_for, lambda tags: tags.get(RUN_ID_TAG) == run_id)


def reap_run(client_for: ClientFor, run_id: str) -> tuple[list[str], list[str]]:
    """Delete what still carries the run's id: (what was reaped, what could not be deleted)."""
    found = of_run(client_for, run_id)
    return [str(f) for f in found], reap(client_for, found)


def leftovers(client_for: ClientFor, run_id: str, table_names: Iterable[str]) -> list[str]:
    """One line per resource of run `run_id` that still exists (empty: the run left nothing)."""
    names = list(table_names)
    found = [str(f) for f in of_run(client_for, run_id)]
    return [f"left behind: {item}" for item in found + _scaling_policies(client_for, names)]
