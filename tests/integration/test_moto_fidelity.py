"""The emulator answers as AWS does where plain moto does not (emulator/gaps), one probe per difference.

Each probe in fidelity_probes.py is sent twice: to plain moto in this process (mock_aws: the fills only
ever run in the server process), which must still accept it, so a moto upgrade that closes a gap tells us
to drop its fill; and to the harness's moto server, which must refuse it with AWS's error.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from dynemodb.harness.emulator import MotoServer, gaps

if TYPE_CHECKING:
    # pytest puts tests/integration on sys.path, so the test imports its sibling top-level; mypy cannot
    # make that directory a base too (see [tool.mypy] mypy_path) and knows the module by its full path.
    from tests.integration.fidelity_probes import (
        MATCHES,
        MISANSWERED,
        PROBES,
        Probe,
        create_table_call,
        nested_map,
    )
else:
    from fidelity_probes import MATCHES, MISANSWERED, PROBES, Probe, create_table_call, nested_map

# botocore validates some inputs itself (an empty TTL name); the Go SDK the provider uses does not, so the
# probes switch client-side validation off to reach the server.
RAW = Config(parameter_validation=False, retries={"max_attempts": 1})
_names = itertools.count()


def _fill(value: Any, table: str) -> Any:
    if isinstance(value, str):
        return value.replace("{table}", table)
    if isinstance(value, dict):
        return {_fill(k, table): _fill(v, table) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_fill(v, table) for v in value]
    return value


def _table(dynamodb: Any, name: str) -> None:
    index = {"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}
    capacity = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "g")],
        ProvisionedThroughput=capacity,
        GlobalSecondaryIndexes=[{**index, "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": capacity}],
    )


def _send(probe: Probe, client_for: Any) -> None:
    """The probe's setup and call on a fresh table; raises the call's ClientError."""
    table = f"fidelity-{next(_names)}"
    _table(client_for("dynamodb"), table)
    for operation, params in (*probe.setup, probe.call):
        getattr(client_for(probe.service), operation)(**_fill(params, table))


@pytest.fixture
def plain_moto() -> Iterator[Any]:
    with mock_aws():
        yield lambda service: boto3.client(service, region_name="us-east-1", config=RAW)


def _served(moto: MotoServer) -> Any:
    return lambda service: boto3.client(
        service,
        endpoint_url=moto.endpoint,
        region_name=moto.region,
        aws_access_key_id="dynemodb-harness",
        aws_secret_access_key="dynemodb-harness",
        config=RAW,
    )


def test_every_probe_names_a_listed_gap_and_every_differing_gap_has_a_probe() -> None:
    differing = {g.id for g in gaps.GAPS if g.kind == "differs"}
    # Tested below: a value, and what moto refuses and AWS accepts.
    probed = {p.gap for p in (*PROBES, *MISANSWERED)} | {
        "on-demand-reports-zero-capacity",
        "stream-specification",
        "attribute-definitions-follow-keys",
        "capacity-changes-reported",
        "transact-get-items-hundred",
        "sse-key-reported-by-arn",
    }
    assert probed == differing
    assert all(g.source.startswith(("http", "hashicorp/", "moto")) or "#" in g.source for g in gaps.GAPS)


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: f"{p.gap}: {p.name}")
def test_plain_moto_still_accepts(probe: Probe, plain_moto: Any) -> None:
    _send(probe, plain_moto)


@pytest.mark.parametrize("probe", MISANSWERED, ids=lambda p: f"{p.gap}: {p.name}")
def test_plain_moto_still_misanswers(probe: Probe, plain_moto: Any) -> None:
    with pytest.raises(Exception) as failed:  # a KeyError inside moto (HTTP 500 from a server) is a misanswer too
        _send(probe, plain_moto)
    answer = failed.value.response["Error"] if isinstance(failed.value, ClientError) else {}
    assert (answer.get("Code"), probe.message in str(answer.get("Message"))) != (probe.code, True), answer


@pytest.mark.parametrize("probe", (*PROBES, *MISANSWERED), ids=lambda p: f"{p.gap}: {p.name}")
def test_the_emulator_refuses_as_aws_does(probe: Probe, moto: MotoServer) -> None:
    with pytest.raises(ClientError) as refused:
        _send(probe, _served(moto))
    error = refused.value.response["Error"]
    assert (error["Code"], probe.message in error["Message"]) == (probe.code, True), error


@pytest.mark.parametrize("probe", MATCHES, ids=lambda p: p.name)
def test_plain_moto_still_refuses_what_needs_no_fill(probe: Probe, plain_moto: Any) -> None:
    with pytest.raises(ClientError) as refused:
        _send(probe, plain_moto)
    assert probe.message in refused.value.response["Error"]["Message"]


def _capacities(dynamodb: Any, table: str) -> tuple[int, int]:
    described = dynamodb.describe_table(TableName=table)["Table"]
    index = described["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]
    return described["ProvisionedThroughput"]["ReadCapacityUnits"], index["ReadCapacityUnits"]


def _switch_to_on_demand(client_for: Any) -> tuple[int, int]:
    table = f"fidelity-{next(_names)}"
    dynamodb = client_for("dynamodb")
    _table(dynamodb, table)
    dynamodb.update_table(TableName=table, BillingMode="PAY_PER_REQUEST")
    return _capacities(dynamodb, table)


def test_on_demand_capacity_plain_moto_keeps_the_old_numbers(plain_moto: Any) -> None:
    assert _switch_to_on_demand(plain_moto) == (5, 5)


def test_on_demand_capacity_the_emulator_reports_zero(moto: MotoServer) -> None:
    assert _switch_to_on_demand(_served(moto)) == (0, 0)


def test_a_ttl_change_is_accepted_again_once_the_hour_has_passed(moto: MotoServer) -> None:
    client_for = _served(moto)
    table = f"fidelity-{next(_names)}"
    _table(client_for("dynamodb"), table)
    spec = {"Enabled": True, "AttributeName": "expiration_time"}
    client_for("dynamodb").update_time_to_live(TableName=table, TimeToLiveSpecification=spec)
    moto.advance_clock(3600)
    client_for("dynamodb").update_time_to_live(TableName=table, TimeToLiveSpecification={**spec, "Enabled": False})
    described = client_for("dynamodb").describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert described["TimeToLiveStatus"] == "DISABLED"


def _probe_again_after(moto: MotoServer, gap: str, seconds: float) -> dict[str, Any]:
    """The gap's probe, with the emulator's clock moved on ``seconds`` between its setup and its call (which must
    now be accepted): the table as described afterwards."""
    probe = next(p for p in PROBES if p.gap == gap)
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    for operation, params in probe.setup:
        getattr(dynamodb, operation)(**_fill(params, table))
    moto.advance_clock(seconds)
    getattr(dynamodb, probe.call[0])(**_fill(probe.call[1], table))
    described: dict[str, Any] = dynamodb.describe_table(TableName=table)["Table"]
    return described


def test_a_switch_to_on_demand_is_accepted_again_once_the_day_has_passed(moto: MotoServer) -> None:
    # The probe's four switches, then a day on the emulator's clock: its fifth switch is no longer refused.
    described = _probe_again_after(moto, "on-demand-four-switches-per-day", 86400)
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_a_table_class_change_is_accepted_again_once_30_days_have_passed(moto: MotoServer) -> None:
    described = _probe_again_after(moto, "table-class-two-updates-per-30-days", 30 * 86400)
    assert described["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"


def test_the_emulator_takes_an_ec2_action_on_an_alarm_of_an_instance(moto: MotoServer) -> None:
    cloudwatch = _served(moto)("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=f"fidelity-{next(_names)}",
        Namespace="AWS/EC2",
        MetricName="StatusCheckFailed_System",
        Dimensions=[{"Name": "InstanceId", "Value": "i-0123456789abcdef0"}],
        Statistic="Minimum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0.0,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=["arn:aws:automate:us-east-1:ec2:recover"],
    )


def test_the_emulator_registers_a_target_on_an_index_the_table_has(moto: MotoServer) -> None:
    client_for, table = _served(moto), f"fidelity-{next(_names)}"
    _table(client_for("dynamodb"), table)
    client_for("application-autoscaling").register_scalable_target(
        ServiceNamespace="dynamodb",
        ResourceId=f"table/{table}/index/by-g",
        ScalableDimension="dynamodb:index:ReadCapacityUnits",
        MinCapacity=1,
        MaxCapacity=5,
    )


def _switch_to_customer_key(client_for: Any) -> str | None:
    table = f"fidelity-{next(_names)}"
    dynamodb = client_for("dynamodb")
    _table(dynamodb, table)
    key = client_for("kms").create_key(Description="fidelity")["KeyMetadata"]["Arn"]
    dynamodb.update_table(TableName=table, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key})
    reported = dynamodb.describe_table(TableName=table)["Table"].get("SSEDescription", {}).get("KMSMasterKeyArn")
    return "the new key" if reported == key else reported


def test_update_table_sse_plain_moto_ignores_the_new_key(plain_moto: Any) -> None:
    assert _switch_to_customer_key(plain_moto) is None


def test_update_table_sse_the_emulator_applies_the_new_key(moto: MotoServer) -> None:
    assert _switch_to_customer_key(_served(moto)) == "the new key"


def _on_demand_limits(client_for: Any) -> tuple[Any, Any]:
    """An on-demand table and index created with maximum request units, then the table's read limit raised:
    the limits the table and the index report."""
    name = f"fidelity-{next(_names)}"
    _, table = create_table_call(name)
    limits = {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50}
    index = {
        "IndexName": "by-g",
        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"},
        "OnDemandThroughput": {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5},
    }
    dynamodb = client_for("dynamodb")
    table["AttributeDefinitions"] = [*table["AttributeDefinitions"], {"AttributeName": "g", "AttributeType": "S"}]
    dynamodb.create_table(**table, OnDemandThroughput=limits, GlobalSecondaryIndexes=[index])
    dynamodb.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": 200})
    described = dynamodb.describe_table(TableName=name)["Table"]
    return described.get("OnDemandThroughput"), described["GlobalSecondaryIndexes"][0].get("OnDemandThroughput")


def test_on_demand_limits_plain_moto_forgets_them(plain_moto: Any) -> None:
    assert _on_demand_limits(plain_moto) == (None, None)


def test_on_demand_limits_the_emulator_keeps_and_reports_them(moto: MotoServer) -> None:
    assert _on_demand_limits(_served(moto)) == (
        {"MaxReadRequestUnits": 200, "MaxWriteRequestUnits": 50},
        {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5},
    )


def _switch_to_aws_managed_key(client_for: Any) -> str | None:
    """A table on the AWS owned key asks for encryption without naming a key: the alias of the key it reports."""
    table = f"fidelity-{next(_names)}"
    dynamodb = client_for("dynamodb")
    _table(dynamodb, table)
    dynamodb.update_table(TableName=table, SSESpecification={"Enabled": True})
    sse = dynamodb.describe_table(TableName=table)["Table"].get("SSEDescription") or {}
    aliases = client_for("kms").list_aliases()["Aliases"]
    named = [a["AliasName"] for a in aliases if sse.get("KMSMasterKeyArn", "").endswith(str(a.get("TargetKeyId")))]
    return f"{sse.get('SSEType')} {named[0]}" if named else None


def test_update_table_sse_plain_moto_keeps_the_aws_owned_key(plain_moto: Any) -> None:
    assert _switch_to_aws_managed_key(plain_moto) is None


def test_update_table_sse_the_emulator_switches_to_the_aws_managed_key(moto: MotoServer) -> None:
    assert _switch_to_aws_managed_key(_served(moto)) == "KMS alias/aws/dynamodb"


def _encrypted_by_alias(client_for: Any, how: str) -> str | None:
    """A table whose key is named by an alias ARN at create_table or update_table (``how``): the key ARN it
    reports ("the key's ARN" when it is the key's)."""
    kms = client_for("kms")
    key = kms.create_key(Description="fidelity")["KeyMetadata"]
    alias = f"alias/fidelity-{next(_names)}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    _, table = create_table_call(alias.removeprefix("alias/"))
    sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": f"arn:aws:kms:us-east-1:{key['AWSAccountId']}:{alias}"}
    dynamodb = client_for("dynamodb")
    dynamodb.create_table(**table, **({"SSESpecification": sse} if how == "create_table" else {}))
    if how == "update_table":
        dynamodb.update_table(TableName=table["TableName"], SSESpecification=sse)
    described = dynamodb.describe_table(TableName=table["TableName"])["Table"]
    reported = described.get("SSEDescription", {}).get("KMSMasterKeyArn")
    return "the key's ARN" if reported == key["Arn"] else reported


@pytest.mark.parametrize("how", ["create_table", "update_table"])
def test_sse_by_alias_plain_moto_does_not_report_the_key_arn(how: str, plain_moto: Any) -> None:
    assert _encrypted_by_alias(plain_moto, how) != "the key's ARN"


@pytest.mark.parametrize("how", ["create_table", "update_table"])
def test_sse_by_alias_the_emulator_reports_the_key_arn(how: str, moto: MotoServer) -> None:
    assert _encrypted_by_alias(_served(moto), how) == "the key's ARN"


def _stream_off_and_on(client_for: Any) -> tuple[str, str]:
    """Enables a stream, disables it, enables another view type: the two stream ARNs (AWS mints a new one)."""
    table = f"fidelity-{next(_names)}"
    dynamodb = client_for("dynamodb")
    _table(dynamodb, table)
    spec = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    first = dynamodb.update_table(TableName=table, StreamSpecification=spec)["TableDescription"]["LatestStreamArn"]
    dynamodb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    again = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    return first, dynamodb.update_table(TableName=table, StreamSpecification=again)["TableDescription"][
        "LatestStreamArn"
    ]


def test_stream_plain_moto_refuses_a_second_stream_after_the_first_is_off(plain_moto: Any) -> None:
    with pytest.raises(ClientError) as refused:
        _stream_off_and_on(plain_moto)
    assert refused.value.response["Error"]["Code"] == "ResourceInUseException"


def test_stream_the_emulator_turns_a_stream_off_and_on_with_a_new_arn_as_aws_does(moto: MotoServer) -> None:
    first, second = _stream_off_and_on(_served(moto))
    assert first != second


def test_stream_enabling_an_enabled_stream_is_awss_validation_error(moto: MotoServer, plain_moto: Any) -> None:
    spec = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    answers = []
    for client_for in (plain_moto, _served(moto)):
        table = f"fidelity-{next(_names)}"
        _table(client_for("dynamodb"), table)
        client_for("dynamodb").update_table(TableName=table, StreamSpecification=spec)
        with pytest.raises(ClientError) as refused:
            client_for("dynamodb").update_table(TableName=table, StreamSpecification=spec)
        answers.append(refused.value.response["Error"])
    plain, served = answers
    assert plain["Code"] == "ResourceInUseException"
    assert (served["Code"], served["Message"].startswith("Table already has an enabled stream")) == (
        "ValidationException",
        True,
    )


def _table_classes(client_for: Any) -> list[str | None]:
    """The class a table created infrequent-access reports, then after a switch back to STANDARD."""
    table = f"fidelity-{next(_names)}"
    dynamodb = client_for("dynamodb")
    key = [{"AttributeName": "pk", "KeyType": "HASH"}]
    dynamodb.create_table(
        TableName=table,
        KeySchema=key,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        TableClass="STANDARD_INFREQUENT_ACCESS",
    )
    classes = [dynamodb.describe_table(TableName=table)["Table"].get("TableClassSummary", {}).get("TableClass")]
    dynamodb.update_table(TableName=table, TableClass="STANDARD")
    classes.append(dynamodb.describe_table(TableName=table)["Table"].get("TableClassSummary", {}).get("TableClass"))
    return classes


def test_table_class_plain_moto_reports_none(plain_moto: Any) -> None:
    assert _table_classes(plain_moto) == [None, None]


def test_table_class_the_emulator_reports_the_class_set(moto: MotoServer) -> None:
    assert _table_classes(_served(moto)) == ["STANDARD_INFREQUENT_ACCESS", "STANDARD"]


def _attributes_after_index_deleted(client_for: Any) -> list[str]:
    table = f"fidelity-{next(_names)}"
    dynamodb = client_for("dynamodb")
    _table(dynamodb, table)
    dynamodb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-g"}}])
    return sorted(a["AttributeName"] for a in dynamodb.describe_table(TableName=table)["Table"]["AttributeDefinitions"])


def test_index_deleted_plain_moto_keeps_its_key_attribute(plain_moto: Any) -> None:
    assert _attributes_after_index_deleted(plain_moto) == ["g", "pk"]


def test_index_deleted_the_emulator_keeps_only_key_attributes(moto: MotoServer) -> None:
    assert _attributes_after_index_deleted(_served(moto)) == ["pk"]


def test_index_key_types_an_item_without_the_index_key_is_written_and_a_mistyped_one_is_not(moto: MotoServer) -> None:
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "sparse"}, "h": {"N": "1"}})  # not in by-g: no key there
    with pytest.raises(ClientError):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "mistyped"}, "g": {"N": "1"}})
    stored = [dynamodb.get_item(TableName=table, Key={"pk": {"S": k}}).get("Item") for k in ("sparse", "mistyped")]
    assert stored == [{"pk": {"S": "sparse"}, "h": {"N": "1"}}, None]


