locals {
  provisioned = var.billing_mode == "PROVISIONED"
  autoscaled  = local.provisioned && var.autoscaling.enabled

  # Terraform cannot make lifecycle.ignore_changes conditional, so an autoscaled table (which must ignore
  # the capacity autoscaling sets) is a second resource; this is the one that exists.
  table = local.autoscaled ? aws_dynamodb_table.autoscaled[0] : aws_dynamodb_table.this[0]

  # Derived names must fit the tightest AWS limit they feed (IAM policy names: 128) for any valid table
  # name (up to 255 characters); long names keep a readable prefix plus a hash that keeps them unique.
  name_hash  = substr(sha1(var.table_name), 0, 8)
  short_name = length(var.table_name) <= 64 ? var.table_name : "${substr(var.table_name, 0, 55)}-${local.name_hash}"
  # The same for index names, in the names of their autoscaling policies and alarms.
  index_short_names = {
    for i in local.indexes : i.name => length(i.name) <= 64 ? i.name : "${substr(i.name, 0, 55)}-${substr(sha1(i.name), 0, 8)}"
  }

  audit_index = var.enable_audit_index ? [{
    name               = var.audit_index_name
    hash_key           = "audit_pk"
    hash_key_type      = "S"
    range_key          = "updated_at"
    range_key_type     = "N"
    projection_type    = "ALL"
    non_key_attributes = []
  }] : []
  indexes = concat(local.audit_index, var.global_secondary_indexes)

  # Every key attribute of the table and its indexes, as name => type. DynamoDB refuses attribute
  # definitions that no key uses, so attributes are only ever derived from keys.
  # With each key's index and the most bytes a value of it holds (2048 partition key, 1024 sort key).
  index_key_pairs = concat(
    [for i in local.indexes : { index = i.name, name = i.hash_key, type = i.hash_key_type, bytes = 2048 }],
    [for i in local.indexes : { index = i.name, name = i.range_key, type = i.range_key_type, bytes = 1024 } if i.range_key != null],
  )
  key_attribute_pairs = concat(
    [{ name = var.hash_key, type = var.hash_key_type }],
    var.range_key == null ? [] : [{ name = var.range_key, type = var.range_key_type }],
    [for p in local.index_key_pairs : { name = p.name, type = p.type }],
  )
  key_attributes = { for p in local.key_attribute_pairs : p.name => p.type... }

  ttl_attribute = var.enable_ttl ? var.ttl_attribute : null

  # The type dynemodb.ledger writes each of its attributes with (a copy of schema.ATTRIBUTE_TYPES). DynamoDB
  # refuses a write that gives an index key another type than the index's, so an index keyed on one of them
  # with another type would make the ledger's writes fail on AWS.
  ledger_attribute_types = {
    status            = "S"
    updated_at        = "N"
    audit_pk          = "S"
    owner             = "S"
    lease_token       = "S"
    lease_expires_at  = "N"
    attempts          = "N"
    last_error        = "S"
    claimed_at        = "N"
    completed_at      = "N"
    failed_at         = "N"
    metadata          = "M"
    completed_attempt = "N"
    reopened_at       = "N"
    reopened_by       = "S"
    reopen_reason     = "S"
    reopened_from     = "S"
    reopened_attempts = "N"
    reopen_id         = "S"
    reopen_count      = "N"
  }
  written_types = merge(local.ledger_attribute_types, local.ttl_attribute == null ? {} : { (local.ttl_attribute) = "N" })
  index_key_type_clashes = [
    for p in local.index_key_pairs : "${p.name} is keyed as ${p.type} but the ledger writes it as ${local.written_types[p.name]}"
    if lookup(local.written_types, p.name, p.type) != p.type
  ]

  # The most UTF-8 bytes dynemodb.ledger writes into its free-text attributes (a copy of
  # validation.TEXT_BYTES): an index keyed on text longer than its key's bytes refuses the ledger's writes.
  ledger_text_bytes = {
    owner         = 1024
    last_error    = 4000
    reopen_reason = 1000
    reopened_by   = 256
  }
  index_keys_too_short = [
    for k in local.index_key_pairs : "index ${k.index} keys ${k.name}, which holds up to ${k.bytes} bytes, but the ledger writes up to ${local.ledger_text_bytes[k.name]} bytes of text there"
    if lookup(local.ledger_text_bytes, k.name, 0) > k.bytes
  ]
}

# The Region and partition the provider creates the table and alarms in: read from its configuration,
# with no request to AWS.
data "aws_region" "current" {}
data "aws_partition" "current" {}
# The provider's default_tags, which it adds to every resource's tags: also read without a request.
data "aws_default_tags" "current" {}

