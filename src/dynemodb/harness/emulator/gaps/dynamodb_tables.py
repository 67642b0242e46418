"""Table-level DynamoDB calls the provider makes, where moto 5.2.5 accepts or reports what AWS does not."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from moto.dynamodb.exceptions import DynamodbException, MockValidationException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler
from moto.kms.exceptions import NotFoundException
from moto.kms.models import kms_backends

from dynemodb.harness.emulator.gaps import clock
from dynemodb.harness.emulator.gaps.missing import table_class
from dynemodb.harness.emulator.gaps.registry import Gap, checked_first

API = "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference"
TTL_WINDOW_SECONDS = 3600.0

GAPS = (
    Gap(
        "ttl-attribute-name-length",
        "differs",
        "dynamodb:UpdateTimeToLive",
        "AttributeName must be 1-255 characters, also when disabling; '' is a ValidationException "
        "(moto stores it). This is the 'TTL off' failure users of TAM and cloudposse hit.",
        f"{API}/API_TimeToLiveSpecification.html; hashicorp/terraform-provider-aws#39195 and #44730 quote "
        "AWS's answer: \"Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
        'Member must have length greater than or equal to 1"',
    ),
    Gap(
        "ttl-already-in-state",
        "differs",
        "dynamodb:UpdateTimeToLive",
        "enabling an enabled TTL or disabling a disabled one is a ValidationException ('TimeToLive is "
        "already enabled' / 'already disabled'); enabling while TTL is active on another attribute is "
        "refused too. moto accepts all three.",
        "hashicorp/terraform#22942 and hashicorp/terraform-provider-aws#10304 quote 'ValidationException: "
        "TimeToLive is already disabled'; go-to-k/cdkd#932 quotes 'TimeToLive is active on a different "
        "AttributeName'",
    ),
    Gap(
        "ttl-one-change-per-hour",
        "differs",
        "dynamodb:UpdateTimeToLive",
        "a second UpdateTimeToLive on the same table within one hour of a change is a ValidationException; "
        "moto applies every call at once. The emulator's clock stands in for the wait (clock.py).",
        f"{API}/API_UpdateTimeToLive.html: 'Any additional UpdateTimeToLive calls for the same table during "
        "this one hour duration result in a ValidationException.'",
    ),
    Gap(
        "on-demand-reports-zero-capacity",
        "differs",
        "dynamodb:UpdateTable / DescribeTable",
        "a table (and its indexes) switched to PAY_PER_REQUEST reports 0 read and 0 write capacity units; "
        "moto keeps the old numbers, and the provider then fails the next plan of the on-demand table with "
        "'read_capacity can not be set when billing_mode is PAY_PER_REQUEST'.",
        f"{API}/API_ProvisionedThroughputDescription.html (on-demand tables report 0); measured on DynamoDB "
        "(shared/design.md, second round of field notes)",
    ),
    Gap(
        "provisioned-needs-throughput",
        "differs",
        "dynamodb:UpdateTable",
        "switching a table to PROVISIONED needs ProvisionedThroughput for the table and for every index in "
        "the same call; moto switches without them and invents nothing.",
        f"{API}/API_UpdateTable.html (ProvisionedThroughput, GlobalSecondaryIndexUpdates) and "
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
        "capacity-mode.html#switching-capacity-modes",
    ),
    Gap(
        "on-demand-four-switches-per-day",
        "differs",
        "dynamodb:UpdateTable",
        "a table switches from PROVISIONED to PAY_PER_REQUEST at most four times in a rolling 24 hours "
        "(LimitExceededException; back to PROVISIONED is always allowed); moto switches any number of times. "
        "The emulator's clock stands in for the wait (clock.py).",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/switching.capacitymode.html: 'You "
        "can switch tables from provisioned capacity mode to on-demand mode up to four times in a 24-hour "
        "rolling window.' The message's shape is AWS's answer quoted in aws-amplify/amplify-cli#1054 "
        "('Subscriber limit exceeded: Update to PayPerRequest mode are limited to once in 1 day(s)') from "
        "when the limit was one",
    ),
    Gap(
        "table-class-two-updates-per-30-days",
        "differs",
        "dynamodb:UpdateTable (TableClass)",
        "a table changes its table class at most twice in a trailing 30 days; a third change is refused "
        "(LimitExceededException, as DynamoDB answers its other per-table rations; the wording is the emulator's, "
        "AWS's is not published); moto switches any number of times. The emulator's clock stands in for the wait.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.tableclasses.html: "
        "'no more than two table class updates on your table are allowed in a 30-day trailing period' (quoted "
        "in scylladb/scylladb's alternator test_tableclass.py)",
    ),
    Gap(
        "stream-specification",
        "differs",
        "dynamodb:UpdateTable",
        "a stream is enabled only on a table without one (else ValidationException 'Table already has an "
        "enabled stream'; moto answers ResourceInUseException), disabled only on a table with one ('Table has "
        "no stream to disable'), and disabling names no StreamViewType; moto accepts the last two. moto also "
        "refuses to enable a stream again after disabling one (its old label lingers), which AWS allows with a "
        "new stream ARN, and which the provider does to change stream_view_type (off, then on).",
        f"{API}/API_UpdateTable.html (StreamSpecification: 'You receive a ValidationException if you try to "
        "enable a stream on a table that already has a stream, or if you try to disable a stream on a table that "
        "doesn't have a stream.'); hashicorp/terraform-provider-aws#18402 and #1134 quote AWS's answers ('Table "
        "already has an enabled stream', 'If stream is being disabled, then UpdateViewType must not be "
        "specified'); the provider's cycleStreamEnabled (internal/service/dynamodb/table.go) turns a stream off "
        "and on to change its view type",
    ),
    Gap(
        "attribute-definitions-follow-keys",
        "differs",
        "dynamodb:UpdateTable / DescribeTable",
        "a table's AttributeDefinitions are exactly the key attributes of the table and its current indexes: "
        "deleting an index drops the attributes only it used. moto keeps them, and the provider then sees an "
        "attribute the configuration no longer declares and plans to change the table on every re-plan.",
        "characterised against DynamoDB (eu-west-2) in paritysuite/dynamodb-conformance#79 and "
        "nubo-db/dynoxide#131: 'AWS keeps AttributeDefinitions equal to exactly the attributes used by the "
        "table key schema plus all current index key schemas'; CreateTable refuses an unused one ('Some "
        "AttributeDefinitions are not used', go-to-k/cdkd#1741)",
    ),
    Gap(
        "capacity-decreases-per-day",
        "differs",
        "dynamodb:UpdateTable",
        "a provisioned table, and each of its global secondary indexes on its own, may lower its read or write "
        "capacity 4 times in a UTC day, then once per 3600 s after the last accepted decrease "
        "(LimitExceededException naming the next allowed time; one call lowering both counts once, a call "
        "lowering one and raising the other counts); moto lowers capacity any number of times.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html (decreasing "
        "provisioned capacity; table and index decrease limits are decoupled); AWS's answers as captured in "
        "aws-controllers-k8s' ack-api-quirks DDB-TABLE-184 and DDB-TABLE-326 and quoted in Hadoop's S3Guard "
        "troubleshooting guide ('Subscriber limit exceeded: Provisioned throughput decreases are limited "
        "within a given UTC day ...')",
    ),
    Gap(
        "sse-key-exists",
        "differs",
        "dynamodb:CreateTable / UpdateTable (SSESpecification.KMSMasterKeyId)",
        "a customer managed key for table encryption must exist in the table's account and Region (by key id, key "
        "ARN, alias or alias ARN; the AWS managed alias/aws/... keys always do), else ValidationException 'KMS "
        "validation error: com.amazonaws.services.kms.model.NotFoundException: Key '<key>' does not exist ...'; "
        "moto encrypts with any key ARN, so a typo or a key of another Region applied cleanly.",
        f"{API}/API_SSESpecification.html (KMSMasterKeyId); AWS's answer as reported in "
        "aws-solutions/generative-ai-application-builder-on-aws#29",
    ),
    Gap(
        "sse-key-reported-by-arn",
        "differs",
        "dynamodb:DescribeTable (SSEDescription.KMSMasterKeyArn)",
        "a table reports the ARN of the key that encrypts it, whichever way the request named the key (key id, "
        "alias name or alias ARN); moto reports the name as given, so a configuration naming an alias planned "
        "no change on moto where on AWS every plan wants to change the key.",
        f"{API}/API_SSEDescription.html (KMSMasterKeyArn: 'The KMS key ARN used for the KMS encryption') and "
        f"{API}/API_SSESpecification.html (KMSMasterKeyId takes a key ID, ARN, alias name or alias ARN); the "
        "drift on AWS as reported in terraform-aws-modules/terraform-aws-dynamodb-table#92 (an alias ARN "
        "'updating' the key on every apply) and aws-cloudformation/cloudformation-coverage-roadmap#1802",
    ),
    Gap(
        "capacity-changes-reported",
        "differs",
        "dynamodb:DescribeTable",
        "a provisioned table and each of its indexes report NumberOfDecreasesToday (the decreases of the current "
        "UTC day, the count the ration above is kept on) and, once there was one, LastDecreaseDateTime and "
        "LastIncreaseDateTime; moto reports none of the three, so nothing could tell why a decrease is refused.",
        f"{API}/API_ProvisionedThroughputDescription.html",
    ),
    Gap(
        "unchanged-throughput",
        "differs",
        "dynamodb:UpdateTable",
        "an UpdateTable that asks a provisioned table (or an index of it) for the capacity it already has is "
        "refused with ValidationException 'The provisioned throughput for the table will not change. The "
        "requested value equals the current value. ...', also beside BillingMode=PROVISIONED; moto accepts it.",
        f"{API}/API_UpdateTable.html (ProvisionedThroughput: 'The new provisioned throughput settings'); AWS's "
        "answers as captured in aws-controllers-k8s' ack-api-quirks DDB-TABLE-057 (the same "
        "ProvisionedThroughput alone, and with BillingMode=PROVISIONED, both refused) and, for an index, quoted "
        "in aws-cdk's billing-mode tests ('The provisioned throughput for the index ... will not change')",
    ),
    Gap(
        "one-index-change-per-update",
        "differs",
        "dynamodb:UpdateTable",
        "one UpdateTable creates or deletes at most one global secondary index (LimitExceededException); "
        "moto applies any number at once.",
        f"{API}/API_UpdateTable.html: 'You can create or delete only one global secondary index per "
        "UpdateTable operation.'",
    ),
    Gap(
        "table-and-index-names",
        "differs",
        "dynamodb:CreateTable / UpdateTable (index Create)",
        "a table or index name is 3 to 255 characters of a-z A-Z 0-9 _ - . (ValidationException '1 validation "
        "error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater "
        "than or equal to 3'); moto creates a table named 'ab', 'bad name' or 256 characters, and an index so "
        "named when the client does not check (botocore does; the provider's Go SDK does not).",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html "
        "(table and index names); AWS's answer as captured in paritysuite/dynamodb-conformance's CreateTable "
        "exact error messages (the 2-character table name)",
    ),
)

ON_DEMAND_SWITCHES, ON_DEMAND_WINDOW_SECONDS = 4, 86400.0
TABLE_CLASS_CHANGES, TABLE_CLASS_WINDOW_SECONDS = 2, 30 * 86400.0
FREE_DECREASES, DECREASE_INTERVAL_SECONDS, DAY_SECONDS = 4, 3600.0, 86400.0

# (account, region, table) -> emulator time of the last accepted UpdateTimeToLive.
_ttl_changed_at: dict[tuple[str, str, str], float] = {}
# (account, region, table) -> emulator times of its accepted switches to PAY_PER_REQUEST.
_on_demand_since: dict[tuple[str, str, str], list[float]] = {}
# (account, region, table) -> emulator times of its accepted table class changes.
_table_class_changed_at: dict[tuple[str, str, str], list[float]] = {}
# (account, region, table, index or "") -> emulator times of its accepted capacity decreases.
_decreased_at: dict[tuple[str, str, str, str], list[float]] = {}
# (account, region, table, index or "") -> emulator time of its last accepted capacity increase.
_increased_at: dict[tuple[str, str, str, str], float] = {}


class _LimitExceeded(DynamodbException):
    def __init__(self, message: str) -> None:
        super().__init__("com.amazonaws.dynamodb.v20120810#LimitExceededException", message)


def _check_ttl(handler: DynamoHandler) -> None:
    spec = handler.body.get("TimeToLiveSpecification") or {}
    name, enabled = spec.get("AttributeName"), spec.get("Enabled")
    if isinstance(name, str) and not 1 <= len(name) <= 255:
        bound = "greater than or equal to 1" if not name else "less than or equal to 255"
        raise MockValidationException(
            f"1 validation error detected: Value '{name}' at 'timeToLiveSpecification.attributeName' "
            f"failed to satisfy constraint: Member must have length {bound}"
        )
    table = handler.dynamodb_backend.get_table(handler.body["TableName"])
    current = table.ttl.get("TimeToLiveStatus", "DISABLED")
    if enabled and current == "ENABLED":
        if table.ttl.get("AttributeName") == name:
            raise MockValidationException("TimeToLive is already enabled")
        current_name = table.ttl.get("AttributeName")
        raise MockValidationException(
            f"TimeToLive is active on a different AttributeName: current AttributeName is {current_name}"
        )
    if not enabled and current != "ENABLED":
        raise MockValidationException("TimeToLive is already disabled")
    key = (handler.current_account, handler.region, table.name)
    last = _ttl_changed_at.get(key)
    if last is not None and clock.now() - last < TTL_WINDOW_SECONDS:
        raise MockValidationException("Time to live has been modified multiple times within a fixed interval")
    _ttl_changed_at[key] = clock.now()


_NAME = re.compile(r"[a-zA-Z0-9_.-]+")


def _name_errors(value: Any, where: str) -> list[str]:
    """AWS's constraint messages for a table or index name (HowItWorks.NamingRulesDataTypes)."""
    if not isinstance(value, str):
        return []  # moto's own answer to a missing or non-string name
    broken = [] if _NAME.fullmatch(value) else ["Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"]
    broken += ["Member must have length greater than or equal to 3"] if len(value) < 3 else []
    broken += ["Member must have length less than or equal to 255"] if len(value) > 255 else []
    return [f"Value '{value}' at '{where}' failed to satisfy constraint: {text}" for text in broken]


