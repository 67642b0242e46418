table_name     = "ledger-everything"
hash_key       = "file_id"
range_key      = "attempt"
range_key_type = "N"
billing_mode   = "PROVISIONED"
read_capacity  = 5
write_capacity = 5
enable_ttl     = true
ttl_attribute  = "expires_at"
kms_key_arn    = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
stream_enabled = true
table_class    = "STANDARD_INFREQUENT_ACCESS"

point_in_time_recovery_days = 14
global_secondary_indexes = [{
  name               = "by-source"
  hash_key           = "source_bucket"
  projection_type    = "INCLUDE"
  non_key_attributes = ["status"]
}]
glue_role_names                = ["etl-glue-job"]
lambda_role_names              = ["skip-done-lambda"]
resource_policy_principal_arns = ["arn:aws:iam::123456789012:role/etl-glue-job"]
alarm_actions                  = ["arn:aws:sns:us-east-1:123456789012:ingestion-alerts"]
tags                           = { Environment = "prod", Project = "MetricCare", Owner = "data-platform" }
