# ---------------------------------------------------------------------------------------------------------
# Table identity and keys
# ---------------------------------------------------------------------------------------------------------

variable "table_name" {
  description = "Name of the DynamoDB ledger table: 3 to 255 characters of A-Z a-z 0-9 _ . -"
  type        = string
  default     = "metriccare_processed_files"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name must be 3 to 255 characters of A-Z a-z 0-9 _ . - (DynamoDB's naming rule), for example \"metriccare_processed_files\"."
  }
}

variable "hash_key" {
  description = "Partition key attribute of the ledger: one item per ingested file."
  type        = string
  default     = "file_id"

  validation {
    condition     = var.hash_key == null ? false : length(trimspace(var.hash_key)) > 0 && length(var.hash_key) <= 255
    error_message = "hash_key must be a non-empty attribute name of at most 255 characters (null is not allowed), for example \"file_id\"."
  }

  # The ledger's own attributes (dynemodb.ledger.schema.LEDGER_ATTRIBUTES; a test keeps this list equal).
  validation {
    condition     = var.hash_key == null ? true : !contains(["attempts", "audit_pk", "claimed_at", "completed_at", "completed_attempt", "failed_at", "last_error", "lease_expires_at", "lease_token", "metadata", "owner", "reopen_count", "reopen_id", "reopen_reason", "reopened_at", "reopened_attempts", "reopened_by", "reopened_from", "status", "updated_at"], var.hash_key)
    error_message = "hash_key must not be one of the attributes dynemodb.ledger writes on every record (status, updated_at, audit_pk, owner, lease_token, lease_expires_at, attempts, last_error, claimed_at, completed_at, failed_at, metadata, reopened_by ...); use for example \"file_id\"."
  }
}

variable "hash_key_type" {
  description = "DynamoDB scalar type of the partition key: S (string), N (number) or B (binary)."
  type        = string
  default     = "S"

  validation {
    condition     = contains(["S", "N", "B"], var.hash_key_type)
    error_message = "hash_key_type must be one of \"S\", \"N\" or \"B\"."
  }
}

variable "range_key" {
  description = "Optional sort key attribute (null for a hash-key-only table, which is what the ledger client uses)."
  type        = string
  default     = null

  validation {
    condition     = var.range_key == null ? true : length(trimspace(var.range_key)) > 0 && length(var.range_key) <= 255
    error_message = "range_key must be null (no sort key) or a non-empty attribute name of at most 255 characters."
  }

  validation {
    condition     = var.range_key == null ? true : !contains(["attempts", "audit_pk", "claimed_at", "completed_at", "completed_attempt", "failed_at", "last_error", "lease_expires_at", "lease_token", "metadata", "owner", "reopen_count", "reopen_id", "reopen_reason", "reopened_at", "reopened_attempts", "reopened_by", "reopened_from", "status", "updated_at"], var.range_key)
    error_message = "range_key must not be one of the attributes dynemodb.ledger writes on every record (status, updated_at, audit_pk, owner, lease_token, lease_expires_at, attempts, ...); leave it null for the ledger."
  }
}

variable "range_key_type" {
  description = "DynamoDB scalar type of the sort key when range_key is set: S, N or B."
  type        = string
  default     = "S"

  validation {
    condition     = contains(["S", "N", "B"], var.range_key_type)
    error_message = "range_key_type must be one of \"S\", \"N\" or \"B\"."
  }
}

variable "table_class" {
  description = "Table class: STANDARD or STANDARD_INFREQUENT_ACCESS."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "STANDARD_INFREQUENT_ACCESS"], var.table_class)
    error_message = "table_class must be \"STANDARD\" or \"STANDARD_INFREQUENT_ACCESS\"."
  }
}

# ---------------------------------------------------------------------------------------------------------
# Capacity
# ---------------------------------------------------------------------------------------------------------

variable "billing_mode" {
  description = "PROVISIONED (capacities plus autoscaling) or PAY_PER_REQUEST (on-demand; capacities may be null)."
  type        = string
  default     = "PROVISIONED"

  validation {
    condition     = contains(["PROVISIONED", "PAY_PER_REQUEST"], var.billing_mode)
    error_message = "billing_mode must be \"PROVISIONED\" or \"PAY_PER_REQUEST\"."
  }
}

