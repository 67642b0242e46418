variable "table_name" {
  description = "Set by the run: a name unique to it."
  type        = string
}

variable "region" {
  description = "Set by the run: the target's region."
  type        = string
}

variable "deletion_protection" {
  description = "Set by the run: off, so that the run can destroy what it applied."
  type        = bool
}

variable "enable_ttl" {
  description = "The seed: true."
  type        = bool
  default     = true
}

variable "ttl_attribute" {
  description = "The seed: expiration_time."
  type        = string
  default     = "expiration_time"
}

variable "read_capacity" {
  description = "The seed: 5."
  type        = number
  default     = 5
}

variable "write_capacity" {
  description = "The seed: 5."
  type        = number
  default     = 5
}

variable "tags" {
  description = "The seed: Environment = terraform.workspace (\"default\" here), Project = MetricCare."
  type        = map(string)
  default = {
    Environment = "default"
    Project     = "MetricCare"
  }
}

variable "billing_mode" {
  description = "The module's default: PROVISIONED."
  type        = string
  default     = "PROVISIONED"
}

variable "autoscaling_enabled" {
  description = "The module's default: true."
  type        = bool
  default     = true
}

variable "point_in_time_recovery" {
  description = "The module's default: true."
  type        = bool
  default     = true
}

variable "point_in_time_recovery_days" {
  description = "The module's default: 35."
  type        = number
  default     = 35
}

variable "stream_enabled" {
  description = "The module's default: false."
  type        = bool
  default     = false
}

variable "range_key" {
  description = "The module's default: null (no sort key)."
  type        = string
  default     = null
}

variable "table_class" {
  description = "The module's default: STANDARD."
  type        = string
  default     = "STANDARD"
}

variable "stream_view_type" {
  description = "The module's default: NEW_AND_OLD_IMAGES."
  type        = string
  default     = "NEW_AND_OLD_IMAGES"
}

variable "kms_key_arn" {
  description = "The module's default: null (the AWS-owned key)."
  type        = string
  default     = null
}

variable "global_secondary_indexes" {
  description = "The module's default: none besides the audit index."
  type        = any
  default     = []
}

variable "alarm_actions" {
  description = "The module's default: none."
  type        = list(string)
  default     = []
}

variable "glue_role_names" {
  description = "The module's default: none."
  type        = list(string)
  default     = []
}

variable "resource_policy_principal_arns" {
  description = "The module's default: none."
  type        = list(string)
  default     = []
}

variable "restrict_to_listed_principals" {
  description = "The module's default: false."
  type        = bool
  default     = false
}
