output "table_name" {
  description = "Name of the ledger table."
  value       = module.ledger.table_name
}

output "table_arn" {
  description = "ARN of the ledger table."
  value       = module.ledger.table_arn
}

output "alarm_topic_arn" {
  description = "SNS topic the ledger's alarms notify."
  value       = aws_sns_topic.ingestion_alerts.arn
}
