# Changes Terraform cannot make to the ledger table in place, refused at plan time with what to run.
#
# The table lives at aws_dynamodb_table.this[0] or, when autoscaled, at aws_dynamodb_table.autoscaled[0]
# (ignore_changes cannot be conditional). Moving between them would plan a new table beside the old one,
# which fails half-way against a ledger that already exists. An autoscaled table also ignores its index
# definitions, so an index edit would plan "No changes". table_layout remembers the layout the table has:
# ignore_changes pins its input to what it was when created, so a plan sees the previous layout and the
# checks below compare it with the configured one. On a new table its output is unknown until apply, and
# the checks pass. table_keys remembers what DynamoDB cannot change on a table (its name and keys) the
# same way: a change there is a new table, and Terraform would delete the ledger to make it.
locals {
  table_address = local.autoscaled ? "autoscaled" : "this"
  other_address = local.autoscaled ? "this" : "autoscaled"
  index_layout  = join(", ", sort([for i in local.indexes : "${i.name}(${i.hash_key}/${coalesce(i.range_key, "-")}/${i.projection_type})"]))
  # The rest an autoscaled table ignores too: key types and projected attributes. Recorded beside the layout;
  # a record without it (from an older module) counts as unchanged.
  index_details = join(", ", sort([for i in local.indexes : "${i.name}(${i.hash_key_type}/${i.range_key == null ? "-" : i.range_key_type}/${join("+", sort(coalesce(i.non_key_attributes, [])))})"]))
  table_keys = {
    table_name = var.table_name
    hash_key   = "${var.hash_key} (${var.hash_key_type})"
    range_key  = var.range_key == null ? "none" : "${var.range_key} (${var.range_key_type})"
  }
  # What the table was created with; a key the record lacks (recorded by an older module) counts as unchanged.
  recorded_keys = merge(local.table_keys, try(terraform_data.table_keys.output, {}))
  changed_keys = [
    for name, now in local.table_keys : "${name} ${local.recorded_keys[name]} -> ${now}" if local.recorded_keys[name] != now
  ]
  # The caller's address for this module is not visible inside it; the seed's is shown.
  moved_commands = join(" && ", [
    "terraform state mv 'module.dynemoDB.aws_dynamodb_table.${local.other_address}[0]' 'module.dynemoDB.aws_dynamodb_table.${local.table_address}[0]'",
    "terraform state rm 'module.dynemoDB.terraform_data.table_layout'",
  ])
}

resource "terraform_data" "table_layout" {
  input = {
    address = local.table_address
    indexes = local.index_layout
    details = local.index_details
  }

  lifecycle {
    ignore_changes = [input]
  }
}

resource "terraform_data" "table_keys" {
  input = local.table_keys

  lifecycle {
    ignore_changes = [input]
  }
}

resource "terraform_data" "layout_checks" {
  input = local.table_address

  lifecycle {
    precondition {
      condition     = terraform_data.table_layout.output.address == local.table_address
      error_message = "This change moves the ledger table from aws_dynamodb_table.${local.other_address}[0] to aws_dynamodb_table.${local.table_address}[0] (autoscaling turned on or off, or billing_mode switched between autoscaled PROVISIONED and another mode). Terraform would plan a second table, not a move. Move it in the state, then plan again (replace module.dynemoDB with your module's address): ${local.moved_commands}. An on-demand table goes to autoscaled PROVISIONED in two applies: billing_mode = \"PROVISIONED\" with autoscaling off first (its indexes need capacities the autoscaled table does not send), then autoscaling on."
    }
    precondition {
      condition     = terraform_data.table_layout.output.address != "autoscaled" || !local.autoscaled || (terraform_data.table_layout.output.indexes == local.index_layout && try(terraform_data.table_layout.output.details, local.index_details) == local.index_details)
      error_message = "The indexes changed (global_secondary_indexes or enable_audit_index: an index, its keys, their types or its non_key_attributes) on an autoscaled table, which ignores index definitions so that autoscaling keeps its capacities; as is, the plan would say \"No changes\". Apply the index change with autoscaling off, then turn it back on: 1) set autoscaling = { enabled = false }, run the two commands this check prints then, apply; 2) set autoscaling.enabled = true again, run the commands it prints, apply."
    }
    precondition {
      condition     = length(local.changed_keys) == 0
      error_message = "This change replaces the ledger table (${join(", ", local.changed_keys)}): DynamoDB cannot rename a table or change its keys, so Terraform would delete it, and with it every record of which files were loaded (with deletion protection on, the apply would fail after the IAM policies and alarms had moved to the new table). Keep table_name, hash_key, hash_key_type, range_key and range_key_type as they are; for a new ledger, add a second instance of the module and move the pipelines to it. To replace this table on purpose, set deletion_protection = false, run terraform state rm 'module.dynemoDB.terraform_data.table_keys' (with your module's address) and apply."
    }
  }
}