def _check_index_names(handler: DynamoHandler, errors: Sequence[str] = ()) -> None:
    """Refuse the call when a name it gives (``errors``: the table's, checked by the caller) breaks the rules."""
    body, found = handler.body, list(errors)
    for field, path in (
        ("GlobalSecondaryIndexes", "globalSecondaryIndexes"),
        ("LocalSecondaryIndexes", "localSecondaryIndexes"),
    ):
        for i, index in enumerate(body.get(field) or [], 1):
            found += _name_errors((index or {}).get("IndexName"), f"{path}.{i}.member.indexName")
    for i, update in enumerate(body.get("GlobalSecondaryIndexUpdates") or [], 1):
        created = (update or {}).get("Create") or {}
        found += _name_errors(created.get("IndexName"), f"globalSecondaryIndexUpdates.{i}.member.create.indexName")
    if found:
        count = f"{len(found)} validation error{'s' if len(found) > 1 else ''} detected"
        raise MockValidationException(f"{count}: {'; '.join(found)}")


_KMS_ARN = re.compile(r"arn:[^:]+:kms:([^:]*):([^:]*):(key|alias)/(.+)")


def _kms_key_exists(account: str, region: str, key: str) -> bool:
    arn = _KMS_ARN.fullmatch(key)
    if arn and (arn[1], arn[2]) != (region, account):
        return False  # a KMS key lives in one account and Region
    kind, name = (arn[3], arn[4]) if arn else ("alias", key[6:]) if key.startswith("alias/") else ("key", key)
    keys = kms_backends[account][region]
    if kind == "key":
        return name in keys.keys
    return name.startswith("aws/") or keys.alias_exists(f"alias/{name}")