variable "read_capacity" {
  description = "Provisioned read capacity units; with autoscaling, the minimum. Ignored (may be null) for PAY_PER_REQUEST."
  type        = number
  default     = 5

  validation {
    condition     = var.read_capacity == null ? true : floor(var.read_capacity) == var.read_capacity && var.read_capacity >= 1
    error_message = "read_capacity must be a whole number >= 1 (for example 5), or null with billing_mode = \"PAY_PER_REQUEST\"."
  }
}

variable "write_capacity" {
  description = "Provisioned write capacity units; with autoscaling, the minimum. Ignored (may be null) for PAY_PER_REQUEST."
  type        = number
  default     = 5

  validation {
    condition     = var.write_capacity == null ? true : floor(var.write_capacity) == var.write_capacity && var.write_capacity >= 1
    error_message = "write_capacity must be a whole number >= 1 (for example 5), or null with billing_mode = \"PAY_PER_REQUEST\"."
  }
}

variable "autoscaling" {
  description = <<-EOT
    Application autoscaling of read and write capacity for PROVISIONED tables (and their indexes): target
    tracking between the given capacity (minimum) and the max_* capacities. Ignored for PAY_PER_REQUEST.
  EOT
  type = object({
    enabled            = optional(bool, true)
    read_max_capacity  = optional(number, 100)
    write_max_capacity = optional(number, 100)
    target_utilization = optional(number, 70)
    scale_in_cooldown  = optional(number, 60)
    scale_out_cooldown = optional(number, 60)
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([
      for v in [var.autoscaling.read_max_capacity, var.autoscaling.write_max_capacity] : floor(v) == v && v >= 1
    ])
    error_message = "autoscaling.read_max_capacity and autoscaling.write_max_capacity must be whole numbers >= 1, for example 100."
  }

  validation {
    condition     = var.autoscaling.target_utilization >= 20 && var.autoscaling.target_utilization <= 90
    error_message = "autoscaling.target_utilization must be a percentage from 20 to 90 (DynamoDB's range), for example 70."
  }

  validation {
    condition = alltrue([
      for v in [var.autoscaling.scale_in_cooldown, var.autoscaling.scale_out_cooldown] : floor(v) == v && v >= 0
    ])
    error_message = "autoscaling.scale_in_cooldown and autoscaling.scale_out_cooldown must be whole seconds >= 0, for example 60."
  }
}

# ---------------------------------------------------------------------------------------------------------
# Expiry, recovery, encryption, protection, streams
# ---------------------------------------------------------------------------------------------------------

variable "enable_ttl" {
  description = "Enable DynamoDB time to live on ttl_attribute, so ledger records expire after their retention."
  type        = bool
  default     = false
  nullable    = false
}

variable "ttl_attribute" {
  description = "Number attribute (epoch seconds) that holds each item's expiry. Sent to DynamoDB also when enable_ttl is false: DynamoDB refuses to turn TTL off without the attribute's name."
  type        = string
  default     = "expiration_time"

  validation {
    condition     = var.ttl_attribute == null ? false : length(trimspace(var.ttl_attribute)) > 0 && length(var.ttl_attribute) <= 255
    error_message = "ttl_attribute must be an attribute name of 1 to 255 characters, also when enable_ttl is false (DynamoDB needs it to turn TTL off), for example \"expiration_time\"."
  }

  # A TTL on updated_at (or any ledger attribute) would expire every record at once.
  validation {
    condition     = var.ttl_attribute == null ? true : !contains(["attempts", "audit_pk", "claimed_at", "completed_at", "completed_attempt", "failed_at", "last_error", "lease_expires_at", "lease_token", "metadata", "owner", "reopen_count", "reopen_id", "reopen_reason", "reopened_at", "reopened_attempts", "reopened_by", "reopened_from", "status", "updated_at"], var.ttl_attribute)
    error_message = "ttl_attribute must not be one of the attributes dynemodb.ledger writes on every record (status, updated_at, audit_pk, lease_expires_at, ...): a TTL on one of them would expire every record at once. Use its own attribute, for example \"expiration_time\"."
  }
}

variable "point_in_time_recovery" {
  description = "Enable point-in-time recovery (continuous backups for point_in_time_recovery_days)."
  type        = bool
  default     = true
  nullable    = false
}

variable "point_in_time_recovery_days" {
  description = "Days back to which point-in-time recovery can restore the table: 1 to 35 (DynamoDB's default and maximum). Applies while point_in_time_recovery is true."
  type        = number
  default     = 35
  nullable    = false

  validation {
    condition     = floor(var.point_in_time_recovery_days) == var.point_in_time_recovery_days && var.point_in_time_recovery_days >= 1 && var.point_in_time_recovery_days <= 35
    error_message = "point_in_time_recovery_days must be a whole number of days from 1 to 35 (DynamoDB's range), for example 35."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer-managed KMS key for server-side encryption (the key's ARN, not an alias ARN); null uses the AWS-owned key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null ? true : can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as \"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\", or null for the AWS-owned key."
  }

  # DynamoDB reports the ARN of the key that encrypts the table, whatever the request named
  # (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSEDescription.html).
  validation {
    condition     = var.kms_key_arn == null ? true : length(regexall(":alias/", var.kms_key_arn)) == 0
    error_message = "kms_key_arn must be the key's ARN, not an alias ARN: DynamoDB reports the ARN of the key that encrypts the table, so with an alias every plan would want to change the key. Pass the key ARN, for example data.aws_kms_alias.ledger.target_key_arn or aws_kms_key.ledger.arn."
  }
}

variable "deletion_protection" {
  description = "Protect the table from deletion. On by default: the ledger is the record of what was loaded."
  type        = bool
  default     = true
  nullable    = false
}

variable "stream_enabled" {
  description = "Enable a DynamoDB stream of ledger changes."
  type        = bool
  default     = false
  nullable    = false
}

variable "stream_view_type" {
  description = "What the stream records when stream_enabled: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES."
  type        = string
  default     = "NEW_AND_OLD_IMAGES"

  validation {
    condition     = contains(["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"], var.stream_view_type)
    error_message = "stream_view_type must be one of \"KEYS_ONLY\", \"NEW_IMAGE\", \"OLD_IMAGE\" or \"NEW_AND_OLD_IMAGES\"."
  }
}

# ---------------------------------------------------------------------------------------------------------
# Indexes
# ---------------------------------------------------------------------------------------------------------

variable "enable_audit_index" {
  description = <<-EOT
    Create the audit index: partition key audit_pk ("<STATUS>#<shard 00-15>", written by dynemodb.ledger so
    one status spreads over 16 partitions), sort key updated_at (Number). Answers "files by status over a
    time range" without a scan.
  EOT
  type        = bool
  default     = true
  nullable    = false
}

variable "audit_index_name" {
  description = "Name of the audit index."
  type        = string
  default     = "audit-status-time"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.audit_index_name))
    error_message = "audit_index_name must be 3 to 255 characters of A-Z a-z 0-9 _ . -, for example \"audit-status-time\"."
  }
}

