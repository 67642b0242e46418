"""Staging root configurations for the harness: copies with module sources made absolute and test-only
provider settings injected through a Terraform override file (never written into the original)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import hcl2

from dynemodb.harness.errors import HarnessError

OVERRIDE_FILE = "zz_dynemodb_harness_override.tf"

# Provider settings that let plans run without credentials or network. They exist only in the roots the
# harness writes, never in the module or the examples users copy.
OFFLINE_PROVIDER_SETTINGS = """\
  region                      = "us-east-1"
  access_key                  = "dynemodb-harness"
  secret_key                  = "dynemodb-harness"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
"""

_RELATIVE_SOURCE = re.compile(r'^(\s*source\s*=\s*")(\.{1,2}/[^"]*)(")', re.MULTILINE)


def provider_block(settings: str = OFFLINE_PROVIDER_SETTINGS, alias: str | None = None) -> str:
    alias_line = f'  alias = "{alias}"\n' if alias else ""
    return f'provider "aws" {{\n{alias_line}{settings}}}\n'


def aws_provider_aliases(tf_dir: Path) -> list[str | None]:
    """The aliases of the `provider "aws"` blocks a configuration declares (None for the default one)."""
    aliases: list[str | None] = []
    for tf_file in sorted(tf_dir.glob("*.tf")):
        with tf_file.open() as handle:
            try:
                parsed = hcl2.load(handle)
            except Exception as exc:  # hcl2 raises lark errors of many kinds
                raise HarnessError(f"{tf_file}: cannot parse HCL ({exc}); run `terraform fmt` on it.") from exc
        for block in parsed.get("provider", []):
            if "aws" in block:
                aliases.append(str(block["aws"].get("alias", "")).strip('"${}') or None)
    return aliases


def stage_root(source: Path, dest: Path, provider_settings: str = OFFLINE_PROVIDER_SETTINGS) -> Path:
    """Copy the .tf files of root configuration `source` into `dest`, ready to plan or apply offline.

    Relative module sources are rewritten to absolute paths so the copy still finds the module; every
    `provider "aws"` block the root declares is overridden with `provider_settings`.
    """
    tf_files = sorted(source.glob("*.tf"))
    if not tf_files:
        raise HarnessError(f"{source} holds no .tf files; a scenario root must be a Terraform configuration.")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for tf_file in tf_files:
        text = _RELATIVE_SOURCE.sub(
            lambda m, base=tf_file.parent: f"{m.group(1)}{(base / m.group(2)).resolve()}{m.group(3)}",
            tf_file.read_text(),
        )
        (dest / tf_file.name).write_text(text)
    overrides = [provider_block(provider_settings, alias) for alias in aws_provider_aliases(source)]
    if overrides:
        (dest / OVERRIDE_FILE).write_text("\n".join(overrides))
    return dest