def _check_sse_key(handler: DynamoHandler) -> None:
    spec = handler.body.get("SSESpecification") or {}
    key = spec.get("KMSMasterKeyId")
    if spec.get("Enabled") is False or not isinstance(key, str):
        return
    if not _kms_key_exists(handler.current_account, handler.region, key):
        raise MockValidationException(
            f"KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Key '{key}' does not exist "
            "(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException)"
        )


def _key_by_arn(describe: Callable[..., Any]) -> Callable[..., Any]:
    """A table's description (every answer that carries one) with its KMS key as DynamoDB reports it: the key's
    ARN, also when the request named an alias or a key id."""

    def fill(self: Any, base_key: str = "TableDescription") -> Any:
        described = describe(self, base_key=base_key)
        sse = described.get(base_key, {}).get("SSEDescription") or {}
        named = sse.get("KMSMasterKeyArn")
        # sse-key-exists refused a missing key before; a key moto made up stays as it is.
        with contextlib.suppress(KeyError, NotFoundException):
            if isinstance(named, str):
                sse["KMSMasterKeyArn"] = kms_backends[self.account_id][self.region_name].describe_key(named).arn
        return described

    return fill


def _check_create_table(handler: DynamoHandler) -> None:
    name = handler.body.get("TableName")
    # CreateTable also takes the table's ARN, whose last part is the name.
    named = name.rsplit("/", 1)[-1] if isinstance(name, str) and name.startswith("arn:") else name
    _check_index_names(handler, _name_errors(named, "tableName"))
    _check_sse_key(handler)


