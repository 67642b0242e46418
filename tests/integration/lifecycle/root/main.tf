# The seed's module block (repository root main.tf) with each input a user changes over the table's life
# turned into a variable whose default is the seed's value; test_lifecycle.py checks the defaults still
# equal the seed. The lifecycle run applies it once as is, then one change at a time.
terraform {
  required_version = ">= 1.4.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.78.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region
}

module "dynemoDB" {
  source         = "../../../../module/dynemoDB"
  table_name     = var.table_name
  hash_key       = "file_id"
  read_capacity  = var.read_capacity
  write_capacity = var.write_capacity
  ttl_attribute  = var.ttl_attribute
  enable_ttl     = var.enable_ttl
  tags           = var.tags

  billing_mode                   = var.billing_mode
  autoscaling                    = { enabled = var.autoscaling_enabled }
  point_in_time_recovery         = var.point_in_time_recovery
  point_in_time_recovery_days    = var.point_in_time_recovery_days
  stream_enabled                 = var.stream_enabled
  stream_view_type               = var.stream_view_type
  table_class                    = var.table_class
  range_key                      = var.range_key
  kms_key_arn                    = var.kms_key_arn
  global_secondary_indexes       = var.global_secondary_indexes
  alarm_actions                  = var.alarm_actions
  glue_role_names                = var.glue_role_names
  resource_policy_principal_arns = var.resource_policy_principal_arns
  restrict_to_listed_principals  = var.restrict_to_listed_principals
  deletion_protection            = var.deletion_protection
}

output "table_name" {
  value = module.dynemoDB.table_name
}

output "table_arn" {
  value = module.dynemoDB.table_arn
}

output "writer_policy_arn" {
  value = module.dynemoDB.writer_policy_arn
}
