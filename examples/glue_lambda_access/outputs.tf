output "table_name" {
  description = "Name of the ledger table."
  value       = module.ledger.table_name
}

output "table_arn" {
  description = "ARN of the ledger table."
  value       = module.ledger.table_arn
}

output "glue_role_name" {
  description = "Role of the Glue job, holding the writer policy."
  value       = aws_iam_role.glue_job.name
}

output "lambda_role_name" {
  description = "Role of the skip-done Lambda, holding the reader policy."
  value       = aws_iam_role.skip_done_lambda.name
}

output "writer_policy_arn" {
  description = "The writer policy attached to the Glue role."
  value       = module.ledger.writer_policy_arn
}

output "reader_policy_arn" {
  description = "The reader policy attached to the Lambda role."
  value       = module.ledger.reader_policy_arn
}
