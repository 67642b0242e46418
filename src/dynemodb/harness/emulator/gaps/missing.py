"""What moto 5.2.5 lacks (calls it does not implement, or answers in a shape clients cannot read).

1. application-autoscaling ListTagsForResource is not implemented: moto answers HTTP 500. The provider reads
   a scalable target's tags after every create and refresh of aws_appautoscaling_target and retries a 500
   for many minutes, so an apply of any autoscaled example hangs.
   Fill: answer it from tags kept on moto's scalable target; ResourceNotFoundException for an unknown ARN,
   as AWS answers.
2. application-autoscaling RegisterScalableTarget drops the request's Tags, so fill 1 would report none and
   every re-plan would want to add them back (drift that AWS would not show).
   Fill: keep them on a newly registered target (AWS changes the tags of an existing target only through
   TagResource and UntagResource).
3. application-autoscaling TagResource and UntagResource are not implemented: a tag change on a target
   would fail the apply.
   Fill: add and remove tags on the target.
4. IAM enforcement of DynamoDB requests (INITIAL_NO_AUTH_ACTION_COUNT, /moto-api/reset-auth) checks every
   request against resource "*". A statement scoped to a table ARN never matches, so the module's scoped
   policies deny everything and a wildcard policy allows everything: nothing about resource scoping could
   be shown at runtime.
   Fill: tell moto the request's resource, through the hook moto itself uses for SQS, IAM and STS: the
   table ARN, table/index/<name> for a Query or Scan of an index, "*" for requests that name no single table
   (ListTables, batches over several tables).
5. A denied DynamoDB request is answered as an XML ErrorResponse with HTTP 403, which boto3 cannot parse
   for a JSON-protocol service: the caller sees error code "403", not AccessDeniedException.
   Fill: answer as DynamoDB does, HTTP 400 with a JSON AccessDeniedException naming the action and resource.
6. dynamodb UpdateTable ignores SSESpecification: a table switched to a customer-managed key keeps
   reporting the AWS-owned key, so every re-plan wants to set the key again (drift AWS would not show).
   Fill: apply it as DynamoDB does: Enabled with a KMSMasterKeyId is that key (SSEType KMS), Enabled alone
   the AWS managed key (alias/aws/dynamodb), Enabled false the AWS-owned key again.
7. dynamodb CreateTable and UpdateTable ignore TableClass, and DescribeTable never reports a
   TableClassSummary: a table created or switched to STANDARD_INFREQUENT_ACCESS reads back as STANDARD (the
   provider's reading of no summary), so every re-plan wants to change the class again.
   Fill: keep the class a request sets and report it as TableClassSummary, as DynamoDB does.
8. dynamodb CreateTable and UpdateTable ignore OnDemandThroughput, of the table and of its global secondary
   indexes, and DescribeTable never reports it: a table given on_demand_throughput reads back without it,
   so every re-plan wants to set the limits again.
   Fill: keep the limits a request sets (an update changes the units it names) and report them.

A gap not listed in this package fails the apply fast instead of hanging it: the provider settings for moto set
max_retries = 2 (endpoints.py), so the provider gives up on an HTTP 500 within seconds and names the call.

Differences that need no fill, and where they are covered instead:
- moto ignores DynamoDB resource policies when it authorises a request (it stores and returns them). The
  harness verifies the stored document and evaluates it (integration/iam.py, and verify.py: verify_scoping);
  in the sandbox, DynamoDB itself enforces it.
- moto does not make conditional writes atomic across server threads. serve.py serves one request at a
  time, which is what DynamoDB guarantees for a single item.
- moto never deletes TTL-expired items (DynamoDB takes up to days). The ledger checks expiry on read; the
  harness verifies the TTL setting, not deletions.
"""

from __future__ import annotations

import json
import time
from typing import Any

from moto.applicationautoscaling.models import ApplicationAutoscalingBackend, FakeScalableTarget
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.core.exceptions import AccessDeniedError, JsonRESTError
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler, DynamoResult

from dynemodb.harness.emulator.gaps.registry import Gap