def _check_update_table(handler: DynamoHandler) -> None:
    _check_index_names(handler)
    _check_sse_key(handler)
    body = handler.body
    updates = body.get("GlobalSecondaryIndexUpdates") or []
    if sum(1 for u in updates if "Create" in u or "Delete" in u) > 1:
        raise _LimitExceeded(
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"
        )
    table = handler.dynamodb_backend.get_table(body["TableName"])
    if body.get("StreamSpecification") is not None:
        _check_stream(body["StreamSpecification"], table)
    if body.get("BillingMode") == "PAY_PER_REQUEST" and table.billing_mode == "PROVISIONED":
        _count_on_demand_switch((handler.current_account, handler.region, table.name))
    if body.get("TableClass") and body["TableClass"] != table_class(table):
        _count_table_class_change((handler.current_account, handler.region, table.name))
    if table.billing_mode == "PROVISIONED":
        _check_throughput_changes(body, table)
        _count_decreases(handler, table)
    if body.get("BillingMode") != "PROVISIONED" or table.billing_mode == "PROVISIONED":
        return
    if not body.get("ProvisionedThroughput"):
        raise MockValidationException(
            "One or more parameter values were invalid: ProvisionedThroughput must be specified when "
            "BillingMode is PROVISIONED"
        )
    given = {u["Update"]["IndexName"] for u in updates if "ProvisionedThroughput" in u.get("Update", {})}
    for index in table.global_indexes:
        if index.name not in given:
            raise MockValidationException(
                "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: "
                + index.name
            )


