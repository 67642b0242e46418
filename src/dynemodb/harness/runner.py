"""Running terraform: init, plan and show through tftest, with errors turned into one clear message."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import tftest

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.terraform import Toolchain


def _tf(tc: Toolchain, workdir: Path) -> tftest.TerraformTest:
    return tftest.TerraformTest(str(workdir), binary=tc.binary, env=tc.env())


# A module instance's copy of the module as Terraform names it in messages ("n_case", "r_root.ledger").
_INSTANCE_DIR = re.compile(r"\.terraform/modules/[A-Za-z]\w*(?:\.\w+)*/")


def distinct_errors(text: str) -> str:
    """Terraform's error output with each error once: an error in the module is reported for every
    instance of it (the combined roots hold dozens), differing only in the instance's directory."""
    blocks = re.split(r"\n(?=Error: )", "\n" + text.strip())
    kept: dict[str, None] = {}
    for block in blocks:
        normalised = _INSTANCE_DIR.sub("module/dynemoDB/", block.strip())
        if normalised:
            kept.setdefault(normalised, None)
    return "\n\n".join(kept)


def _command(tf: tftest.TerraformTest, what: str, *args: str) -> str:
    try:
        return tf.execute_command(what, *args).out
    except tftest.TerraformTestError as exc:
        detail = (exc.args[1] if len(exc.args) > 1 else "") or exc.args[0]
        raise HarnessError(f"terraform {what} failed in {tf.tfdir}:\n{distinct_errors(str(detail))}") from exc


def init(tc: Toolchain, workdir: Path) -> None:
    _command(_tf(tc, workdir), "init", "-input=false", "-no-color", "-backend=false")


def plan_json(tc: Toolchain, workdir: Path, *extra_args: str) -> dict[str, Any]:
    """Plan `workdir` into plan.tfplan, save its JSON as plan.json beside it, and return it."""
    tf = _tf(tc, workdir)
    _command(tf, "plan", "-input=false", "-no-color", "-out=plan.tfplan", *extra_args)
    shown = _command(tf, "show", "-no-color", "-json", "plan.tfplan")
    (workdir / "plan.json").write_text(shown)
    return json.loads(shown)


def show_json(tc: Toolchain, workdir: Path, plan_file: str = "plan.tfplan") -> dict[str, Any]:
    """The JSON of a saved plan, also written as plan.json beside it."""
    shown = _command(_tf(tc, workdir), "show", "-no-color", "-json", plan_file)
    (workdir / "plan.json").write_text(shown)
    return json.loads(shown)


def plan_diagnostics(
    tc: Toolchain, workdir: Path, *extra_args: str, background: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Plan `workdir` where errors are expected; return the exit code and Terraform's JSON diagnostics.
    `background`: at the lowest CPU priority (POSIX `nice` 19), so that a plan others wait for goes first
    (measured against 10: 0.3 s off the plan stage, the scenarios' plan slowed less by the invalid inputs').

    tftest hides the machine-readable stream behind its exception, so this one runs the binary itself.
    """
    nice = shutil.which("nice") if background else None
    proc = subprocess.run(
        [*([nice, "-n", "19"] if nice else []), tc.binary, "plan", "-input=false", "-no-color", "-json", *extra_args],
        cwd=workdir,
        env=tc.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    diagnostics = []
    for line in proc.stdout.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("type") == "diagnostic":
            diagnostics.append(event["diagnostic"])
    return proc.returncode, diagnostics
