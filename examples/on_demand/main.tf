# An on-demand ledger: no capacities to plan, TTL after 90 days of retention, alarms to an SNS topic.
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

resource "aws_sns_topic" "ingestion_alerts" {
  name = "${var.table_name}-alerts"
  tags = local.tags
}

locals {
  tags = {
    Environment = var.environment
    Project     = "MetricCare"
  }
}

module "ledger" {
  source = "../../module/dynemoDB"

  table_name          = var.table_name
  billing_mode        = "PAY_PER_REQUEST"
  read_capacity       = null
  write_capacity      = null
  enable_ttl          = true
  ttl_attribute       = "expiration_time"
  deletion_protection = var.deletion_protection
  alarm_actions       = [aws_sns_topic.ingestion_alerts.arn]
  tags                = local.tags
}
