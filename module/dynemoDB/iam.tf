locals {
  # What dynemodb.ledger does: conditional puts and updates, point reads, batch reads, audit queries.
  # No DeleteItem, Scan or table administration: a Glue job never needs them.
  writer_table_actions = [
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
  ]
  # What the skip-done Lambda does: reads only.
  reader_table_actions = [
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
  ]
  index_actions = ["dynamodb:Query"]
  index_arns    = "${local.table.arn}/index/*"
}

data "aws_iam_policy_document" "writer" {
  statement {
    sid       = "LedgerItemWrites"
    effect    = "Allow"
    actions   = local.writer_table_actions
    resources = [local.table.arn]
  }
  statement {
    sid       = "LedgerIndexQueries"
    effect    = "Allow"
    actions   = local.index_actions
    resources = [local.index_arns]
  }
}

data "aws_iam_policy_document" "reader" {
  statement {
    sid       = "LedgerItemReads"
    effect    = "Allow"
    actions   = local.reader_table_actions
    resources = [local.table.arn]
  }
  statement {
    sid       = "LedgerIndexQueries"
    effect    = "Allow"
    actions   = local.index_actions
    resources = [local.index_arns]
  }
}

resource "aws_iam_policy" "writer" {
  count = var.create_iam_policies ? 1 : 0

  name        = "${local.short_name}-ledger-writer"
  path        = var.iam_policy_path
  description = "Glue jobs: mark files in the ${local.short_name} ingestion ledger (item writes, no deletes)."
  policy      = data.aws_iam_policy_document.writer.json
  tags        = var.tags
}

resource "aws_iam_policy" "reader" {
  count = var.create_iam_policies ? 1 : 0

  name        = "${local.short_name}-ledger-reader"
  path        = var.iam_policy_path
  description = "Lambda functions: read the ${local.short_name} ingestion ledger to skip processed files."
  policy      = data.aws_iam_policy_document.reader.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "glue_writer" {
  for_each = var.create_iam_policies ? toset(var.glue_role_names) : toset([])

  role       = each.value
  policy_arn = aws_iam_policy.writer[0].arn
}

resource "aws_iam_role_policy_attachment" "lambda_reader" {
  for_each = var.create_iam_policies ? toset(var.lambda_role_names) : toset([])

  role       = each.value
  policy_arn = aws_iam_policy.reader[0].arn
}

# A table resource policy that grants the ledger's item actions to the listed principals only.
data "aws_iam_policy_document" "resource_policy" {
  count = length(var.resource_policy_principal_arns) > 0 ? 1 : 0

  statement {
    sid       = "LedgerAccessForListedPrincipals"
    effect    = "Allow"
    actions   = local.writer_table_actions
    resources = [local.table.arn, local.index_arns]

    principals {
      type        = "AWS"
      identifiers = var.resource_policy_principal_arns
    }
  }
}

resource "aws_dynamodb_resource_policy" "this" {
  count = length(var.resource_policy_principal_arns) > 0 ? 1 : 0

  resource_arn = local.table.arn
  policy       = data.aws_iam_policy_document.resource_policy[0].json
}