# The ends of DynamoDB's number range (HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number).
RANGE_ENDS = {
    "largest magnitude": "9.9999999999999999999999999999999999999E+125",
    "smallest magnitude": "-1E-130",
    "38 significant digits": "12345678901234567890123456789012345678",
}


def test_numbers_at_the_ends_of_dynamodbs_range_are_stored(moto: MotoServer) -> None:
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    for name, number in RANGE_ENDS.items():
        dynamodb.put_item(TableName=table, Item={"pk": {"S": name}, "n": {"N": number}})
        dynamodb.update_item(
            TableName=table,
            Key={"pk": {"S": name}},
            UpdateExpression="SET #m = :n",
            ExpressionAttributeNames={"#m": "m"},
            ExpressionAttributeValues={":n": {"N": number}},
        )
    stored = {name: dynamodb.get_item(TableName=table, Key={"pk": {"S": name}})["Item"] for name in RANGE_ENDS}
    assert {name: (item["n"]["N"], item["m"]["N"]) for name, item in stored.items()} == {
        name: (number, number) for name, number in RANGE_ENDS.items()
    }


# Members that look alike and are distinct (set-members-distinct): DynamoDB stores each set as given.
DISTINCT_SETS = {
    "s": {"SS": ["a", "A", "a "]},
    "n": {"NS": ["1", "10", "-1"]},
    "b": {"BS": ["Yg==", "Yw=="]},
    "m": {"M": {"inner": {"SS": ["x", "y"]}}},
}


