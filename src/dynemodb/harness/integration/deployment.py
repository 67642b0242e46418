"""One root configuration deployed to one target: staged, then init, apply, outputs, re-plan, destroy.

Staging copies the root (an example, or any configuration that calls the module) with the harness's
provider override (the target's endpoints, plus default tags that mark every resource with the run's id)
and its module source pointed at a snapshot of the module. The snapshot is taken once per run so that the
apply, the re-plan and the destroy all see the same module even if the working tree changes meanwhile (an
edit, a mutation test); otherwise a re-plan would report a difference the apply never had.

The state is local, in the staged directory: applying the same Deployment again (other inputs, another
tfvars file) updates what the first apply created, as `terraform apply` in one directory would.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.control import Terraform
from dynemodb.harness.integration.report import Timings
from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR
from dynemodb.harness.staging import stage_root
from dynemodb.harness.terraform import Toolchain

if TYPE_CHECKING:
    from dynemodb.harness.integration.target import Target

_QUIET = ("-input=false", "-no-color")

# --- run ids, names and tags ------------------------------------------------------------------------
# Every resource a run creates carries RUN_ID_TAG (through the provider's default_tags), so that the
# leftover check and the sandbox sweep can find it whatever its name; the unique name suffix keeps
# concurrent runs in one account (or on one moto server) from colliding.

HARNESS_TAG = "dynemodb:harness"
RUN_ID_TAG = "dynemodb:run-id"
CREATED_AT_TAG = "dynemodb:created-at"  # epoch seconds, so the sweep can compute an age without parsing
EXAMPLE_TAG = "dynemodb:example"
NAME_PREFIX = "dynemodb-it"

# Example directory name -> a short name part: IAM role names derived from the table name must stay <= 64.
SHORT_NAMES = {"on_demand": "od", "glue_lambda_access": "gla", "complete": "cmp"}

RUN_ID_PATTERN = re.compile(r"^[a-z0-9]{1,24}$")


def new_run_id() -> str:
    """A short id unique enough for concurrent runs: time to the second plus random hex."""
    return f"{time.strftime('%m%d%H%M%S', time.gmtime())}{secrets.token_hex(3)}"


def checked_run_id(run_id: str) -> str:
    """A run id given from outside (CI passes its own, to find the run's resources in a later step)."""
    if not RUN_ID_PATTERN.match(run_id):
        raise HarnessError(f"run id {run_id!r}: use 1 to 24 lowercase letters and digits (it goes into names).")
    return run_id


def table_name(example: str, run_id: str) -> str:
    return f"{NAME_PREFIX}-{SHORT_NAMES.get(example, example.replace('_', '-'))}-{run_id}"


def run_tags(run_id: str, kind: str, created_at: float, example: str) -> dict[str, str]:
    """Tags every resource of one root's apply carries: who made it, which run, when, from what."""
    return {HARNESS_TAG: kind, RUN_ID_TAG: run_id, CREATED_AT_TAG: str(int(created_at)), EXAMPLE_TAG: example}


# --- staging ----------------------------------------------------------------------------------------


def snapshot_module(dest: Path) -> Path:
    target = dest / "module" / MODULE_DIR.name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(MODULE_DIR, target, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    return target


def default_tags_block(tags: Mapping[str, str]) -> str:
    lines = "".join(f'      "{key}" = "{value}"\n' for key, value in sorted(tags.items()))
    return f"  default_tags {{\n    tags = {{\n{lines}    }}\n  }}\n"


def stage_example(root: Path, dest: Path, module_snapshot: Path, provider_body: str) -> Path:
    """Copy `root` to `dest` with its provider overridden and its module source on the snapshot."""
    return stage_root(root, dest, provider_body, redirect={MODULE_DIR: module_snapshot})


# --- the deployment ---------------------------------------------------------------------------------


@dataclass
class Deployment:
    example: str  # the root's name: an example directory's name, or any name a caller gives its root
    run_id: str
    target: Target
    tf: Terraform
    table_name: str
    tags: dict[str, str]
    # `-var` inputs of every command: the run's own (a unique table name, the target's region, no deletion
    # protection so the run can be destroyed), updated by each apply's `inputs`.
    inputs: dict[str, str] = field(default_factory=dict)
    # tfvars files of the last apply; the re-plan and the destroy use the same ones.
    var_files: tuple[Path, ...] = ()
    outputs: dict[str, Any] = field(default_factory=dict)
    initialised: bool = False
    # Set before apply starts: from then on, something may exist that destroy must remove.
    apply_started: bool = False
    destroyed: bool = False

    @property
    def workdir(self) -> Path:
        return self.tf.workdir

    def variables(self) -> list[str]:
        # Files first, then -var: Terraform applies them in command-line order and the later wins, so a
        # tfvars file cannot undo the run's unique name or its deletion protection off.
        files = [f"-var-file={path.resolve()}" for path in self.var_files]
        return [*files, *(arg for name, value in self.inputs.items() for arg in ("-var", f"{name}={value}"))]

    def init(self) -> None:
        self.tf.run("init", ["init", *_QUIET, "-backend=false"])
        self.initialised = True

    def apply(
        self, var_files: Sequence[Path] = (), inputs: Mapping[str, str] | None = None, *, step: str = "apply"
    ) -> None:
        """Init (once), then apply with these tfvars files and extra inputs; read the outputs.

        Call it again to change what was applied (same state); `step` names the logs of that apply."""
        if not self.initialised:
            self.init()
        self.var_files = tuple(var_files)
        self.inputs.update(inputs or {})
        self.apply_started = True
        self.tf.run(step, ["apply", *_QUIET, "-auto-approve", *self.variables()])
        self.outputs = self.read_outputs()

    def read_outputs(self) -> dict[str, Any]:
        self.tf.run("output", ["output", "-no-color", "-json"], capture=True)
        shown = json.loads(self.tf.captured("output"))
        return {name: value["value"] for name, value in shown.items()}

    def drift(self) -> list[str]:
        """Every change a fresh plan proposes after the last apply (none, when there is no drift)."""
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
    root: Path | None = None,
) -> Deployment:
    """Stage `root` (default: the example directory named `example`) for this run; nothing runs yet."""
    tags = run_tags(run_id, target.kind, created_at, example)
    body = target.provider_settings + default_tags_block(tags)
    staged = stage_example(root or EXAMPLES_DIR / example, workdir / example, module_snapshot, body)
    tf = Terraform(tc.binary, staged, target.terraform_env(tc), example, cancel, timings)
    name = table_name(example, run_id)
    inputs = {"table_name": name, "region": target.region, "deletion_protection": "false"}
    return Deployment(example, run_id, target, tf, name, tags, inputs)
