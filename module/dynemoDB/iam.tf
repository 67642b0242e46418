locals {
  index_arns = "${local.table.arn}/index/*"

  # Every item-level (data-plane) action: what the optional deny withholds from unlisted principals.
  # Table management (Describe/Update/resource policy) stays with the account's administrators.
  data_plane_actions = [
    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
    "dynamodb:GetItem", "dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect",
    "dynamodb:PartiQLUpdate", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
  ]
  # Who the deny leaves out: the principals it grants the writer's actions, and those exempt without a grant.
  listed          = distinct(concat(var.resource_policy_principal_arns, var.restrict_exempt_principal_arns))
  policy_prefix   = coalesce(var.iam_policy_name_prefix, local.short_name)
  listed_accounts = [for p in local.listed : split(":", p)[4] if endswith(p, ":root")]
  listed_arns     = [for p in local.listed : p if !endswith(p, ":root")]
}

# One document per role of the contract (access.tf), each granting exactly its actions.
data "aws_iam_policy_document" "writer" {
  statement {
    sid       = "LedgerTable"
    effect    = "Allow"
    actions   = local.writer_table_actions
    resources = [local.table.arn]
  }
}

data "aws_iam_policy_document" "reader" {
  statement {
    sid       = "LedgerTable"
    effect    = "Allow"
    actions   = local.reader_table_actions
    resources = [local.table.arn]
  }
}

data "aws_iam_policy_document" "auditor" {
  statement {
    sid       = "LedgerTable"
    effect    = "Allow"
    actions   = local.auditor_table_actions
    resources = [local.table.arn]
  }
  statement {
    sid       = "LedgerIndexes"
    effect    = "Allow"
    actions   = local.auditor_index_actions
    resources = [local.index_arns]
  }
}

resource "aws_iam_policy" "writer" {
  count = var.create_iam_policies ? 1 : 0

  name        = "${local.policy_prefix}-ledger-writer"
  path        = var.iam_policy_path
  description = "Glue jobs: mark files in the ${local.short_name} ingestion ledger (item updates, no deletes)."
  policy      = data.aws_iam_policy_document.writer.json
  tags        = var.tags
}

resource "aws_iam_policy" "reader" {
  count = var.create_iam_policies ? 1 : 0

  name        = "${local.policy_prefix}-ledger-reader"
  path        = var.iam_policy_path
  description = "Lambda functions: read the ${local.short_name} ingestion ledger to skip processed files."
  policy      = data.aws_iam_policy_document.reader.json
  tags        = var.tags
}

resource "aws_iam_policy" "auditor" {
  count = var.create_iam_policies ? 1 : 0

  name        = "${local.policy_prefix}-ledger-auditor"
  path        = var.iam_policy_path
  description = "Monitoring: audit the ${local.short_name} ingestion ledger by status and time (reads only)."
  policy      = data.aws_iam_policy_document.auditor.json
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

# The optional table resource policy: the listed principals may write the ledger; with
# restrict_to_listed_principals, every other principal is denied its items, even one whose own IAM
# policy allows them (an explicit deny wins, in this account and across accounts).
data "aws_iam_policy_document" "resource_policy" {
  count = length(var.resource_policy_principal_arns) > 0 ? 1 : 0

  statement {
    sid       = "LedgerAccessForListedPrincipals"
    effect    = "Allow"
    actions   = local.writer_table_actions
    resources = [local.table.arn]

    principals {
      type        = "AWS"
      identifiers = var.resource_policy_principal_arns
    }
  }

  dynamic "statement" {
    for_each = var.restrict_to_listed_principals ? [1] : []
    content {
      sid       = "DenyLedgerItemsToUnlistedPrincipals"
      effect    = "Deny"
      actions   = local.data_plane_actions
      resources = [local.table.arn, local.index_arns]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      # Conditions in one statement are ANDed: denied only when the caller is none of the listed
      # roles or users and belongs to none of the listed accounts.
      dynamic "condition" {
        for_each = length(local.listed_arns) > 0 ? [1] : []
        content {
          test     = "ArnNotEquals"
          variable = "aws:PrincipalArn"
          values   = local.listed_arns
        }
      }
      dynamic "condition" {
        for_each = length(local.listed_accounts) > 0 ? [1] : []
        content {
          test     = "StringNotEquals"
          variable = "aws:PrincipalAccount"
          values   = local.listed_accounts
        }
      }
    }
  }
}

resource "aws_dynamodb_resource_policy" "this" {
  count = length(var.resource_policy_principal_arns) > 0 ? 1 : 0

  resource_arn = local.table.arn
  policy       = data.aws_iam_policy_document.resource_policy[0].json

  # DynamoDB takes a resource policy of at most 20 KB, whitespace counted (rbac-considerations.html). Known
  # at plan time once the table exists; on the first apply, before the policy is sent.
  lifecycle {
    precondition {
      condition     = length(data.aws_iam_policy_document.resource_policy[0].json) <= 20480
      error_message = "The table's resource policy would be ${length(data.aws_iam_policy_document.resource_policy[0].json)} bytes; DynamoDB takes at most 20 KB (20,480 bytes, whitespace counted). List fewer principals in resource_policy_principal_arns: name an account (arn:aws:iam::<account-id>:root) instead of its many roles."
    }
  }
}
