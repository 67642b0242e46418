"""What AWS must report after applying each example: written out here, independent of the module's code
(the IAM actions excepted: those are the contract file the module reads, see below).

These are the module's promises as the issue and the examples state them, so a change to the module that
breaks one (a wider IAM action, PITR off, a lost index) fails verification instead of passing by
construction. Names and ARNs come from the run (table name) and the example's outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from dynemodb.harness.contract import READER, WRITER

# The ledger's IAM contract comes from its one place, module/dynemoDB/access.tf (harness/contract.py):
# verification compares what AWS reports with it exactly, so a wider grant fails too.
WRITER_TABLE_ACTIONS = WRITER.table
READER_TABLE_ACTIONS = READER.table

AUDIT_INDEX = "audit-status-time"
TTL_ATTRIBUTE = "expiration_time"
HASH_KEY = "file_id"


@dataclass(frozen=True)
class Index:
    hash_key: str
    hash_type: str
    range_key: str | None
    range_type: str | None
    projection: str


AUDIT = Index("audit_pk", "S", "updated_at", "N", "ALL")


@dataclass(frozen=True)
class Autoscaling:
    read_min: int
    read_max: int
    write_min: int
    write_max: int
    target_utilization: float
    scale_in_cooldown: int = 60
    scale_out_cooldown: int = 60


@dataclass(frozen=True)
class Alarms:
    period: int
    evaluation_periods: int
    read_threshold: float
    write_threshold: float
    throttle_threshold: float = 0
    # Whether alarms notify the example's SNS topic, "<table name>-alerts" (on alarm and on recovery).
    notify_topic: bool = False


@dataclass(frozen=True)
class Example:
    name: str
    billing_mode: str
    read_capacity: int | None
    write_capacity: int | None
    pitr: bool
    customer_key: bool  # SSE with the example's own KMS key (output kms_key_arn); else the AWS-owned key
    stream_view_type: str | None
    indexes: dict[str, Index]
    tags: dict[str, str]
    alarms: Alarms
    autoscaling: Autoscaling | None = None
    # Example outputs naming the roles that must hold the writer and the reader policy.
    writer_role_output: str | None = None
    reader_role_output: str | None = None
    resource_policy: bool = False
    ttl_attribute: str = TTL_ATTRIBUTE
    hash_key: str = HASH_KEY


_PROJECT = {"Environment": "dev", "Project": "MetricCare"}

EXAMPLES: dict[str, Example] = {
    "on_demand": Example(
        name="on_demand",
        billing_mode="PAY_PER_REQUEST",
        read_capacity=None,
        write_capacity=None,
        pitr=True,
        customer_key=False,
        stream_view_type=None,
        indexes={AUDIT_INDEX: AUDIT},
        tags=_PROJECT,
        # On-demand: a per-second budget (1000 units by default) times the 300 s period.
        alarms=Alarms(
            period=300, evaluation_periods=2, read_threshold=300_000, write_threshold=300_000, notify_topic=True
        ),
    ),
    "glue_lambda_access": Example(
        name="glue_lambda_access",
        billing_mode="PROVISIONED",
        read_capacity=5,
        write_capacity=10,
        pitr=True,
        customer_key=False,
        stream_view_type=None,
        indexes={AUDIT_INDEX: AUDIT},
        tags=_PROJECT,
        autoscaling=Autoscaling(read_min=5, read_max=50, write_min=10, write_max=200, target_utilization=70),
        # Autoscaled: 80 % of the autoscaling ceiling per second, times the 300 s period.
        alarms=Alarms(period=300, evaluation_periods=2, read_threshold=50 * 0.8 * 300, write_threshold=200 * 0.8 * 300),
        writer_role_output="glue_role_name",
        reader_role_output="lambda_role_name",
    ),
    "complete": Example(
        name="complete",
        billing_mode="PROVISIONED",
        read_capacity=5,
        write_capacity=10,
        pitr=True,
        customer_key=True,
        stream_view_type="NEW_AND_OLD_IMAGES",
        indexes={AUDIT_INDEX: AUDIT, "by-source-bucket": Index("source_bucket", "S", "updated_at", "N", "KEYS_ONLY")},
        tags={**_PROJECT, "DataClass": "PHI-metadata"},
        autoscaling=Autoscaling(read_min=5, read_max=50, write_min=10, write_max=200, target_utilization=60),
        # 75 % of the ceiling per second, times the 60 s period.
        alarms=Alarms(
            period=60,
            evaluation_periods=3,
            read_threshold=50 * 0.75 * 60,
            write_threshold=200 * 0.75 * 60,
            notify_topic=True,
        ),
        writer_role_output="glue_role_name",
        reader_role_output="lambda_role_name",
        resource_policy=True,
    ),
}
