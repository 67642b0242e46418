output "table_name" {
  description = "Name of the ledger table."
  value       = local.table.name
}

output "table_arn" {
  description = "ARN of the ledger table."
  value       = local.table.arn
}

output "hash_key" {
  description = "Partition key attribute of the ledger (pass it to dynemodb.ledger.Ledger)."
  value       = var.hash_key
}

output "ttl_attribute" {
  description = "Attribute that holds item expiry, or null when TTL is off."
  value       = local.ttl_attribute
}

output "audit_index_name" {
  description = "Name of the audit index, or null when it is not created."
  value       = var.enable_audit_index ? var.audit_index_name : null
}

output "stream_arn" {
  description = "ARN of the table's stream, or null when streams are off."
  value       = var.stream_enabled ? local.table.stream_arn : null
}

output "writer_policy_arn" {
  description = "ARN of the Glue writer managed policy, or null when create_iam_policies is false."
  value       = var.create_iam_policies ? aws_iam_policy.writer[0].arn : null
}

output "reader_policy_arn" {
  description = "ARN of the Lambda reader managed policy, or null when create_iam_policies is false."
  value       = var.create_iam_policies ? aws_iam_policy.reader[0].arn : null
}

output "auditor_policy_arn" {
  description = "ARN of the monitoring (audit report) managed policy, or null when create_iam_policies is false."
  value       = var.create_iam_policies ? aws_iam_policy.auditor[0].arn : null
}

output "writer_policy_json" {
  description = "The writer policy document, for roles managed elsewhere."
  value       = data.aws_iam_policy_document.writer.json
}

output "reader_policy_json" {
  description = "The reader policy document, for roles managed elsewhere."
  value       = data.aws_iam_policy_document.reader.json
}

output "auditor_policy_json" {
  description = "The auditor policy document, for roles managed elsewhere."
  value       = data.aws_iam_policy_document.auditor.json
}

output "autoscaled" {
  description = "Whether application autoscaling manages the table's capacities."
  value       = local.autoscaled
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by alarm key (read-throttles, write-throttles, consumed-read-capacity, consumed-write-capacity, and <index>-index-read-throttles / <index>-index-write-throttles per index)."
  value       = { for k, a in aws_cloudwatch_metric_alarm.this : k => a.arn }
}
