"""One example applied to one target: init, apply, outputs, re-plan for drift, destroy."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dynemodb.harness.integration.naming import run_tags, table_name
from dynemodb.harness.integration.target import Target
from dynemodb.harness.integration.terraform_cli import Terraform, Timings
from dynemodb.harness.integration.workspace import default_tags_block, stage_example
from dynemodb.harness.paths import EXAMPLES_DIR
from dynemodb.harness.terraform import Toolchain

_QUIET = ("-input=false", "-no-color")


@dataclass
class Deployment:
    example: str
    run_id: str
    target: Target
    tf: Terraform
    table_name: str
    tags: dict[str, str]
    outputs: dict[str, Any] = field(default_factory=dict)
    # Set before apply starts: from then on, something may exist that destroy must remove.
    apply_started: bool = False
    destroyed: bool = False

    @property
    def workdir(self) -> Path:
        return self.tf.workdir

    def variables(self) -> list[str]:
        # Inputs of the example, not changes to it: a unique name, and no deletion protection so the run
        # can be destroyed. The region comes through the example's own variable.
        values = {"table_name": self.table_name, "region": self.target.region, "deletion_protection": "false"}
        return [arg for name, value in values.items() for arg in ("-var", f"{name}={value}")]

    def init(self) -> None:
        self.tf.run("init", ["init", *_QUIET, "-backend=false"])

    def apply(self) -> None:
        self.apply_started = True
        self.tf.run("apply", ["apply", *_QUIET, "-auto-approve", *self.variables()])
        self.outputs = self.read_outputs()

    def read_outputs(self) -> dict[str, Any]:
        self.tf.run("output", ["output", "-no-color", "-json"], capture=True)
        shown = json.loads(self.tf.captured("output"))
        return {name: value["value"] for name, value in shown.items()}

    def drift(self) -> list[str]:
        """Every change a fresh plan proposes after the apply (none, when there is no drift)."""
        code = self.tf.run(
            "replan", ["plan", *_QUIET, "-detailed-exitcode", "-out=replan.tfplan", *self.variables()], ok=(0, 2)
        )
        if code == 0:
            return []
        self.tf.run("show", ["show", "-no-color", "-json", "replan.tfplan"], capture=True)
        plan = json.loads(self.tf.captured("show"))
        changes = []
        for change in plan.get("resource_changes", []):
            actions = change["change"]["actions"]
            if actions not in (["no-op"], ["read"]):
                changes.append(f"{self.example}: re-plan wants {'/'.join(actions)} of {change['address']}")
        for name, change in (plan.get("output_changes") or {}).items():
            if change.get("actions") not in (["no-op"], None):
                changes.append(f"{self.example}: re-plan changes output {name}")
        return changes or [f"{self.example}: re-plan exited 2 (changes) but listed none; see {self.workdir}/logs"]

    def destroy(self) -> None:
        # Not interruptible: a second Ctrl-C must not leave half of the run behind.
        self.tf.run("destroy", ["destroy", *_QUIET, "-auto-approve", *self.variables()], interruptible=False)
        self.destroyed = True


def prepare(
    tc: Toolchain,
    target: Target,
    example: str,
    run_id: str,
    created_at: float,
    workdir: Path,
    module_snapshot: Path,
    cancel: threading.Event,
    timings: Timings,
) -> Deployment:
    """Stage `example` for this run (no terraform command runs yet)."""
    tags = run_tags(run_id, target.kind, created_at, example)
    body = target.provider_settings + default_tags_block(tags)
    staged = stage_example(EXAMPLES_DIR / example, workdir / example, module_snapshot, body)
    tf = Terraform(tc.binary, staged, target.terraform_env(tc), example, cancel, timings)
    return Deployment(example, run_id, target, tf, table_name(example, run_id), tags)