variable "global_secondary_indexes" {
  description = <<-EOT
    Extra global secondary indexes. Their key attributes are declared on the table automatically. Under
    PROVISIONED billing they get the table's capacities and autoscaling.
  EOT
  type = list(object({
    name               = string
    hash_key           = string
    hash_key_type      = optional(string, "S")
    range_key          = optional(string)
    range_key_type     = optional(string, "S")
    projection_type    = optional(string, "ALL")
    non_key_attributes = optional(list(string), [])
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for i in var.global_secondary_indexes : can(regex("^[A-Za-z0-9_.-]{3,255}$", i.name))])
    error_message = "Each global_secondary_indexes[*].name must be 3 to 255 characters of A-Z a-z 0-9 _ . -."
  }

  validation {
    condition     = alltrue([for i in var.global_secondary_indexes : length(trimspace(i.hash_key)) > 0 && length(i.hash_key) <= 255 && (i.range_key == null ? true : length(trimspace(i.range_key)) > 0 && length(i.range_key) <= 255)])
    error_message = "Each global_secondary_indexes[*].hash_key must be a non-empty attribute name, and range_key null or non-empty (at most 255 characters each)."
  }

  validation {
    condition     = alltrue([for i in var.global_secondary_indexes : contains(["S", "N", "B"], i.hash_key_type) && contains(["S", "N", "B"], i.range_key_type)])
    error_message = "global_secondary_indexes[*].hash_key_type and range_key_type must be \"S\", \"N\" or \"B\"."
  }

  validation {
    condition     = alltrue([for i in var.global_secondary_indexes : contains(["ALL", "KEYS_ONLY", "INCLUDE"], i.projection_type)])
    error_message = "global_secondary_indexes[*].projection_type must be \"ALL\", \"KEYS_ONLY\" or \"INCLUDE\" (INCLUDE with non_key_attributes)."
  }

  # DynamoDB answers "Both the Hash Key and the Range Key element in the KeySchema have the same name".
  validation {
    condition     = alltrue([for i in var.global_secondary_indexes : i.range_key == null || i.range_key != i.hash_key])
    error_message = "Each global_secondary_indexes[*].range_key must differ from its hash_key (a key schema names an attribute once), or be null."
  }

  validation {
    condition     = length(distinct([for i in var.global_secondary_indexes : i.name])) == length(var.global_secondary_indexes)
    error_message = "global_secondary_indexes names must be unique."
  }

  # DynamoDB's Projection: NonKeyAttributes takes 1 to 20 names of 1 to 255 characters, only with INCLUDE,
  # and at most 100 summed over a table's indexes
  # (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Projection.html).
  validation {
    condition = alltrue([for i in var.global_secondary_indexes : i.projection_type == "INCLUDE" ? (
      length(i.non_key_attributes) >= 1 && length(i.non_key_attributes) <= 20 &&
      alltrue([for a in i.non_key_attributes : a == null ? false : length(trimspace(a)) > 0 && length(a) <= 255])
    ) : length(i.non_key_attributes) == 0])
    error_message = "global_secondary_indexes[*].non_key_attributes: an INCLUDE index names 1 to 20 non-empty attributes (at most 255 characters each), for example { projection_type = \"INCLUDE\", non_key_attributes = [\"source_bucket\"] }; ALL and KEYS_ONLY take none (leave non_key_attributes out)."
  }

  validation {
    condition     = sum(concat([0], [for i in var.global_secondary_indexes : length(i.non_key_attributes)])) <= 100
    error_message = "global_secondary_indexes: at most 100 non_key_attributes summed over all indexes (DynamoDB's limit per table); use projection_type = \"ALL\" for an index that needs more."
  }
}

