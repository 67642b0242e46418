"""Staging root configurations for the harness: copies with module sources made absolute and test-only
provider settings injected through a Terraform override file (never written into the original)."""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Mapping
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
                alias = block["aws"].get("alias", "")
                alias = alias[0] if isinstance(alias, list) and len(alias) == 1 else alias  # hcl2 wraps values
                aliases.append(str(alias).strip('"${}') or None)
    return aliases


def stage_root(
    source: Path,
    dest: Path,
    provider_settings: str = OFFLINE_PROVIDER_SETTINGS,
    redirect: Mapping[Path, Path] | None = None,
) -> Path:
    """Copy the .tf files of root configuration `source` into `dest`, ready to plan or apply offline.

    Relative module sources are rewritten to absolute paths so the copy still finds the module, or to
    `redirect[path]` when the resolved path is a key of `redirect` (a snapshot of the module, say); a
    redirect that no module call uses is an error. Every `provider "aws"` block the root declares is
    overridden with `provider_settings`.
    """
    tf_files = sorted(source.glob("*.tf"))
    if not tf_files:
        raise HarnessError(f"{source} holds no .tf files; a scenario root must be a Terraform configuration.")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    targets = {Path(k).resolve(): v for k, v in (redirect or {}).items()}
    redirected: set[Path] = set()

    def absolute_source(match: re.Match[str], base: Path) -> str:
        resolved = (base / match.group(2)).resolve()
        if resolved in targets:
            redirected.add(resolved)
        return f"{match.group(1)}{targets.get(resolved, resolved)}{match.group(3)}"

    for tf_file in tf_files:
        text = _RELATIVE_SOURCE.sub(functools.partial(absolute_source, base=tf_file.parent), tf_file.read_text())
        (dest / tf_file.name).write_text(text)
    unused = sorted(str(p) for p in set(targets) - redirected)
    if unused:
        raise HarnessError(f"{source} does not call the module at {', '.join(unused)}; staging it would not use it.")
    overrides = [provider_block(provider_settings, alias) for alias in aws_provider_aliases(source)]
    if overrides:
        (dest / OVERRIDE_FILE).write_text("\n".join(overrides))
    return dest
