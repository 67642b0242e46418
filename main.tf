# The seed usage of the module, as users first met it. `nox -s plan_tests` plans this file (with test-only
# provider settings injected by the harness) and checks the table it gives.
module "dynemoDB" {
  source         = "./module/dynemoDB"
  table_name     = "metriccare_processed_files"
  hash_key       = "file_id"
  read_capacity  = 5
  write_capacity = 5
  ttl_attribute  = "expiration_time"
  enable_ttl     = true
  tags = {
    Environment = terraform.workspace
    Project     = "MetricCare"
  }
}

output "table_name" {
  value = module.dynemoDB.table_name
}

output "table_arn" {
  value = module.dynemoDB.table_arn
}