# ---------------------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------------------

variable "create_iam_policies" {
  description = "Create the Glue writer and Lambda reader managed policies (scoped to this table and its indexes)."
  type        = bool
  default     = true
  nullable    = false
}

variable "iam_policy_path" {
  description = "Path for the managed IAM policies."
  type        = string
  default     = "/"

  validation {
    # CreatePolicy's Path: printable ASCII between slashes, no asterisk (IAM API reference).
    condition     = can(regex("^/([\\x21-\\x29\\x2B-\\x7E]*/)?$", var.iam_policy_path)) && length(var.iam_policy_path) <= 512
    error_message = "iam_policy_path must begin and end with \"/\" (for example \"/\" or \"/ingestion/\"), hold no \"*\" or space, at most 512 characters."
  }
}

variable "iam_policy_name_prefix" {
  description = <<-EOT
    Prefix of the managed IAM policies' names (<prefix>-ledger-writer, -reader, -auditor); null uses the table
    name. IAM names are unique in the account whatever the Region or path, and not case-sensitive, while table
    names are per Region and case-sensitive: the same ledger in a second Region of one account needs a prefix
    of its own there (for example "metriccare_processed_files-eu-west-1"), else its apply fails at CreatePolicy
    (EntityAlreadyExists) after the table is created.
  EOT
  type        = string
  default     = null

  validation {
    # CreatePolicy's PolicyName: 1 to 128 of [\w+=,.@-]; "-ledger-auditor" takes 15 of them.
    condition     = var.iam_policy_name_prefix == null ? true : can(regex("^[A-Za-z0-9_+=,.@-]{1,113}$", var.iam_policy_name_prefix))
    error_message = "iam_policy_name_prefix must be 1 to 113 characters of A-Z a-z 0-9 _ + = , . @ - (IAM's policy name characters, with room for \"-ledger-auditor\"), for example \"metriccare_processed_files-eu-west-1\", or null for the table name."
  }
}

