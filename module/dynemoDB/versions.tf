# Floors, and what sets them:
# - Terraform >= 1.4 / OpenTofu >= 1.6: the terraform_data resource that carries the cross-variable
#   preconditions (1.4), optional() object attributes with defaults and startswith() (1.3). Cross-variable
#   rules are preconditions rather than cross-variable validation blocks (Terraform 1.9 only) so that
#   older releases and OpenTofu accept them.
# - hashicorp/aws >= 5.43: aws_dynamodb_resource_policy first shipped in 5.43.0; with an older 5.x the
#   resource type does not exist. < 7 because 7.x may change the table schema.
terraform {
  required_version = ">= 1.4.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.43.0, < 7.0.0"
    }
  }
}
