# A provisioned, autoscaled ledger with the pipeline's own roles: the Glue job role gets the writer
# policy, the skip-done Lambda role the reader policy. Each role trusts only its AWS service.
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
  }
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
  read_capacity  = 5
  write_capacity = 10
  autoscaling = {
    read_max_capacity  = 50
    write_max_capacity = 200
    target_utilization = 70
  }
  enable_ttl          = true
  deletion_protection = var.deletion_protection
  glue_role_names     = [aws_iam_role.glue_job.name]
  lambda_role_names   = [aws_iam_role.skip_done_lambda.name]
  tags                = local.tags
}
