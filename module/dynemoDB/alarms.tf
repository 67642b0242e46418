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

  # A table's throttle metrics leave its indexes out ("The TableName dimension returns the WriteThrottleEvents
  # for the table, but not for any global secondary indexes", DynamoDB metrics and dimensions), and a
  # throttled index throttles the table's writes: every ledger write moves the audit index's keys. So
  # each index gets throttle alarms of its own, named as its autoscaling is (index_short_names).
  index_alarms = merge([
    for i in local.indexes : {
      for op, metric in { read = "ReadThrottleEvents", write = "WriteThrottleEvents" } :
      "${local.index_short_names[i.name]}-index-${op}-throttles" => {
        metric      = metric
        index       = i.name
        threshold   = var.alarm_thresholds.throttled_requests
        description = "${title(op)}s of index ${i.name} of the ${var.table_name} ledger are being throttled${op == "write" ? "; so are the writes to the table that change its keys" : ""}."
      }
    }
  ]...)

  alarms = var.enable_alarms ? merge(local.index_alarms, {
    "read-throttles" = {
      metric      = "ReadThrottleEvents"
      index       = null
      threshold   = var.alarm_thresholds.throttled_requests
      description = "Reads of the ${var.table_name} ledger are being throttled."
    }
    "write-throttles" = {
      metric      = "WriteThrottleEvents"
      index       = null
      threshold   = var.alarm_thresholds.throttled_requests
      description = "Writes to the ${var.table_name} ledger are being throttled."
    }
    "consumed-read-capacity" = {
      metric      = "ConsumedReadCapacityUnits"
      index       = null
      threshold   = local.consumed_read_threshold
      description = "Consumed read capacity of the ${var.table_name} ledger is near its ceiling."
    }
    "consumed-write-capacity" = {
      metric      = "ConsumedWriteCapacityUnits"
      index       = null
      threshold   = local.consumed_write_threshold
      description = "Consumed write capacity of the ${var.table_name} ledger is near its ceiling."
    }
  }) : {}
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${local.short_name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = "AWS/DynamoDB"
  metric_name         = each.value.metric
  dimensions          = merge({ TableName = local.table.name }, each.value.index == null ? {} : { GlobalSecondaryIndexName = each.value.index })
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