def _has_stream(table: Any) -> bool:
    return bool((table.stream_specification or {}).get("StreamEnabled"))


def _check_stream(spec: dict[str, Any], table: Any) -> None:
    enabling, has_stream = bool(spec.get("StreamEnabled")), _has_stream(table)
    if not enabling and spec.get("StreamViewType"):
        raise MockValidationException(
            "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not "
            "be specified"
        )
    if enabling and has_stream:
        raise MockValidationException(f"Table already has an enabled stream: TableName: {table.name}")
    if not enabling and not has_stream:
        raise MockValidationException(f"Table has no stream to disable: TableName: {table.name}")


def _new_stream_after_the_old(action: Callable[..., Any]) -> Callable[..., Any]:
    """moto refuses a stream while a disabled one's label is set; AWS mints a new stream (a new ARN)."""

    def fill(self: DynamoDBBackend, table: Any, stream_specification: dict[str, Any]) -> Any:
        if stream_specification.get("StreamEnabled") and not _has_stream(table):
            table.latest_stream_label = None
        return action(self, table, stream_specification)

    return fill


def _ration(history: dict[Any, list[float]], key: Any, allowed: int, window: float, refusal: str) -> None:
    """Count one more change of ``key`` in ``history``, or refuse it when ``allowed`` fell within ``window``."""
    recent = [t for t in history.get(key, []) if clock.now() - t < window]
    if len(recent) >= allowed:
        raise _LimitExceeded(f"Subscriber limit exceeded: {refusal}")
    history[key] = [*recent, clock.now()]


