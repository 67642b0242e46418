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
}

variable "deletion_protection" {
  description = "Protect the table from deletion (turn off only for throwaway environments)."
  type        = bool
  default     = true
}
