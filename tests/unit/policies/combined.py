"""Planning many root configurations at once (the policy fixtures and mutants): each becomes a module instance
`terraform init` and one plan (one provider start) serve them all. Used for policy fixtures and mutants."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dynemodb.harness import runner
from dynemodb.harness.combined_root import PROVIDERS_TF, stage_as_module
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.staging import OVERRIDE_FILE, provider_block
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
        parts.append(_stage(dest, instance, source))
    (dest / "main.tf").write_text("\n".join(parts))


def _stage(dest: Path, instance: str, source: Path) -> str:
    """stage_as_module, also for Terraform JSON (`*.tf.json`, as CDKTF writes it), which the harness's staging
    leaves out: copied with relative module sources made absolute, its `provider "aws"` blocks made offline."""
    staged = dest / "roots" / instance
    if any(source.glob("*.tf")):
        call = stage_as_module(dest, instance, source)
    else:
        staged.mkdir(parents=True)
        call = f'module "{instance}" {{\n  source = "./roots/{instance}"\n}}\n'
    aliases = []
    for file in sorted(source.glob("*.tf.json")):
        conf = json.loads(file.read_text())
        for calls in [conf.get("module", {})]:
            for body in calls.values():
                if str(body.get("source", "")).startswith("."):
                    body["source"] = str((source / body["source"]).resolve())
        providers = conf.get("provider", {}).get("aws", [])
        aliases += [p.get("alias") for p in (providers if isinstance(providers, list) else [providers])]
        (staged / file.name).write_text(json.dumps(conf, indent=2))
    if aliases:
        with (staged / OVERRIDE_FILE).open("a") as override:
            override.write("\n".join(provider_block(alias=a) for a in aliases))
    return call


def plan_combined(tc: Toolchain, dest: Path, roots: Mapping[str, Path]) -> dict[str, Any]:
    """Write, init and plan the combined root of ``roots``; the plan JSON is dest/plan.json."""
    write_combined_root(dest, roots)
    runner.init(tc, dest)
    return runner.plan_json(tc, dest)