def _count_on_demand_switch(key: tuple[str, str, str]) -> None:
    refusal = f"Update to PayPerRequest mode are limited to {ON_DEMAND_SWITCHES} times in 1 day(s)."
    _ration(_on_demand_since, key, ON_DEMAND_SWITCHES, ON_DEMAND_WINDOW_SECONDS, refusal)


def _count_table_class_change(key: tuple[str, str, str]) -> None:
    refusal = (
        f"the table class of a table can be updated at most {TABLE_CLASS_CHANGES} times in a 30-day trailing period"
    )
    _ration(_table_class_changed_at, key, TABLE_CLASS_CHANGES, TABLE_CLASS_WINDOW_SECONDS, refusal)


_UNITS = ("ReadCapacityUnits", "WriteCapacityUnits")


def _asked_throughput(body: dict[str, Any], table: Any) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(index name, "" for the table; its throughput now; the throughput the call asks for) for each the call sets."""
    if isinstance(wanted := body.get("ProvisionedThroughput"), dict):
        yield "", table.throughput, wanted
    indexes = {index.name: index for index in table.global_indexes}
    for update in (u.get("Update") or {} for u in body.get("GlobalSecondaryIndexUpdates") or []):
        index, wanted = indexes.get(update.get("IndexName")), update.get("ProvisionedThroughput")
        if index is not None and isinstance(wanted, dict):
            yield index.name, index.throughput, wanted


def _check_throughput_changes(body: dict[str, Any], table: Any) -> None:
    for name, current, wanted in _asked_throughput(body, table):
        if not all(wanted.get(unit) == current.get(unit) for unit in _UNITS):
            continue
        if name:
            raise MockValidationException(
                f"The provisioned throughput for the index {name} will not change. The requested value equals the "
                "current value."
            )
        raise MockValidationException(
            "The provisioned throughput for the table will not change. The requested value equals the current "
            f"value. Current ReadCapacityUnits provisioned for the table: {current.get('ReadCapacityUnits')}. "
            f"Requested ReadCapacityUnits: {wanted.get('ReadCapacityUnits')}. Current WriteCapacityUnits "
            f"provisioned for the table: {current.get('WriteCapacityUnits')}. Requested WriteCapacityUnits: "
            f"{wanted.get('WriteCapacityUnits')}."
        )


def _lowers(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return any(isinstance(wanted.get(unit), int) and wanted[unit] < current.get(unit, 0) for unit in _UNITS)


def _raises(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return any(isinstance(wanted.get(unit), int) and wanted[unit] > current.get(unit, 0) for unit in _UNITS)


def _decreases_today(key: tuple[str, str, str, str]) -> list[float]:
    midnight = clock.now() // DAY_SECONDS * DAY_SECONDS
    return [t for t in _decreased_at.get(key, []) if t >= midnight]


def _when(moment: float) -> str:
    return time.strftime("%A, %B %-d, %Y at %-I:%M:%S %p Coordinated Universal Time", time.gmtime(moment))


def _count_decreases(handler: DynamoHandler, table: Any) -> None:
    """Refuse the call when the table or an index it lowers has no decrease left today; else count each."""
    now, base = clock.now(), (handler.current_account, handler.region, table.name)
    asked = list(_asked_throughput(handler.body, table))
    midnight = (now // DAY_SECONDS + 1) * DAY_SECONDS
    keys = {name: (*base, name) for name, current, wanted in asked if _lowers(current, wanted)}
    today = {name: _decreases_today(key) for name, key in keys.items()}
    for times in today.values():
        if len(times) >= FREE_DECREASES and now - times[-1] < DECREASE_INTERVAL_SECONDS:
            raise _LimitExceeded(
                "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. "
                f"After the first {FREE_DECREASES} decreases, each subsequent decrease in the same UTC day can be "
                f"performed at most once every {DECREASE_INTERVAL_SECONDS:.0f} seconds. Number of decreases today: "
                f"{len(times)}. Last decrease at {_when(times[-1])}. Next decrease can be made at "
                f"{_when(min(times[-1] + DECREASE_INTERVAL_SECONDS, midnight))}."
            )
    for name, times in today.items():
        _decreased_at[keys[name]] = [*times, now]
    for name, current, wanted in asked:
        raised = (*base, name)
        if _raises(current, wanted):
            _increased_at[raised] = now


def _report_changes(action: Callable[..., Any]) -> Callable[..., Any]:
    """DescribeTable with each provisioned throughput's decreases today and its last decrease and increase."""

    def fill(self: DynamoDBBackend, name: str) -> Any:
        described = action(self, name)
        table = described.get("Table", {})
        if table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED") != "PROVISIONED":
            return described
        base = (self.account_id, self.region_name, table.get("TableName", name))
        parts = [("", table), *((i.get("IndexName", ""), i) for i in table.get("GlobalSecondaryIndexes") or [])]
        for index, part in parts:
            if not isinstance(part.get("ProvisionedThroughput"), dict):
                continue
            key = (*base, index)
            throughput = part["ProvisionedThroughput"] = dict(part["ProvisionedThroughput"])
            throughput["NumberOfDecreasesToday"] = len(_decreases_today(key))
            if _decreased_at.get(key):
                throughput["LastDecreaseDateTime"] = _decreased_at[key][-1]
            if key in _increased_at:
                throughput["LastIncreaseDateTime"] = _increased_at[key]
        return described

    return fill