locals {
  # KMS keys and alarm targets are regional. "KMS keys are specific to the AWS Region that they are
  # created in" (RDS API reference, KmsKeyId; for DynamoDB: "The key must be created in the same region as
  # the replica", CloudFormation ReplicaSSESpecification), and DynamoDB answers a key of another Region
  # "Key ... does not exist" after the rest of the apply has begun. CloudWatch refuses an action of
  # another Region or partition ("Invalid region ca-central-1 specified. Only us-west-2 is supported.",
  # "Invalid partition aws specified. Only aws-us-gov is supported.", as reported in
  # cds-snc/notification-terraform#128 and aws-samples/amazon-cloudwatch-auto-alarms#61). An incident
  # response plan's ARN names no Region.
  foreign_arns = [
    for a in concat(var.kms_key_arn == null ? [] : [var.kms_key_arn], var.alarm_actions) : a
    if split(":", a)[1] != data.aws_partition.current.partition || (split(":", a)[3] != "" && split(":", a)[3] != data.aws_region.current.name)
  ]
}

# Rules that involve more than one input. Variable validation blocks may only refer to other variables
# from Terraform 1.9 on (and not in every OpenTofu release), so these are preconditions: they fail the
# plan with the same kind of message before anything reaches AWS.
resource "terraform_data" "input_checks" {
  input = var.table_name

  lifecycle {
    precondition {
      condition     = !local.provisioned || (var.read_capacity != null && var.write_capacity != null)
      error_message = "billing_mode = \"PROVISIONED\" needs read_capacity and write_capacity (whole numbers >= 1); set them, or use billing_mode = \"PAY_PER_REQUEST\"."
    }
    precondition {
      condition     = var.ttl_attribute != var.hash_key && var.ttl_attribute != coalesce(var.range_key, "\u0000")
      error_message = "ttl_attribute must not be the table's hash_key or range_key (a key is never an epoch-seconds expiry); use its own attribute, for example \"expiration_time\"."
    }
    precondition {
      condition = !local.autoscaled || (
        var.autoscaling.read_max_capacity >= coalesce(var.read_capacity, 1) &&
        var.autoscaling.write_max_capacity >= coalesce(var.write_capacity, 1)
      )
      error_message = "autoscaling.read_max_capacity and write_max_capacity must be >= read_capacity and write_capacity (the autoscaling minimums)."
    }
    precondition {
      condition     = alltrue([for name, types in local.key_attributes : length(distinct(types)) == 1])
      error_message = "A key attribute is used with two different types across the table and its indexes; give each attribute name one type."
    }
    precondition {
      condition     = length(local.index_key_type_clashes) == 0
      error_message = "global_secondary_indexes: ${join("; ", distinct(local.index_key_type_clashes))}. DynamoDB refuses every write that gives an index key another type (Type mismatch for Index Key), so the ledger's writes would fail: give the key the ledger's type, or key the index on an attribute of your own."
    }
    precondition {
      condition     = length(local.index_keys_too_short) == 0
      error_message = "global_secondary_indexes: ${join("; ", distinct(local.index_keys_too_short))}. DynamoDB refuses every write whose index key value is longer (Size of hashkey has exceeded ...), so the ledger's fail() of a long error would be refused: key the index on an attribute of your own (for example a hash of the text)."
    }
    precondition {
      condition     = var.point_in_time_recovery || var.point_in_time_recovery_days == 35
      error_message = "point_in_time_recovery_days has no effect with point_in_time_recovery = false (DynamoDB refuses a recovery period when recovery is off): remove point_in_time_recovery_days, or set point_in_time_recovery = true."
    }
    precondition {
      condition     = var.range_key == null || var.range_key != var.hash_key
      error_message = "range_key must differ from hash_key, or be null."
    }
    precondition {
      condition     = length(distinct([for i in local.indexes : i.name])) == length(local.indexes)
      error_message = "A global_secondary_indexes name clashes with audit_index_name; rename one of them."
    }
    precondition {
      condition     = !var.restrict_to_listed_principals || length(var.resource_policy_principal_arns) > 0
      error_message = "restrict_to_listed_principals = true needs resource_policy_principal_arns: list the role ARNs (or account root ARNs) that may use the ledger's items."
    }
    precondition {
      condition     = var.restrict_to_listed_principals || length(var.restrict_exempt_principal_arns) == 0
      error_message = "restrict_exempt_principal_arns only narrows the deny of restrict_to_listed_principals = true: set that too, or leave the list empty (without the deny, the roles' own IAM policies already decide)."
    }
    precondition {
      condition     = length(merge(data.aws_default_tags.current.tags, var.tags)) <= 50
      error_message = "tags with the provider's default_tags make ${length(merge(data.aws_default_tags.current.tags, var.tags))} tags on every resource (${length(data.aws_default_tags.current.tags)} of them default_tags); DynamoDB and the other services tagged here take at most 50 per resource (DynamoDB tagging restrictions), and the apply would fail part-way: drop or combine some."
    }
    precondition {
      condition     = length(local.foreign_arns) == 0
      error_message = "kms_key_arn and alarm_actions must be in the table's Region and partition (${data.aws_region.current.name}, ${data.aws_partition.current.partition}), where DynamoDB looks for the key and CloudWatch for the targets; these are not: ${join(", ", local.foreign_arns)}. Pass the ARN of a key or topic in ${data.aws_region.current.name} (for a multi-Region key, its replica there)."
    }
    precondition {
      condition     = length(var.glue_role_names) + length(var.lambda_role_names) == 0 || var.create_iam_policies
      error_message = "glue_role_names and lambda_role_names need create_iam_policies = true (the policies they get attached)."
    }
  }
}

