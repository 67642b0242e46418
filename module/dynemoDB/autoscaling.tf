locals {
  scaled_dimensions = {
    read  = { units = "ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization", min = var.read_capacity, max = var.autoscaling.read_max_capacity }
    write = { units = "WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization", min = var.write_capacity, max = var.autoscaling.write_max_capacity }
  }

  # One scalable target per (table or index) x (read or write), keyed "table:read", "index:<name>:write".
  # Index names enter policy names shortened like the table name, so names stay within AWS limits.
  # Grouped (...) and then the first taken, so an index named like the audit index reaches the module's own
  # precondition message instead of failing here with "Duplicate object key".
  scaled_target_groups = local.autoscaled ? merge(
    { for d, spec in local.scaled_dimensions : "table:${d}" => merge(spec, {
      resource_id = "table/${var.table_name}"
      dimension   = "dynamodb:table:${spec.units}"
      policy_name = "${local.short_name}-${d}-target-tracking"
    })... },
    { for pair in setproduct(local.indexes, keys(local.scaled_dimensions)) : "index:${pair[0].name}:${pair[1]}" => merge(local.scaled_dimensions[pair[1]], {
      resource_id = "table/${var.table_name}/index/${pair[0].name}"
      dimension   = "dynamodb:index:${local.scaled_dimensions[pair[1]].units}"
      policy_name = "${local.short_name}-${local.index_short_names[pair[0].name]}-${pair[1]}-target-tracking"
    })... },
  ) : {}
  scaled_targets = { for key, group in local.scaled_target_groups : key => group[0] }
}

resource "aws_appautoscaling_target" "this" {
  for_each = local.scaled_targets

  service_namespace  = "dynamodb"
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.dimension
  min_capacity       = each.value.min
  max_capacity       = each.value.max
  tags               = var.tags

  depends_on = [aws_dynamodb_table.autoscaled]
}

resource "aws_appautoscaling_policy" "this" {
  for_each = local.scaled_targets

  name               = each.value.policy_name
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.target_utilization
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown
    scale_out_cooldown = var.autoscaling.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}