def test_sets_of_distinct_members_are_stored_as_given(moto: MotoServer) -> None:
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "sets"}, **DISTINCT_SETS})
    stored = dynamodb.get_item(TableName=table, Key={"pk": {"S": "sets"}})["Item"]
    counts = {"s": len(stored["s"]["SS"]), "n": len(stored["n"]["NS"]), "b": len(stored["b"]["BS"])}
    assert counts == {"s": 3, "n": 3, "b": 2}
    assert stored["m"] == DISTINCT_SETS["m"]


def test_a_set_naming_a_member_twice_writes_nothing(moto: MotoServer) -> None:
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    put = {"Put": {"TableName": table, "Item": {"pk": {"S": "first"}}}}
    twice = {"Put": {"TableName": table, "Item": {"pk": {"S": "second"}, "n": {"NS": ["2", "2.00"]}}}}
    with pytest.raises(ClientError, match="Input collection contains duplicates"):
        dynamodb.transact_write_items(TransactItems=[put, twice])
    assert [dynamodb.get_item(TableName=table, Key={"pk": {"S": k}}).get("Item") for k in ("first", "second")] == [
        None,
        None,
    ]


def test_paging_from_each_last_evaluated_key_reads_every_item_once(moto: MotoServer) -> None:
    """exclusive-start-key-matches-schema refuses only what DynamoDB never hands out as LastEvaluatedKey."""
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    for i in range(5):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": f"f{i}"}, "g": {"S": "x"}})
    index_query: dict[str, Any] = {"IndexName": "by-g", "KeyConditionExpression": "g = :g"}
    index_query["ExpressionAttributeValues"] = {":g": {"S": "x"}}
    read: dict[str, list[str]] = {}
    for operation, params in (("scan", {}), ("scan", {"IndexName": "by-g"}), ("query", index_query)):
        seen: list[str] = []
        start = None
        while True:
            page = getattr(dynamodb, operation)(
                TableName=table, Limit=2, **params, **({"ExclusiveStartKey": start} if start else {})
            )
            seen += [item["pk"]["S"] for item in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        read[f"{operation} {params.get('IndexName', 'table')}"] = sorted(seen)
    assert read == {key: [f"f{i}" for i in range(5)] for key in ("scan table", "scan by-g", "query by-g")}


def test_a_value_32_levels_deep_is_stored_by_put_and_batch_write(moto: MotoServer) -> None:
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "put"}, "d": nested_map(31)})
    batch = [{"PutRequest": {"Item": {"pk": {"S": "batch"}, "d": nested_map(31)}}}]
    dynamodb.batch_write_item(RequestItems={table: batch})
    stored = [dynamodb.get_item(TableName=table, Key={"pk": {"S": k}})["Item"]["d"] for k in ("put", "batch")]
    assert stored == [nested_map(31), nested_map(31)]