resource "aws_dynamodb_table" "this" {
  count = local.autoscaled ? 0 : 1

  name                        = var.table_name
  billing_mode                = var.billing_mode
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  read_capacity               = local.provisioned ? var.read_capacity : null
  write_capacity              = local.provisioned ? var.write_capacity : null
  table_class                 = var.table_class
  deletion_protection_enabled = var.deletion_protection
  stream_enabled              = var.stream_enabled
  stream_view_type            = var.stream_enabled ? var.stream_view_type : null

  dynamic "attribute" {
    for_each = local.key_attributes
    content {
      name = attribute.key
      type = attribute.value[0]
    }
  }

  dynamic "global_secondary_index" {
    for_each = local.indexes
    content {
      name               = global_secondary_index.value.name
      hash_key           = global_secondary_index.value.hash_key
      range_key          = global_secondary_index.value.range_key
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.projection_type == "INCLUDE" ? global_secondary_index.value.non_key_attributes : null
      read_capacity      = local.provisioned ? var.read_capacity : null
      write_capacity     = local.provisioned ? var.write_capacity : null
    }
  }

  # Always present with its name: removing the block would leave TTL as it was instead of turning it
  # off, and DynamoDB refuses an empty AttributeName also when disabling (see versions.tf).
  ttl {
    enabled        = var.enable_ttl
    attribute_name = var.ttl_attribute
  }

  # DynamoDB refuses a recovery period when recovery is turned off.
  point_in_time_recovery {
    enabled                 = var.point_in_time_recovery
    recovery_period_in_days = var.point_in_time_recovery ? var.point_in_time_recovery_days : null
  }

  # enabled = false is DynamoDB's AWS-owned key; true with a key ARN is a customer-managed key.
  server_side_encryption {
    enabled     = var.kms_key_arn != null
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags

  depends_on = [terraform_data.input_checks, terraform_data.layout_checks]
}

# The same table when autoscaling owns the capacities: identical but for ignore_changes. Switching
# autoscaling on or off moves the table between the two addresses, which layout.tf refuses at plan time
# with the commands that move it; see README ("Autoscaling").
resource "aws_dynamodb_table" "autoscaled" {
  count = local.autoscaled ? 1 : 0

  name                        = var.table_name
  billing_mode                = var.billing_mode
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  read_capacity               = var.read_capacity
  write_capacity              = var.write_capacity
  table_class                 = var.table_class
  deletion_protection_enabled = var.deletion_protection
  stream_enabled              = var.stream_enabled
  stream_view_type            = var.stream_enabled ? var.stream_view_type : null

  dynamic "attribute" {
    for_each = local.key_attributes
    content {
      name = attribute.key
      type = attribute.value[0]
    }
  }

  dynamic "global_secondary_index" {
    for_each = local.indexes
    content {
      name               = global_secondary_index.value.name
      hash_key           = global_secondary_index.value.hash_key
      range_key          = global_secondary_index.value.range_key
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.projection_type == "INCLUDE" ? global_secondary_index.value.non_key_attributes : null
      read_capacity      = var.read_capacity
      write_capacity     = var.write_capacity
    }
  }

  ttl {
    enabled        = var.enable_ttl
    attribute_name = var.ttl_attribute
  }

  # DynamoDB refuses a recovery period when recovery is turned off.
  point_in_time_recovery {
    enabled                 = var.point_in_time_recovery
    recovery_period_in_days = var.point_in_time_recovery ? var.point_in_time_recovery_days : null
  }

  server_side_encryption {
    enabled     = var.kms_key_arn != null
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags

  lifecycle {
    # Index capacities live inside global_secondary_index, a set the provider cannot ignore per field;
    # ignoring the whole block is the provider's documented way to autoscale indexes.
    ignore_changes = [read_capacity, write_capacity, global_secondary_index]
  }

  depends_on = [terraform_data.input_checks, terraform_data.layout_checks]
}
