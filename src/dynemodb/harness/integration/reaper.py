"""Deleting resources the harness tagged, whatever Terraform knows about them.

Terraform's state misses a resource whose create call was in flight when a run was interrupted: the
provider gives up on the call (context canceled) but AWS has already created it, tags and all. After every
destroy the flow reaps what still carries the run's id, and the sandbox sweep reaps old runs. The order of
inventory.FINDERS is the safe order: alarms, autoscaling, tables, policies, roles, topics, keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dynemodb.harness.integration.inventory import ClientFor, Found

KMS_PENDING_DAYS = 7  # the shortest window AWS allows; a key cannot be deleted at once


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
