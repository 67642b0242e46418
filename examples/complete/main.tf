# Everything on: autoscaled provisioned capacity, TTL, PITR, a customer-managed KMS key, a stream, an
# extra index, the pipeline's roles with their policies, a table resource policy that admits only those
# roles, and alarms to an SNS topic.
terraform {
  required_version = ">= 1.4.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.98.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  tags = {
    Environment = var.environment
    Project     = "MetricCare"
    DataClass   = "PHI-metadata"
  }
}

resource "aws_kms_key" "ledger" {
  description             = "Encrypts the ${var.table_name} ingestion ledger."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

# Alarm state only, no ledger data. CloudWatch can publish to an encrypted topic only when the key's policy
# admits cloudwatch.amazonaws.com, which the ledger key's default policy does not.
resource "aws_sns_topic" "ingestion_alerts" {
  name = "${var.table_name}-alerts"
  tags = local.tags
}

data "aws_iam_policy_document" "glue_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "glue_job" {
  name               = "${var.table_name}-glue-job"
  assume_role_policy = data.aws_iam_policy_document.glue_trust.json
  tags               = local.tags
}

resource "aws_iam_role" "skip_done_lambda" {
  name               = "${var.table_name}-skip-done"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
  tags               = local.tags
}

module "ledger" {
  source = "../../module/dynemoDB"

  table_name     = var.table_name
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 10
  autoscaling = {
    read_max_capacity  = 50
    write_max_capacity = 200
    target_utilization = 60
  }
  enable_ttl             = true
  ttl_attribute          = "expiration_time"
  point_in_time_recovery = true
  kms_key_arn            = aws_kms_key.ledger.arn
  deletion_protection    = var.deletion_protection
  stream_enabled         = true
  stream_view_type       = "NEW_AND_OLD_IMAGES"
  global_secondary_indexes = [{
    name            = "by-source-bucket"
    hash_key        = "source_bucket"
    range_key       = "updated_at"
    range_key_type  = "N"
    projection_type = "KEYS_ONLY"
  }]
  glue_role_names                = [aws_iam_role.glue_job.name]
  lambda_role_names              = [aws_iam_role.skip_done_lambda.name]
  resource_policy_principal_arns = [aws_iam_role.glue_job.arn, aws_iam_role.skip_done_lambda.arn]
  alarm_actions                  = [aws_sns_topic.ingestion_alerts.arn]
  alarm_thresholds = {
    period_seconds            = 60
    evaluation_periods        = 3
    consumed_capacity_percent = 75
  }
  tags = local.tags
}
