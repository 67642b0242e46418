table_name     = "ledger-autoscaled"
read_capacity  = 10
write_capacity = 20
autoscaling = {
  read_max_capacity  = 40
  write_max_capacity = 400
  target_utilization = 50
  scale_in_cooldown  = 300
  scale_out_cooldown = 30
}
enable_ttl = true
tags       = { Environment = "staging", Project = "MetricCare" }
