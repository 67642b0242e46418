# The one IAM contract: the DynamoDB actions each caller of dynemodb.ledger needs, and no more. iam.tf
# grants exactly these; dynemodb.ledger.schema, the READMEs and the integration checks are tested against
# these lists (src/dynemodb/harness/contract.py reads them). Flat lists of literals, so that a static
# scan (Checkov on HCL, pre-commit) can read the policies too.
locals {
  # Glue jobs: claim, heartbeat, complete, fail, reopen and unprocessed(). Nothing on the indexes.
  writer_table_actions = ["dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:UpdateItem"]

  # The skip-done Lambda: is_done() and unprocessed(). Nothing on the indexes.
  reader_table_actions = ["dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:GetItem"]

  # Monitoring: `python -m dynemodb.ledger report` (queries of the audit index; a scan where there is none).
  auditor_table_actions = ["dynamodb:DescribeTable", "dynamodb:Scan"]
  auditor_index_actions = ["dynamodb:Query"]
}