variable "glue_role_names" {
  description = "Names (not ARNs) of existing IAM roles of Glue jobs to attach the writer policy to."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for r in var.glue_role_names : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", r))])
    error_message = "glue_role_names must be IAM role names (1 to 64 of A-Z a-z 0-9 +=,.@_-), not ARNs: write \"etl-glue-role\", not \"arn:aws:iam::123456789012:role/etl-glue-role\"."
  }
}

variable "lambda_role_names" {
  description = "Names (not ARNs) of existing IAM roles of Lambda functions to attach the reader policy to."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for r in var.lambda_role_names : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", r))])
    error_message = "lambda_role_names must be IAM role names (1 to 64 of A-Z a-z 0-9 +=,.@_-), not ARNs: write \"skip-done-lambda-role\", not a role ARN."
  }
}

variable "resource_policy_principal_arns" {
  description = <<-EOT
    IAM principal ARNs (account root, role or user) allowed the ledger's item actions by a table resource
    policy. Empty: no resource policy. Wildcards are refused.
  EOT
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.resource_policy_principal_arns : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]+|user/[A-Za-z0-9+=,.@_/-]+)$", p))])
    error_message = "resource_policy_principal_arns must be IAM ARNs without wildcards, such as \"arn:aws:iam::123456789012:role/etl-glue-role\" or \"arn:aws:iam::123456789012:root\"."
  }
}

# ---------------------------------------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------------------------------------

variable "enable_alarms" {
  description = "Create CloudWatch alarms on throttled requests (of the table and of each index) and on consumed read/write capacity."
  type        = bool
  default     = true
  nullable    = false
}

variable "alarm_actions" {
  description = "ARNs (SNS topics and the like) notified when an alarm fires and when it recovers."
  type        = list(string)
  default     = []
  nullable    = false

  # The targets PutMetricAlarm accepts (CloudWatch API reference, AlarmActions) on an alarm that watches a
  # table: EC2 actions only act on an alarm of an EC2 instance. The emulator enforces the same list
  # (src/dynemodb/harness/emulator/gaps/alarms_scaling.py).
  validation {
    condition = alltrue([for a in var.alarm_actions : a == null ? false : can(regex(join("", [
      "^arn:aws[a-z-]*:(",
      "sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}",
      "|lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?",
      "|autoscaling:[a-z0-9-]+:[0-9]{12}:scalingPolicy:.+",
      "|ssm:[a-z0-9-]+:[0-9]{12}:opsitem:[1-4](#CATEGORY=.+)?",
      "|ssm-incidents::[0-9]{12}:responseplan/.+",
      ")$",
    ]), a))])
    error_message = "alarm_actions must be alarm targets: SNS topic ARNs (for example \"arn:aws:sns:eu-west-1:123456789012:ingestion-alerts\"), Lambda function, Auto Scaling policy, OpsItem or incident response plan ARNs. An S3 bucket or other ARN cannot be notified by an alarm, and an EC2 action (stop, terminate, reboot, recover) acts only for an alarm on an EC2 instance, not on these alarms of the table."
  }

  validation {
    condition     = length(var.alarm_actions) <= 5
    error_message = "alarm_actions can hold at most 5 ARNs (CloudWatch's limit per alarm state); fan out through one SNS topic instead."
  }
}

