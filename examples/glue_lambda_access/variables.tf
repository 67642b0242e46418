variable "region" {
  description = "AWS region of the ledger."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Environment tag value, for example dev, staging or prod."
  type        = string
  default     = "dev"
}

variable "table_name" {
  description = "Name of the ledger table."
  type        = string
  default     = "metriccare-pipeline-ledger"

  validation {
    # The example names its roles "<table_name>-glue-job" and "<table_name>-skip-done"; IAM role names are
    # at most 64 characters.
    condition     = can(regex("^[A-Za-z0-9_.-]{3,54}$", var.table_name))
    error_message = "table_name must be 3 to 54 characters of A-Z a-z 0-9 _ . - in this example, so the role names derived from it fit IAM's 64-character limit."
  }
}

variable "deletion_protection" {
  description = "Protect the table from deletion (turn off only for throwaway environments)."
  type        = bool
  default     = true
}
