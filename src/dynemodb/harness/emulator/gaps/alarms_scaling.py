"""Alarm and autoscaling settings AWS refuses and moto 5.2.5 stores."""

from __future__ import annotations

import re

from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.exceptions import JsonRESTError
from moto.dynamodb.models import dynamodb_backends

from dynemodb.harness.emulator.gaps.registry import Gap, checked_first

# The action ARNs PutMetricAlarm accepts (AlarmActions in the API reference); the module's validation of
# alarm_actions uses the same list (module/dynemoDB/variables.tf).
ALARM_ACTION = re.compile(
    r"^arn:aws[a-z-]*:("
    r"sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}"
    r"|lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?"
    r"|autoscaling:[a-z0-9-]+:\d{12}:scalingPolicy:.+"
    r"|automate:[a-z0-9-]+:ec2:(stop|terminate|reboot|recover)"
    r"|swf:[a-z0-9-]+:\d{12}:action/actions/AWS_EC2\.InstanceId\.(Stop|Terminate|Reboot)/1\.0"
    r"|ssm:[a-z0-9-]+:\d{12}:opsitem:[1-4](#CATEGORY=.+)?"
    r"|ssm-incidents::\d{12}:responseplan/.+"
    r")$"
)
# The EC2 actions among them, which act only on an alarm that watches an EC2 instance.
EC2_ACTION = re.compile(r"^arn:aws[a-z-]*:(automate:[a-z0-9-]+:ec2:|swf:[a-z0-9-]+:\d{12}:action/actions/AWS_EC2\.)")
# PutMetricAlarm's Period: 10, 20, 30 or a multiple of 60; Period x EvaluationPeriods at most one day for
# periods under an hour and seven days otherwise (the module's alarm_thresholds validation is the same rule).
HIGH_RESOLUTION_PERIODS = frozenset({10, 20, 30})
ONE_DAY, SEVEN_DAYS = 86_400, 604_800
DYNAMODB_METRICS = frozenset({"DynamoDBReadCapacityUtilization", "DynamoDBWriteCapacityUtilization"})

GAPS = (
    Gap(
        "alarm-action-targets",
        "differs",
        "cloudwatch:PutMetricAlarm",
        "each ARN of AlarmActions, OKActions and InsufficientDataActions is an SNS topic, Lambda function, "
        "Auto Scaling policy, EC2 action, Systems Manager OpsItem or incident response plan; moto stores an S3 "
        "ARN or any string. (At most 5 of each: request-members-within-the-model.)",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    ),
    Gap(
        "ec2-actions-on-ec2-alarms",
        "differs",
        "cloudwatch:PutMetricAlarm",
        "an EC2 action (stop, terminate, reboot, recover) is taken only by an alarm on an EC2 instance (an "
        "InstanceId dimension): ValidationError 'Invalid use of EC2 action. An EC2 action can only be used if the "
        "alarm is monitoring an EC2 instance.'; moto stores it on an alarm of a DynamoDB table.",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/UsingAlarmActions.html (EC2 actions); "
        "AWS's answer as quoted by AWS Support in marklogic/cloud-enablement-aws#82",
    ),
    Gap(
        "alarm-evaluation-window",
        "differs",
        "cloudwatch:PutMetricAlarm",
        "Period is 10, 20, 30 or a multiple of 60, and Period x EvaluationPeriods is at most 86,400 s for a "
        "period under 3,600 s and 604,800 s otherwise; moto stores a 90 s period and 300 s x 289.",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (Period)",
    ),
    Gap(
        "scalable-target-bounds",
        "differs",
        "application-autoscaling:RegisterScalableTarget",
        "MinCapacity may not exceed MaxCapacity; moto registers min 10, max 5.",
        "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html",
    ),
    Gap(
        "scalable-target-table-exists",
        "differs",
        "application-autoscaling:RegisterScalableTarget (dynamodb)",
        "the table a DynamoDB scalable target names must exist: ValidationException 'DynamoDB table does not "
        "exist: table/<name>'; moto registers a target on any name, so a target applied before its table (no "
        "dependency on it) passed.",
        "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html "
        "(ResourceId: the table, or the table and index); AWS's answer as reported in "
        "terraform-aws-modules/terraform-aws-dynamodb-table#15 and ocadotechnology/hippolyte#7",
    ),
    Gap(
        "scalable-target-index-exists",
        "differs",
        "application-autoscaling:RegisterScalableTarget (dynamodb index)",
        "a target on table/<name>/index/<index> needs that global secondary index: ValidationException 'DynamoDB "
        "index does not exist: table/<name>/index/<index>'; moto registers a target on any index name, so a "
        "target applied before its index (or naming a mistyped one) passed.",
        "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html "
        "(ResourceId: 'DynamoDB global secondary index - The resource type is index and the unique identifier is "
        "the index name'); AWS's answer as captured in aws-controllers-k8s' ack-api-quirks (DDB-TABLE-322)",
    ),
    Gap(
        "step-scaling-not-for-dynamodb",
        "differs",
        "application-autoscaling:PutScalingPolicy (dynamodb)",
        "DynamoDB takes target tracking only: a StepScaling policy on a table or index is refused "
        "(ValidationException; the wording is the emulator's, AWS's is not published); moto stores it.",
        "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html (PolicyType: "
        "'StepScaling—Not supported for DynamoDB, Amazon Comprehend, Lambda, Amazon Keyspaces, Amazon MSK, "
        "Amazon ElastiCache, or Neptune.')",
    ),
    Gap(
        "scaling-policy-needs-target",
        "differs",
        "application-autoscaling:PutScalingPolicy",
        "a scaling policy needs its scalable target registered first: ObjectNotFoundException 'No scalable target "
        "registered for service namespace: dynamodb, resource ID: <id>, scalable dimension: <dimension>'; moto "
        "stores the policy, so a policy applied before its target passed.",
        "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html "
        "(ObjectNotFoundException); AWS's answer as reported in ansible/ansible#40237 and TerraConstructs/base#42",
    ),
    Gap(
        "dynamodb-target-utilization",
        "differs",
        "application-autoscaling:PutScalingPolicy",
        "a DynamoDB target-tracking policy's target value is a utilization from 20 to 90 percent; moto accepts 95.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html",
    ),
)