variable "alarm_thresholds" {
  description = <<-EOT
    Alarm thresholds. throttled_requests: throttle events per period above which to alarm (0 = any).
    consumed_capacity_percent: for PROVISIONED, percent of the (maximum autoscaled) capacity.
    on_demand_read_units / on_demand_write_units: for PAY_PER_REQUEST, consumed units per second.
  EOT
  type = object({
    period_seconds            = optional(number, 300)
    evaluation_periods        = optional(number, 2)
    throttled_requests        = optional(number, 0)
    consumed_capacity_percent = optional(number, 80)
    on_demand_read_units      = optional(number, 1000)
    on_demand_write_units     = optional(number, 1000)
  })
  default  = {}
  nullable = false

  # DynamoDB publishes its metrics each minute, so a period is a multiple of 60 (PutMetricAlarm also takes
  # 10, 20 and 30, for high-resolution metrics only). CloudWatch limits period x evaluation_periods to one
  # day for periods under an hour, seven days otherwise (PutMetricAlarm's Period in its API reference).
  validation {
    condition     = var.alarm_thresholds.period_seconds >= 60 && var.alarm_thresholds.period_seconds % 60 == 0 && var.alarm_thresholds.evaluation_periods >= 1 && floor(var.alarm_thresholds.evaluation_periods) == var.alarm_thresholds.evaluation_periods
    error_message = "alarm_thresholds.period_seconds must be a multiple of 60 (DynamoDB's metrics are per minute), for example 300, and evaluation_periods a whole number >= 1."
  }

  validation {
    condition     = var.alarm_thresholds.period_seconds * var.alarm_thresholds.evaluation_periods <= (var.alarm_thresholds.period_seconds < 3600 ? 86400 : 604800)
    error_message = "alarm_thresholds: period_seconds x evaluation_periods may be at most 86400 (one day) for periods under 3600 s, or 604800 (seven days) otherwise (CloudWatch's limit), for example 300 x 288."
  }

  validation {
    condition     = var.alarm_thresholds.throttled_requests >= 0 && var.alarm_thresholds.consumed_capacity_percent > 0 && var.alarm_thresholds.consumed_capacity_percent <= 100 && var.alarm_thresholds.on_demand_read_units > 0 && var.alarm_thresholds.on_demand_write_units > 0
    error_message = "alarm_thresholds: throttled_requests >= 0, consumed_capacity_percent in (0, 100], on_demand_*_units > 0."
  }
}

variable "tags" {
  description = "Tags for every taggable resource (table, policies, autoscaling targets, alarms)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.tags : v != null])
    error_message = "tags: every value must be a string (\"\" for an empty value), not null."
  }

  validation {
    condition     = length(var.tags) <= 50
    error_message = "tags: at most 50 tags per resource (the AWS limit); drop or combine some."
  }

  # DynamoDB's tag rules, the strictest of the services tagged here (no "@").
  validation {
    condition = alltrue([for k, v in var.tags : v == null ? true : (
      length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:") &&
      can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+-]+$", k)) && can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+-]*$", v))
    )])
    error_message = "tags: keys 1 to 128 and values up to 256 characters of letters, digits, spaces and _ . : / = + - only (no |, <, >, @ ...), and no key starting with \"aws:\"; for example { Project = \"MetricCare\" }."
  }
}

variable "restrict_to_listed_principals" {
  description = <<-EOT
    With resource_policy_principal_arns: also deny the table's item actions to every principal not listed
    there or in restrict_exempt_principal_arns, whatever its own IAM policies allow. Table management
    (describe, update, the resource policy itself) is not denied.
  EOT
  type        = bool
  default     = false
  nullable    = false
}

variable "restrict_exempt_principal_arns" {
  description = <<-EOT
    With restrict_to_listed_principals: principal ARNs (account root, role or user) the deny leaves out
    without the resource policy granting them anything, so that their own IAM policies decide: the reader
    (skip-done Lambda) and auditor (monitoring) roles, which resource_policy_principal_arns would give the
    writer's actions.
  EOT
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.restrict_exempt_principal_arns : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]+|user/[A-Za-z0-9+=,.@_/-]+)$", p))])
    error_message = "restrict_exempt_principal_arns must be IAM ARNs without wildcards, such as \"arn:aws:iam::123456789012:role/skip-done-lambda\" or \"arn:aws:iam::123456789012:root\"."
  }
}
