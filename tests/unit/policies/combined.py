"""Planning many root configurations at once (the policy fixtures and mutants): each becomes a module instance
`terraform init` and one plan (one provider start) serve them all. Used for policy fixtures and mutants."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dynemodb.harness import runner
from dynemodb.harness.combined_root import PROVIDERS_TF, stage_as_module
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.staging import provider_block
from dynemodb.harness.terraform import Toolchain

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def instance_name(label: str) -> str:
    """A module instance name for a label such as "CKV_MC_1/pass_literal": ckv_mc_1__pass_literal."""
    name = re.sub(r"[^a-z0-9_]+", "__", label.lower()).strip("_")
    if not _NAME.match(name):
        name = f"m_{name}"
    return name


def write_combined_root(dest: Path, roots: Mapping[str, Path]) -> None:
    """Stage every root under dest/roots/<instance> and call each as `module "<instance>"`."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    parts = [PROVIDERS_TF, provider_block()]
    for instance, source in roots.items():
        if not _NAME.match(instance):
            raise HarnessError(f"{instance!r} is not a valid module instance name (letters, digits, _).")
        parts.append(stage_as_module(dest, instance, source))
    (dest / "main.tf").write_text("\n".join(parts))


def plan_combined(tc: Toolchain, dest: Path, roots: Mapping[str, Path]) -> dict[str, Any]:
    """Write, init and plan the combined root of ``roots``; the plan JSON is dest/plan.json."""
    write_combined_root(dest, roots)
    runner.init(tc, dest)
    return runner.plan_json(tc, dest)
