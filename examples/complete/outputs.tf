output "table_name" {
  description = "Name of the ledger table."
  value       = module.ledger.table_name
}

output "table_arn" {
  description = "ARN of the ledger table."
  value       = module.ledger.table_arn
}

output "stream_arn" {
  description = "ARN of the ledger's change stream."
  value       = module.ledger.stream_arn
}

output "kms_key_arn" {
  description = "The customer-managed key that encrypts the table."
  value       = aws_kms_key.ledger.arn
}

output "glue_role_name" {
  description = "Role of the Glue job, holding the writer policy."
  value       = aws_iam_role.glue_job.name
}

output "lambda_role_name" {
  description = "Role of the skip-done Lambda, holding the reader policy."
  value       = aws_iam_role.skip_done_lambda.name
}

output "audit_index_name" {
  description = "Index the ledger's audit report queries."
  value       = module.ledger.audit_index_name
}
