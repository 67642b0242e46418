"""After destroy: is anything of this run left? Everything the run tagged, plus the untaggable scaling
policies on the run's tables. And reaping what Terraform's destroy could not know about."""

from __future__ import annotations

from collections.abc import Iterable

from dynemodb.harness.integration.inventory import ClientFor, Found, tagged
from dynemodb.harness.integration.naming import RUN_ID_TAG
from dynemodb.harness.integration.reaper import reap


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