def test_a_filter_of_300_operators_is_evaluated(moto: MotoServer) -> None:
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "f1"}, "h": {"N": "0"}})
    condition = " OR ".join(["h < :v"] * 149) + " OR NOT h > :v"  # 150 comparisons, 149 ORs and a NOT
    found = dynamodb.scan(TableName=table, FilterExpression=condition, ExpressionAttributeValues={":v": {"N": "1"}})
    assert found["Count"] == 1


def test_an_expression_of_exactly_4_kb_is_evaluated(moto: MotoServer) -> None:
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "f1"}})
    condition = "attribute_not_exists(" + "x" * 4074 + ")"  # 4,096 bytes
    found = dynamodb.scan(TableName=table, FilterExpression=condition)
    assert (len(condition.encode()), found["Count"]) == (4096, 1)


def _put_sized(client_for: Any, size: int) -> None:
    """A PutItem of an item DynamoDB counts at ``size`` bytes: "pk" + "f1" (4) and "s" + a string."""
    dynamodb, table = client_for("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "f1"}, "s": {"S": "x" * (size - 5)}})


def test_item_size_plain_moto_refuses_an_item_dynamodb_stores(plain_moto: Any) -> None:
    with pytest.raises(ClientError, match="Item size has exceeded"):
        _put_sized(plain_moto, 409_600)


def test_item_size_the_emulator_stores_400_kb_and_refuses_a_byte_more(moto: MotoServer) -> None:
    _put_sized(_served(moto), 409_600)
    with pytest.raises(ClientError, match="Item size has exceeded"):
        _put_sized(_served(moto), 409_601)


def _get_in_one_transaction(client_for: Any, count: int) -> int:
    """How many of ``count`` items (f0, f1, ...; none stored) one TransactGetItems read."""
    dynamodb, table = client_for("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    gets = [{"Get": {"TableName": table, "Key": {"pk": {"S": f"f{i}"}}}} for i in range(count)]
    return len(dynamodb.transact_get_items(TransactItems=gets)["Responses"])


def test_transact_get_items_plain_moto_refuses_26_reads(plain_moto: Any) -> None:
    with pytest.raises(ClientError, match="Member must have length less than or equal to 25"):
        _get_in_one_transaction(plain_moto, 26)


def test_transact_get_items_the_emulator_reads_100_and_refuses_101(moto: MotoServer) -> None:
    assert _get_in_one_transaction(_served(moto), 100) == 100
    with pytest.raises(ClientError, match="Member must have length less than or equal to 100"):
        _get_in_one_transaction(_served(moto), 101)


def test_capacity_decreases_then_one_an_hour_with_each_index_on_its_own_budget(moto: MotoServer) -> None:
    dynamodb, table = _served(moto)("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    now = moto.advance_clock(0)
    moto.advance_clock(86400 - now % 86400 + 60)  # just past a UTC midnight: no day boundary in what follows
    update = functools.partial(dynamodb.update_table, TableName=table)
    for read in (4, 3, 2, 1):  # the day's four decreases, back to back
        update(ProvisionedThroughput={"ReadCapacityUnits": read, "WriteCapacityUnits": 5})
    lower_index = {
        "Update": {"IndexName": "by-g", "ProvisionedThroughput": {"ReadCapacityUnits": 4, "WriteCapacityUnits": 5}}
    }
    update(GlobalSecondaryIndexUpdates=[lower_index])  # the index's own first decrease
    update(ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 5})  # an increase: no limit
    lowered = {"ReadCapacityUnits": 2, "WriteCapacityUnits": 4}
    with pytest.raises(ClientError, match="Number of decreases today: 4"):
        update(ProvisionedThroughput=lowered)
    moto.advance_clock(3600)
    update(ProvisionedThroughput=lowered)  # an hour after the last decrease: one more
    with pytest.raises(ClientError, match="Number of decreases today: 5"):
        update(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 4})
    moto.advance_clock(86400)  # the next UTC day: four again
    update(ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 4})
    assert dynamodb.describe_table(TableName=table)["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"] == 1