def _check_alarm(handler: CloudWatchResponse) -> None:
    for field in ("AlarmActions", "OKActions", "InsufficientDataActions"):
        for arn in handler._get_param(field, []) or []:
            if not ALARM_ACTION.match(arn):
                raise ValidationError(f"Invalid alarm action {arn!r} in {field}: not an alarm target ARN")
            dimensions = handler._get_param("Dimensions", []) or []
            if EC2_ACTION.match(arn) and not any(d.get("Name") == "InstanceId" for d in dimensions):
                raise ValidationError(
                    "Invalid use of EC2 action. An EC2 action can only be used if the alarm is monitoring an EC2 "
                    "instance."
                )


def _check_window(handler: CloudWatchResponse) -> None:
    period, periods = handler._get_param("Period"), handler._get_param("EvaluationPeriods")
    if period is None:
        return  # a metric-math alarm sets its periods per metric
    period = int(period)
    if period not in HIGH_RESOLUTION_PERIODS and period % 60:
        raise ValidationError(f"Period {period} is not valid: use 10, 20, 30 or a multiple of 60")
    limit = ONE_DAY if period < 3600 else SEVEN_DAYS
    if periods is not None and period * int(periods) > limit:
        raise ValidationError(f"Period x EvaluationPeriods ({period} x {periods}) exceeds {limit} seconds")


def _check_alarm_request(handler: CloudWatchResponse) -> None:
    _check_alarm(handler)
    _check_window(handler)


def _check_bounds(handler: ApplicationAutoScalingResponse) -> None:
    low, high = handler._get_param("MinCapacity"), handler._get_param("MaxCapacity")
    if low is not None and high is not None and int(low) > int(high):
        raise AWSValidationException("Minimum capacity cannot be larger than maximum capacity")


def _check_table_exists(handler: ApplicationAutoScalingResponse) -> None:
    resource = str(handler._get_param("ResourceId") or "")
    if handler._get_param("ServiceNamespace") != "dynamodb" or not resource.startswith("table/"):
        return
    parts = resource.split("/")
    table = dynamodb_backends[handler.current_account][handler.region].tables.get(parts[1])
    if table is None:
        raise AWSValidationException(f"DynamoDB table does not exist: table/{parts[1]}")
    if len(parts) >= 4 and parts[2] == "index" and parts[3] not in {i.name for i in table.global_indexes}:
        raise AWSValidationException(f"DynamoDB index does not exist: {resource}")


def _check_registration(handler: ApplicationAutoScalingResponse) -> None:
    _check_bounds(handler)
    _check_table_exists(handler)


class _ObjectNotFound(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ObjectNotFoundException", message)


def _check_registered(handler: ApplicationAutoScalingResponse) -> None:
    namespace, resource, dimension = (
        handler._get_param(p) for p in ("ServiceNamespace", "ResourceId", "ScalableDimension")
    )
    if not handler.applicationautoscaling_backend._scalable_target_exists(resource, dimension):
        raise _ObjectNotFound(
            f"No scalable target registered for service namespace: {namespace}, resource ID: {resource}, "
            f"scalable dimension: {dimension}"
        )


def _check_policy(handler: ApplicationAutoScalingResponse) -> None:
    if handler._get_param("ServiceNamespace") == "dynamodb" and handler._get_param("PolicyType") == "StepScaling":
        raise AWSValidationException(
            "StepScaling policies are not supported for service namespace dynamodb: use TargetTrackingScaling"
        )
    _check_target(handler)
    _check_registered(handler)


def _check_target(handler: ApplicationAutoScalingResponse) -> None:
    config = handler._get_param("TargetTrackingScalingPolicyConfiguration") or {}
    metric = (config.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType")
    value = config.get("TargetValue")
    if metric in DYNAMODB_METRICS and value is not None and not 20 <= float(value) <= 90:
        raise AWSValidationException(f"TargetValue {value} is out of range for {metric}: use 20 to 90")


def install() -> None:
    CloudWatchResponse.put_metric_alarm = checked_first(_check_alarm_request, CloudWatchResponse.put_metric_alarm)  # type: ignore[method-assign]
    response = ApplicationAutoScalingResponse
    response.register_scalable_target = checked_first(_check_registration, response.register_scalable_target)  # type: ignore[method-assign]
    response.put_scaling_policy = checked_first(_check_policy, response.put_scaling_policy)  # type: ignore[method-assign]
