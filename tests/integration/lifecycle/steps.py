"""The changes a ledger table goes through over its life, in order, and what each must leave behind.

Each step is the root variables it changes (tests/integration/lifecycle/root) and the few facts it is
about (harness/integration/table_facts.py names them). Waits stand for the hour AWS makes a user wait
between two TTL changes (UpdateTimeToLive API reference); the emulator's clock moves instead.
"""

from __future__ import annotations

from dynemodb.harness.integration.lifecycle import Step

SEED_TAGS = {"Environment": "default", "Project": "MetricCare"}
AUDIT = "audit-status-time"
BY_BUCKET = {"name": "by-source-bucket", "hash_key": "source_bucket"}
BY_DAY = {"name": "by-load-day", "hash_key": "load_day"}
HOUR = 3600.0
MOVED = "This change moves the ledger table"
# Listed twice in the policy (allowed, and excepted from the deny): about 24 KB of policy document.
MANY_ROLES = [f"arn:aws:iam::210987654321:role/ingest-partner-role-{n:03}" for n in range(200)]


def steps(key_arn: str, topic_arn: str, role_name: str, role_arn: str) -> tuple[Step, ...]:
    return (
        Step(
            "seed as written",
            expect={"ttl": "ENABLED", "capacity": [5, 5], "tags": SEED_TAGS, "autoscaling_targets": 4},
        ),
        Step(
            "TTL off within the hour",
            {"enable_ttl": False},
            apply_fails="modified multiple times within a fixed interval",
        ),
        Step("TTL off", {"enable_ttl": False}, wait_seconds=HOUR, expect={"ttl": "DISABLED"}),
        Step("TTL on again", {"enable_ttl": True}, wait_seconds=HOUR, expect={"ttl": "ENABLED"}),
        # DynamoDB renames no TTL attribute in place: off under the old name, an hour, on under the new one.
        Step(
            "TTL attribute renamed while on",
            {"ttl_attribute": "expires_at"},
            wait_seconds=HOUR,
            apply_fails="TimeToLive is active on a different AttributeName",
        ),
        Step(
            "TTL off to rename its attribute",
            {"enable_ttl": False, "ttl_attribute": "expiration_time"},
            wait_seconds=HOUR,
            expect={"ttl": "DISABLED"},
        ),
        Step(
            "TTL on under the new name",
            {"enable_ttl": True, "ttl_attribute": "expires_at"},
            wait_seconds=HOUR,
            expect={"ttl": "ENABLED", "ttl_attribute": "expires_at"},
        ),
        Step(
            "tag added",
            {"tags": {**SEED_TAGS, "Owner": "data-platform"}},
            expect={"tags": {**SEED_TAGS, "Owner": "data-platform"}},
        ),
        Step("tag removed", {"tags": SEED_TAGS}, expect={"tags": SEED_TAGS}),
        # 50 tags pass the variable's own check; the run's default_tags take the table past DynamoDB's 50.
        Step(
            "tags over 50 with the provider's default_tags",
            {"tags": {**SEED_TAGS, **{f"Extra{i:02d}": "x" for i in range(48)}}},
            refused="tags with the provider's default_tags make",
            refusal_is_final=True,
        ),
        Step(
            "autoscaling off",
            {"autoscaling_enabled": False},
            refused=MOVED,
            expect={"autoscaling_targets": 0, "capacity": [5, 5]},
        ),
        Step(
            "capacity changed",
            {"read_capacity": 10, "write_capacity": 8},
            expect={"capacity": [10, 8], "index_capacity": [(10, 8)]},
        ),
        # hashicorp/aws sends both in one UpdateTable, which DynamoDB refuses (provider issue #35673).
        Step(
            "stream on with a capacity change",
            {"stream_enabled": True, "write_capacity": 6},
            apply_fails="You cannot modify stream status while updating table IOPS",
        ),
        Step("the capacity change on its own", {"stream_enabled": False}, expect={"capacity": [10, 6]}),
        Step(
            "PROVISIONED to PAY_PER_REQUEST",
            {"billing_mode": "PAY_PER_REQUEST", "read_capacity": None, "write_capacity": None},
            expect={"billing_mode": "PAY_PER_REQUEST", "capacity": [0, 0], "index_capacity": [(0, 0)]},
        ),
        Step(
            "PAY_PER_REQUEST to PROVISIONED",
            {"billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5},
            expect={"billing_mode": "PROVISIONED", "capacity": [5, 5], "index_capacity": [(5, 5)]},
        ),
        Step("index added", {"global_secondary_indexes": [BY_BUCKET]}, expect={"indexes": [AUDIT, BY_BUCKET["name"]]}),
        Step("index removed", {"global_secondary_indexes": []}, expect={"indexes": [AUDIT]}),
        Step(
            "index added again",
            {"global_secondary_indexes": [BY_BUCKET]},
            expect={"indexes": [AUDIT, BY_BUCKET["name"]]},
        ),
        Step("autoscaling on", {"autoscaling_enabled": True}, refused=MOVED, expect={"autoscaling_targets": 6}),
        Step(
            "index added while autoscaled",
            {"global_secondary_indexes": [BY_BUCKET, BY_DAY]},
            refused="The indexes changed (global_secondary_indexes or enable_audit_index",
            refusal_is_final=True,
        ),
        Step(
            "sort key added",
            {"range_key": "loaded_at"},
            refused="This change replaces the ledger table (range_key none -> loaded_at (S))",
            refusal_is_final=True,
        ),
        Step("PITR off", {"point_in_time_recovery": False}, expect={"pitr": "DISABLED"}),
        Step("PITR on", {"point_in_time_recovery": True}, expect={"pitr": "ENABLED", "pitr_days": 35}),
        Step("recovery window shortened", {"point_in_time_recovery_days": 7}, expect={"pitr_days": 7}),
        Step("stream on", {"stream_enabled": True}, expect={"stream": "NEW_AND_OLD_IMAGES"}),
        # The provider turns the stream off and on (a view type cannot change in place): AWS accepts the second call.
        Step("stream view type changed", {"stream_view_type": "KEYS_ONLY"}, expect={"stream": "KEYS_ONLY"}),
        Step("stream off", {"stream_enabled": False}, expect={"stream": None}),
        Step("customer-managed key", {"kms_key_arn": key_arn}, expect={"sse": key_arn}),
        Step("back to the AWS-owned key", {"kms_key_arn": None}, expect={"sse": None}),
        Step(
            "infrequent-access table class",
            {"table_class": "STANDARD_INFREQUENT_ACCESS"},
            expect={"table_class": "STANDARD_INFREQUENT_ACCESS"},
        ),
        Step("alarm actions changed", {"alarm_actions": [topic_arn]}, expect={"alarm_actions": [topic_arn]}),
        Step("role attachment added", {"glue_role_names": [role_name]}, expect={"writer_roles": [role_name]}),
        Step(
            "only listed principals may use the items",
            {"resource_policy_principal_arns": [role_arn], "restrict_to_listed_principals": True},
            expect={"resource_policy": ["DenyLedgerItemsToUnlistedPrincipals", "LedgerAccessForListedPrincipals"]},
        ),
        Step(
            "resource policy over 20 KB",
            {"resource_policy_principal_arns": [role_arn, *MANY_ROLES]},
            refused="DynamoDB takes at most 20 KB (20,480 bytes, whitespace counted)",
            refusal_is_final=True,
        ),
        Step("role attachment removed", {"glue_role_names": []}, expect={"writer_roles": []}),
        # The run applies with deletion protection off so that it can destroy; on and off again, last.
        Step(
            "deletion protection on with a stream change",
            {"deletion_protection": True, "stream_enabled": True},
            apply_fails="DeletionProtection modification must be the only operation in the request",
        ),
        Step(
            "deletion protection on",
            {"deletion_protection": True, "stream_enabled": False},
            expect={"deletion_protection": True, "stream": None},
        ),
        Step("deletion protection off", {"deletion_protection": False}, expect={"deletion_protection": False}),
    )