def _sort_keyed_on_binary(client_for: Any) -> tuple[Any, str, Any]:
    """A table whose index `by-g-r` sorts on the binary `r`, and an UpdateItem of `r` by placeholder."""
    dynamodb, table = client_for("dynamodb"), f"fidelity-{next(_names)}"
    keys = [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}]
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in zip("pgr", "SSB", strict=True)],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "by-g-r", "KeySchema": keys, "Projection": {"ProjectionType": "ALL"}}],
    )
    update = functools.partial(
        dynamodb.update_item, TableName=table, UpdateExpression="SET #r = :v", ExpressionAttributeNames={"#r": "r"}
    )
    return dynamodb, table, update


SORT_KEY_VALUES = {
    "an empty binary": (b"", "cannot contain an empty binary value."),
    "1025 bytes": (b"r" * 1025, "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
}


@pytest.mark.parametrize("value", SORT_KEY_VALUES.values(), ids=list(SORT_KEY_VALUES))
def test_index_sort_key_values_plain_moto_stores_them(value: tuple[bytes, str], plain_moto: Any) -> None:
    _, _, update = _sort_keyed_on_binary(plain_moto)
    update(Key={"p": {"S": "f1"}}, ExpressionAttributeValues={":v": {"B": value[0]}})


@pytest.mark.parametrize("value", SORT_KEY_VALUES.values(), ids=list(SORT_KEY_VALUES))
def test_index_sort_key_values_the_emulator_refuses_them_and_writes_nothing(
    value: tuple[bytes, str], moto: MotoServer
) -> None:
    dynamodb, table, update = _sort_keyed_on_binary(_served(moto))
    dynamodb.put_item(TableName=table, Item={"p": {"S": "f1"}, "g": {"S": "x"}, "r": {"B": b"r"}})
    with pytest.raises(ClientError, match=re.escape(value[1])):
        update(Key={"p": {"S": "f1"}}, ExpressionAttributeValues={":v": {"B": value[0]}})
    assert dynamodb.get_item(TableName=table, Key={"p": {"S": "f1"}})["Item"]["r"] == {"B": b"r"}, "nothing written"
    update(Key={"p": {"S": "f1"}}, ExpressionAttributeValues={":v": {"B": b"r" * 1024}})  # at the limit: stored
    assert dynamodb.get_item(TableName=table, Key={"p": {"S": "f1"}})["Item"]["r"] == {"B": b"r" * 1024}


def _lowered_then_raised(client_for: Any) -> tuple[Any, str]:
    dynamodb, table = client_for("dynamodb"), f"fidelity-{next(_names)}"
    _table(dynamodb, table)
    for read in (4, 6):
        dynamodb.update_table(
            TableName=table, ProvisionedThroughput={"ReadCapacityUnits": read, "WriteCapacityUnits": 5}
        )
    return dynamodb, table


def test_capacity_changes_plain_moto_reports_no_decreases(plain_moto: Any) -> None:
    dynamodb, table = _lowered_then_raised(plain_moto)
    assert "NumberOfDecreasesToday" not in dynamodb.describe_table(TableName=table)["Table"]["ProvisionedThroughput"]


def test_capacity_changes_the_emulator_reports_todays_decreases_and_the_last_changes(moto: MotoServer) -> None:
    dynamodb, table = _lowered_then_raised(_served(moto))
    described = dynamodb.describe_table(TableName=table)["Table"]
    throughput, index = (
        described["ProvisionedThroughput"],
        described["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"],
    )
    assert throughput["NumberOfDecreasesToday"] == 1
    assert throughput["LastDecreaseDateTime"] <= throughput["LastIncreaseDateTime"]
    assert (index["NumberOfDecreasesToday"], "LastDecreaseDateTime" in index) == (0, False), "the index has its own"
    moto.advance_clock(86400)
    throughput = dynamodb.describe_table(TableName=table)["Table"]["ProvisionedThroughput"]
    assert (throughput["NumberOfDecreasesToday"], "LastDecreaseDateTime" in throughput) == (0, True), "a new UTC day"


def test_a_table_created_again_under_an_old_name_has_no_ttl_or_capacity_history(moto: MotoServer) -> None:
    dynamodb, table = _lowered_then_raised(_served(moto))
    enable = {"TimeToLiveSpecification": {"Enabled": True, "AttributeName": "expiration_time"}}
    dynamodb.update_time_to_live(TableName=table, **enable)
    dynamodb.delete_table(TableName=table)
    _table(dynamodb, table)
    dynamodb.update_time_to_live(TableName=table, **enable)  # no hour to wait: the TTL change was the old table's
    throughput = dynamodb.describe_table(TableName=table)["Table"]["ProvisionedThroughput"]
    assert (throughput["NumberOfDecreasesToday"], "LastIncreaseDateTime" in throughput) == (0, False)


def test_sse_keys_of_the_tables_account_and_region_encrypt_and_others_do_not(moto: MotoServer) -> None:
    client_for = _served(moto)
    dynamodb, key = client_for("dynamodb"), client_for("kms").create_key(Description="fidelity")["KeyMetadata"]
    client_for("kms").create_alias(AliasName="alias/fidelity-ledger", TargetKeyId=key["KeyId"])
    elsewhere = key["Arn"].replace(f":kms:{moto.region}:", ":kms:eu-central-1:")
    for given in (key["Arn"], key["KeyId"], "alias/fidelity-ledger", "alias/aws/dynamodb", elsewhere):
        table = f"fidelity-{next(_names)}"
        sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": given}
        create = functools.partial(dynamodb.create_table, **{**create_table_call(table)[1], "SSESpecification": sse})
        if given == elsewhere:  # a key lives in one Region: the same key id in another is another key
            with pytest.raises(ClientError, match=re.escape(f"NotFoundException: Key '{elsewhere}' does not exist")):
                create()
        else:
            create()