AAS_API = "https://docs.aws.amazon.com/autoscaling/application/APIReference"
GAPS = (
    Gap(
        "autoscaling-list-tags",
        "lacks",
        "application-autoscaling:ListTagsForResource",
        "not implemented (HTTP 500, the provider retries for minutes)",
        f"{AAS_API}/API_ListTagsForResource.html",
    ),
    Gap(
        "autoscaling-register-tags",
        "lacks",
        "application-autoscaling:RegisterScalableTarget",
        "the request's Tags are dropped",
        f"{AAS_API}/API_RegisterScalableTarget.html",
    ),
    Gap(
        "autoscaling-tag-untag",
        "lacks",
        "application-autoscaling:TagResource/UntagResource",
        "not implemented",
        f"{AAS_API}/API_TagResource.html",
    ),
    Gap(
        "iam-resource-of-dynamodb-requests",
        "lacks",
        "dynamodb:* under IAM enforcement",
        'checked against resource "*", so ARN-scoped statements never match',
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/using-identity-based-policies.html",
    ),
    Gap(
        "iam-denial-shape",
        "lacks",
        "dynamodb:* under IAM enforcement",
        "XML body with HTTP 403 instead of a JSON AccessDeniedException",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html",
    ),
    Gap(
        "table-class",
        "lacks",
        "dynamodb:CreateTable/UpdateTable/DescribeTable",
        "TableClass is ignored and no TableClassSummary is reported: an infrequent-access table reads as STANDARD",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableClassSummary.html",
    ),
    Gap(
        "update-table-sse",
        "lacks",
        "dynamodb:UpdateTable",
        "SSESpecification is ignored: the key of an existing table never changes. AWS switches to the key given, "
        "to the AWS managed key (alias/aws/dynamodb) for Enabled without a key, and to the AWS owned key for "
        "Enabled false.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html; "
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSESpecification.html (Enabled: 'If "
        "enabled (true), server-side encryption type is set to KMS and an AWS managed key is used')",
    ),
    Gap(
        "on-demand-throughput-kept",
        "lacks",
        "dynamodb:CreateTable/UpdateTable/DescribeTable (OnDemandThroughput)",
        "OnDemandThroughput of the table and its indexes is ignored and never reported: a table given maximum "
        "request units reads back without them",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html "
        "(OnDemandThroughput) and API_GlobalSecondaryIndexDescription.html (OnDemandThroughput); the provider reads "
        "both into on_demand_throughput (internal/service/dynamodb/table.go)",
    ),
)

# DynamoDB operations whose resource is the index they name (IndexName), not the table.
_INDEX_OPERATIONS = frozenset({"Query", "Scan"})


class _ResourceNotFound(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"No scalable target found for ARN {arn}")


def _target_by_arn(backend: ApplicationAutoscalingBackend, arn: str) -> FakeScalableTarget:
    for by_resource in backend.targets.values():
        for target in by_resource.values():
            if target.arn == arn:
                return target
    raise _ResourceNotFound(arn)


def _tags(target: FakeScalableTarget) -> dict[str, str]:
    # moto's target has no tags attribute; the fill keeps them on the object so they die with it.
    if not hasattr(target, "dynemodb_tags"):
        target.dynemodb_tags = {}  # type: ignore[attr-defined]
    return target.dynemodb_tags  # type: ignore[attr-defined]


def _list_tags_for_resource(self: ApplicationAutoScalingResponse) -> str:
    target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
    return json.dumps({"Tags": _tags(target)})


def _tag_resource(self: ApplicationAutoScalingResponse) -> str:
    target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
    _tags(target).update(self._get_param("Tags") or {})
    return json.dumps({})


def _untag_resource(self: ApplicationAutoScalingResponse) -> str:
    target = _target_by_arn(self.applicationautoscaling_backend, self._get_param("ResourceARN"))
    for key in self._get_param("TagKeys") or []:
        _tags(target).pop(key, None)
    return json.dumps({})


_moto_register_scalable_target = ApplicationAutoScalingResponse.register_scalable_target


def _register_scalable_target(self: ApplicationAutoScalingResponse) -> str:
    backend = self.applicationautoscaling_backend
    is_new = not backend._scalable_target_exists(self._get_param("ResourceId"), self._get_param("ScalableDimension"))
    body = _moto_register_scalable_target(self)
    if is_new:
        target = _target_by_arn(backend, json.loads(body)["ScalableTargetARN"])
        _tags(target).update(self._get_param("Tags") or {})
    return body


def _dynamodb_resource(self: Any) -> str:
    """The ARN IAM authorises a DynamoDB request against (moto's hook; it calls it before the action)."""
    params = self.body if isinstance(self.body, dict) else {}
    table = params.get("TableName")
    if table is None:
        tables = list(params.get("RequestItems") or {})
        table = tables[0] if len(tables) == 1 else None
    if table is None:
        return "*"
    arn = f"arn:aws:dynamodb:{self.region}:{self.current_account}:table/{table}"
    index = params.get("IndexName")
    if index and self.get_endpoint_name(self.headers) in _INDEX_OPERATIONS:
        return f"{arn}/index/{index}"
    return arn


class _DynamoDBAccessDenied(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("AccessDeniedException", message)


_moto_authorize = DynamoHandler._authenticate_and_authorize_normal_action


def _dynamodb_authorize(self: Any, resource: str = "*") -> None:
    try:
        _moto_authorize(self, resource)
    except AccessDeniedError as exc:
        raise _DynamoDBAccessDenied(f"{exc.message} on resource: {resource}") from None


_moto_update_table = DynamoHandler.update_table
_moto_create_table = DynamoHandler.create_table
_moto_describe = Table.describe
TABLE_CLASS = "dynemodb_table_class"  # (class, when it last changed) kept on moto's Table
ON_DEMAND = "dynemodb_on_demand"  # index name ("" for the table) -> its OnDemandThroughput, kept on moto's Table


def table_class(table: Table) -> str:
    """The class a table has: the one a request set, else DynamoDB's default."""
    return str(getattr(table, TABLE_CLASS, ("STANDARD", None))[0])


def _keep_table_class(self: Any, answer: Any) -> Any:
    """After a CreateTable or UpdateTable that sets TableClass: the class kept on the table, the answer
    re-described with it; without one, moto's answer as it is."""
    if not self.body.get("TableClass"):
        return answer
    table = self.dynamodb_backend.get_table(self.body["TableName"])
    setattr(table, TABLE_CLASS, (self.body["TableClass"], time.time() if hasattr(table, TABLE_CLASS) else None))
    return DynamoResult(table.describe())


def _keep_on_demand(self: Any, answer: Any) -> Any:
    """After a CreateTable or UpdateTable: the OnDemandThroughput it sets, of the table and of each index it
    creates or updates, kept on the table (an update changes the units it names); the answer re-described."""
    body = self.body
    updates = [u.get("Create") or u.get("Update") or {} for u in body.get("GlobalSecondaryIndexUpdates") or []]
    given = {"": body.get("OnDemandThroughput")} | {
        i.get("IndexName"): i.get("OnDemandThroughput") for i in [*(body.get("GlobalSecondaryIndexes") or []), *updates]
    }
    given = {name: limits for name, limits in given.items() if isinstance(limits, dict) and isinstance(name, str)}
    if not given:
        return answer
    table = self.dynamodb_backend.get_table(body["TableName"])
    kept = getattr(table, ON_DEMAND, {})
    setattr(table, ON_DEMAND, kept | {name: {**kept.get(name, {}), **limits} for name, limits in given.items()})
    return DynamoResult(table.describe())


def _create_table(self: Any) -> Any:
    return _keep_on_demand(self, _keep_table_class(self, _moto_create_table(self)))


def _describe(self: Table, base_key: str = "TableDescription") -> dict[str, Any]:
    result = _moto_describe(self, base_key)
    if (kept := getattr(self, TABLE_CLASS, None)) is not None:
        table_class, updated = kept
        summary = {"TableClass": table_class, **({"LastUpdateDateTime": updated} if updated else {})}
        result[base_key]["TableClassSummary"] = summary
    limits = getattr(self, ON_DEMAND, {})
    if "" in limits:
        result[base_key]["OnDemandThroughput"] = limits[""]
    for index in result[base_key].get("GlobalSecondaryIndexes") or []:
        if index.get("IndexName") in limits:
            index["OnDemandThroughput"] = limits[index["IndexName"]]
    return result


def _update_table(self: Any) -> Any:
    answer = _moto_update_table(self)
    spec = self.body.get("SSESpecification")
    if spec is not None:
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        if spec.get("Enabled"):
            key = spec.get("KMSMasterKeyId") or table._get_default_encryption_key(self.current_account, self.region)
            table.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}
        elif spec.get("Enabled") is False:
            table.sse_specification = None
        answer = DynamoResult(table.describe())
    return _keep_on_demand(self, _keep_table_class(self, answer))


def install() -> None:
    """Apply every fill listed above. Idempotent; call it in the server process before serving."""
    ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.tag_resource = _tag_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.untag_resource = _untag_resource  # type: ignore[attr-defined]
    ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target  # type: ignore[method-assign]
    DynamoHandler._determine_resource = _dynamodb_resource  # type: ignore[attr-defined]
    DynamoHandler._authenticate_and_authorize_normal_action = _dynamodb_authorize  # type: ignore[method-assign]
    DynamoHandler.update_table = _update_table  # type: ignore[method-assign]
    DynamoHandler.create_table = _create_table  # type: ignore[method-assign]
    Table.describe = _describe  # type: ignore[method-assign]
