"""Mutants of the compliant configurations: copies of the seed and the examples (each with its own copy of the
module) with one violation seeded, and the custom check that must catch it.

Every mutant is scanned as HCL and planned; a mutant is killed in a mode when its check fails on it there.
`hcl` says what the HCL scan is expected to do: "killed", or "undecided" where the violation lives in values
Checkov cannot evaluate (the module's autoscaling is for_each over locals): the check must then give no result
at all for the mutated table, never a pass. The plan scan must kill every mutant.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR, REPO_ROOT


@dataclass(frozen=True)
class Edit:
    file: str  # "main.tf", "variables.tf" (the root copy) or "module/iam.tf" (the module copy)
    old: str  # text that must occur exactly once (a regular expression when regex is true)
    new: str
    regex: bool = False


@dataclass(frozen=True)
class Mutant:
    name: str
    base: str  # "seed" or an example directory name
    check: str  # the check that must fail
    edits: tuple[Edit, ...]
    hcl: str = "killed"  # or "undecided"
    why: str = ""


JSONENCODE_POLICY = """\
resource "aws_iam_role" "loader" {
  name = "mutant-loader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "glue.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "loader" {
  name = "ledger-everything"
  role = aws_iam_role.loader.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = module.dynemoDB.table_arn }]
  })
}

