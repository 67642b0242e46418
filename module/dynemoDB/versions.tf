# Floors, and what sets them:
# - Terraform >= 1.4 / OpenTofu >= 1.6: the terraform_data resource that carries the cross-variable
#   preconditions (1.4), optional() object attributes with defaults and startswith() (1.3). Cross-variable
#   rules are preconditions rather than cross-variable validation blocks (Terraform 1.9 only) so that
#   older releases and OpenTofu accept them.
# - hashicorp/aws >= 5.78: turning TTL off. DynamoDB refuses UpdateTimeToLive with an empty AttributeName,
#   also when disabling, so the module sends ttl { enabled = false, attribute_name = var.ttl_attribute }.
#   5.58 began refusing a name with enabled = false (validation from provider PR #37991; regression
#   #39195, reported on 5.66), which left no way to turn TTL off; 5.78.0 accepts it again ("Allow table
#   TTL to be disabled by allowing ttl[0].attribute_name to be set when ttl[0].enabled is false", #40046,
#   which terraform-aws-modules/terraform-aws-dynamodb-table#93 cites when raising its own floor).
#   aws_dynamodb_resource_policy (5.43) is covered by this floor too. < 7 because 7.x may change the table
#   schema.
# - hashicorp/aws >= 5.98: point_in_time_recovery.recovery_period_in_days, which both table resources set,
#   arrived with provider PR #41484 (merged 2025-05-07; terraform-aws-modules/terraform-aws-dynamodb-table
#   took it up in its v4.4.0 of 2025-05-17). An older provider refuses every plan ("An argument named
#   recovery_period_in_days is not expected here"). 5.98.0 is the first release of that May we are sure
#   postdates the merge; only 5.100.0 is tested.
terraform {
  required_version = ">= 1.4.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.98.0, < 7.0.0"
    }
  }
}
