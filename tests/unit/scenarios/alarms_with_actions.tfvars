table_name    = "ledger-alarmed"
alarm_actions = ["arn:aws:sns:us-east-1:123456789012:ingestion-alerts"]
alarm_thresholds = {
  period_seconds            = 60
  evaluation_periods        = 5
  throttled_requests        = 10
  consumed_capacity_percent = 90
}
autoscaling = { read_max_capacity = 20, write_max_capacity = 30 }
enable_ttl  = true
tags        = { Environment = "dev", Project = "MetricCare" }