def _zero_on_demand_capacity(table: Any) -> Any:
    if table.billing_mode == "PAY_PER_REQUEST":
        decreases = table.throughput.get("NumberOfDecreasesToday", 0)
        table.throughput = {"NumberOfDecreasesToday": decreases, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
        for index in table.global_indexes:
            index.throughput = {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    return table


def _fresh_history(table: Any) -> Any:
    """A new table has no TTL, capacity mode, table class or capacity changes behind it, also when an old one had
    its name."""
    base = (table.account_id, table.region_name, table.name)
    for history in (_ttl_changed_at, _on_demand_since, _table_class_changed_at):
        history.pop(base, None)
    for key in [k for k in (*_decreased_at, *_increased_at) if k[:3] == base]:
        _decreased_at.pop(key, None)
        _increased_at.pop(key, None)
    return table


def _keys_only(table: Any) -> Any:
    schemas = [table.schema, *(index.schema for index in [*table.global_indexes, *table.indexes])]
    used = {key["AttributeName"] for schema in schemas for key in schema}
    table.attr = [a for a in table.attr if a["AttributeName"] in used]
    return table


def _then(action: Callable[..., Any], *after: Callable[[Any], Any]) -> Callable[..., Any]:
    """moto's backend call, then what DynamoDB does to the table it returns (each of ``after``, in order)."""

    def fill(self: DynamoDBBackend, *args: Any, **kwargs: Any) -> Any:
        table = action(self, *args, **kwargs)
        for fix in after:
            table = fix(table)
        return table

    return fill


def install() -> None:
    """Wraps what is installed when it runs (after missing.install, which fills UpdateTable's SSE)."""
    handler, backend = DynamoHandler, DynamoDBBackend
    handler.update_time_to_live = checked_first(_check_ttl, handler.update_time_to_live)  # type: ignore[method-assign]
    handler.update_table = checked_first(_check_update_table, handler.update_table)  # type: ignore[method-assign]
    handler.create_table = checked_first(_check_create_table, handler.create_table)  # type: ignore[method-assign]
    backend.update_table = _then(backend.update_table, _zero_on_demand_capacity, _keys_only)  # type: ignore[method-assign]
    backend.create_table = _then(backend.create_table, _zero_on_demand_capacity, _fresh_history)  # type: ignore[method-assign]
    Table.describe = _key_by_arn(Table.describe)  # type: ignore[method-assign]
    backend.describe_table = _report_changes(backend.describe_table)  # type: ignore[method-assign]
    backend.update_table_streams = _new_stream_after_the_old(backend.update_table_streams)  # type: ignore[method-assign]
