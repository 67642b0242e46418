"""Staging one example for one run: a snapshot of the module, the example pointed at it, and the
harness's provider override (endpoints or nothing, plus the run's default tags).

The module is copied once per run so that the apply, the re-plan and the destroy all see the same
module, even if the working tree changes meanwhile (an edit, a mutation test): otherwise a re-plan would
report a difference the apply never had.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.staging import stage_root


def snapshot_module(dest: Path) -> Path:
    target = dest / "module" / MODULE_DIR.name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(MODULE_DIR, target, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    return target


def default_tags_block(tags: Mapping[str, str]) -> str:
    lines = "".join(f'      "{key}" = "{value}"\n' for key, value in sorted(tags.items()))
    return f"  default_tags {{\n    tags = {{\n{lines}    }}\n  }}\n"


def stage_example(example_dir: Path, dest: Path, module_snapshot: Path, provider_body: str) -> Path:
    """Copy `example_dir` to `dest` with its provider overridden and its module source on the snapshot."""
    return stage_root(example_dir, dest, provider_body, redirect={MODULE_DIR: module_snapshot})
