locals {
  period = var.alarm_thresholds.period_seconds

  # Consumed capacity is alarmed against what the table can actually serve: the autoscaling ceiling when
  # autoscaled, the fixed capacity when not, and a per-second budget when on-demand. CloudWatch sums
  # consumed units over the period, so per-second figures are multiplied by it.
  read_ceiling  = local.autoscaled ? var.autoscaling.read_max_capacity : coalesce(var.read_capacity, 1)
  write_ceiling = local.autoscaled ? var.autoscaling.write_max_capacity : coalesce(var.write_capacity, 1)
  consumed_read_threshold = local.provisioned ? (
    local.read_ceiling * var.alarm_thresholds.consumed_capacity_percent / 100 * local.period
  ) : var.alarm_thresholds.on_demand_read_units * local.period
  consumed_write_threshold = local.provisioned ? (
    local.write_ceiling * var.alarm_thresholds.consumed_capacity_percent / 100 * local.period
  ) : var.alarm_thresholds.on_demand_write_units * local.period

  alarms = var.enable_alarms ? {
    "read-throttles" = {
      metric      = "ReadThrottleEvents"
      threshold   = var.alarm_thresholds.throttled_requests
      description = "Reads of the ${var.table_name} ledger are being throttled."
    }
    "write-throttles" = {
      metric      = "WriteThrottleEvents"
      threshold   = var.alarm_thresholds.throttled_requests
      description = "Writes to the ${var.table_name} ledger are being throttled."
    }
    "consumed-read-capacity" = {
      metric      = "ConsumedReadCapacityUnits"
      threshold   = local.consumed_read_threshold
      description = "Consumed read capacity of the ${var.table_name} ledger is near its ceiling."
    }
    "consumed-write-capacity" = {
      metric      = "ConsumedWriteCapacityUnits"
      threshold   = local.consumed_write_threshold
      description = "Consumed write capacity of the ${var.table_name} ledger is near its ceiling."
    }
  } : {}
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${local.short_name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = "AWS/DynamoDB"
  metric_name         = each.value.metric
  dimensions          = { TableName = local.table.name }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = var.alarm_thresholds.evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