output "table_name" {"""

MUTANTS: tuple[Mutant, ...] = (
    Mutant(
        "ttl_off",
        "complete",
        "CKV_MC_1",
        (Edit("main.tf", "enable_ttl             = true", "enable_ttl             = false"),),
    ),
    Mutant("ttl_dropped", "glue_lambda_access", "CKV_MC_1", (Edit("main.tf", "  enable_ttl          = true\n", ""),)),
    Mutant(
        "seed_ttl_dropped",
        "seed",
        "CKV_MC_1",
        (Edit("main.tf", '  ttl_attribute  = "expiration_time"\n  enable_ttl     = true\n', ""),),
    ),
    Mutant(
        "tag_emptied",
        "on_demand",
        "CKV_MC_2",
        (Edit("main.tf", 'Project     = "MetricCare"', 'Project     = ""'),),
    ),
    Mutant("tag_dropped", "complete", "CKV_MC_2", (Edit("main.tf", "    Environment = var.environment\n", ""),)),
    Mutant("seed_tag_dropped", "seed", "CKV_MC_2", (Edit("main.tf", '    Project     = "MetricCare"\n', ""),)),
    Mutant(
        "action_widened",
        "complete",
        "CKV_MC_3",
        (Edit("module/access.tf", '"dynamodb:UpdateItem"]', '"dynamodb:*"]'),),
    ),
    Mutant(
        "action_get_wildcard",
        "glue_lambda_access",
        "CKV_MC_3",
        (
            Edit(
                "module/access.tf",
                '"dynamodb:GetItem", "dynamodb:UpdateItem"',
                '"dynamodb:Get*", "dynamodb:UpdateItem"',
            ),
        ),
    ),
    Mutant(
        "action_star",
        "on_demand",
        "CKV_MC_3",
        (Edit("module/access.tf", 'auditor_index_actions = ["dynamodb:Query"]', 'auditor_index_actions = ["*"]'),),
    ),
    Mutant(
        "resource_wildcard",
        "seed",
        "CKV_MC_3",
        (
            Edit(
                "module/iam.tf",
                '    sid       = "LedgerTable"\n    effect    = "Allow"\n    actions   = local.writer_table_actions\n'
                "    resources = [local.table.arn]\n",
                '    sid       = "LedgerTable"\n    effect    = "Allow"\n    actions   = local.writer_table_actions\n'
                '    resources = ["*"]\n',
            ),
        ),
    ),
    Mutant(
        "trust_opened",
        "complete",
        "CKV_MC_3",
        (
            Edit(
                "main.tf",
                '      type        = "Service"\n      identifiers = ["glue.amazonaws.com"]',
                '      type        = "AWS"\n      identifiers = ["*"]',
            ),
        ),
    ),
    Mutant(
        "table_policy_opened",
        "complete",
        "CKV_MC_3",
        (Edit("module/iam.tf", "      identifiers = var.resource_policy_principal_arns", '      identifiers = ["*"]'),),
    ),
    Mutant(
        "trust_foreign_service",
        "glue_lambda_access",
        "CKV_MC_3",
        (Edit("main.tf", 'identifiers = ["lambda.amazonaws.com"]', 'identifiers = ["ec2.amazonaws.com"]'),),
        why="a role with table access trusts a service other than Glue and Lambda",
    ),
    Mutant(
        "jsonencode_wildcard",
        "seed",
        "CKV_MC_3",
        (Edit("main.tf", 'output "table_name" {', JSONENCODE_POLICY),),
        why="an inline jsonencode() policy on the table ARN (unknown in the plan) allows dynamodb:*",
    ),
    Mutant(
        "autoscaling_off",
        "glue_lambda_access",
        "CKV_MC_4",
        (
            Edit(
                "main.tf",
                "    target_utilization = 70\n  }",
                "    target_utilization = 70\n    enabled            = false\n  }",
            ),
        ),
        hcl="undecided",
        why="the module's autoscaling resources are for_each over locals Checkov cannot evaluate",
    ),
    Mutant(
        "autoscaling_write_dropped",
        "seed",
        "CKV_MC_4",
        (Edit("module/autoscaling.tf", r"\n    write = \{[^\n]*\}", "", regex=True),),
        hcl="undecided",
        why="the module's autoscaling resources are for_each over locals Checkov cannot evaluate",
    ),
    Mutant(
        "pitr_off",
        "complete",
        "CKV_MC_5",
        (Edit("main.tf", "point_in_time_recovery = true", "point_in_time_recovery = false"),),
    ),
    Mutant(
        "prod_unprotected",
        "complete",
        "CKV_MC_6",
        (
            Edit("variables.tf", 'default     = "dev"', 'default     = "prod"'),
            Edit("variables.tf", "default     = true", "default     = false"),
        ),
    ),
)

CONTROLS = ("seed", "complete", "glue_lambda_access", "on_demand")


class MutationDrift(AssertionError):
    """A mutation no longer applies: the configuration it mutates changed."""


def _apply(text: str, edit: Edit, where: Path) -> str:
    if edit.regex:
        mutated, count = re.subn(edit.old, edit.new, text)
    else:
        count = text.count(edit.old)
        mutated = text.replace(edit.old, edit.new)
    if count != 1:
        raise MutationDrift(
            f"{where}: the text to mutate occurs {count} times (expected once): {edit.old!r}; "
            "update tests/unit/policies/mutants.py to the configuration's new shape"
        )
    return mutated


def _base_dir(base: str) -> Path:
    return REPO_ROOT if base == "seed" else EXAMPLES_DIR / base


_SOURCE = re.compile(r'^(\s*source\s*=\s*")(\.{1,2}/[^"]*)(")', re.MULTILINE)
_PROVIDER = re.compile(r'^provider "aws" \{\n  region = var\.region\n\}\n', re.MULTILINE)


def build(name: str, base: str, edits: tuple[Edit, ...], roots: Path, modules: Path) -> Path:
    """Write root copy roots/<name> calling module copy modules/<name>, with a table name of its own (mutants
    are planned side by side), and apply the edits."""
    root, module = roots / name, modules / name
    for directory in (root, module):
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
    for tf_file in MODULE_DIR.glob("*.tf"):
        shutil.copy(tf_file, module / tf_file.name)
    source_dir = _base_dir(base)
    for tf_file in source_dir.glob("*.tf"):
        text = _SOURCE.sub(lambda m: f"{m.group(1)}{os.path.relpath(module, root)}{m.group(3)}", tf_file.read_text())
        # The examples' provider blocks only set the region. Planned side by side, each would start a provider
        # process of its own (most of a plan's time); without them every copy shares the combined root's.
        text = _PROVIDER.sub("", text)
        (root / tf_file.name).write_text(text)
    # Role and policy names derive from the table name: keep it short enough for IAM's 64 characters.
    unique = f"{name.replace('_', '-')}"
    if base == "seed":
        file = root / "main.tf"
        pattern = re.compile(r'(\btable_name\s*=\s*")([^"]+)(")')
    else:
        file = root / "variables.tf"
        pattern = re.compile(r'(variable "table_name" \{[^}]*?default\s*=\s*")([^"]+)(")', re.DOTALL)
    text, count = pattern.subn(lambda m: f"{m.group(1)}{m.group(2)[:20]}-{unique}{m.group(3)}", file.read_text())
    if count != 1:
        raise MutationDrift(f"{file}: no table_name to make unique")
    file.write_text(text)
    for edit in edits:
        target = module / edit.file.removeprefix("module/") if edit.file.startswith("module/") else root / edit.file
        target.write_text(_apply(target.read_text(), edit, target))
    return root


def build_all(workdir: Path) -> dict[str, Path]:
    """Every mutant and every control (the unmutated bases): name -> root directory."""
    roots, modules = workdir / "roots", workdir / "modules"
    built = {f"control_{base}": build(f"control_{base}", base, (), roots, modules) for base in CONTROLS}
    for mutant in MUTANTS:
        built[mutant.name] = build(mutant.name, mutant.base, mutant.edits, roots, modules)
    return built
