"""Planning the invalid inputs: every case is one module instance, and each must be rejected at plan time.

Terraform stops a plan's walk at variable validation errors before it evaluates preconditions, so a case
caught by a precondition is only reported once no validation error is left in its root. The cases whose
expected message is a precondition's are therefore planned in a second root at the same time as the rest,
instead of in a second round after them; cases not reported by their root's plan are planned again on
their own until every case is reported or plans cleanly. The grouping is a guess that costs only time
when it is wrong.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import hcl2

from dynemodb.harness import runner
from dynemodb.harness.combined_root import write_invalid_inputs_root
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.invalid_packs import Pack, pack
from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.scenarios import InvalidInput
from dynemodb.harness.terraform import Toolchain

_INSTANCE = re.compile(r'module "(n_\w+)"|\.terraform/modules/(n_\w+)[/.]')


def precondition_messages(module_dir: Path = MODULE_DIR) -> list[str]:
    """The error messages of every precondition in the module, whitespace-normalised."""
    messages = []
    for tf_file in sorted(module_dir.glob("*.tf")):
        text = tf_file.read_text()
        if "precondition" not in text:
            continue
        for block in hcl2.loads(text).get("resource", []):
            for resources in block.values():
                for body in resources.values():
                    for lifecycle in body.get("lifecycle", []):
                        for condition in lifecycle.get("precondition", []):
                            message = condition.get("error_message")
                            message = message[0] if isinstance(message, list) else message
                            messages.append(" ".join(str(message).replace('\\"', '"').split()))
    return messages


def predicted_rounds(cases: Sequence[InvalidInput]) -> list[list[InvalidInput]]:
    """[cases a variable validation should reject, cases a precondition should reject], without empties.
    A case planned against recorded state is a precondition's: what it checks is that state."""
    preconditions = precondition_messages()
    late = [c for c in cases if c.state or any(c.error in message for message in preconditions)]
    early = [c for c in cases if c not in late]
    return [group for group in (early, late) if group]


def _diagnostic_instance(diagnostic: dict[str, Any]) -> str | None:
    parts = (
        diagnostic.get("snippet", {}).get("context"),
        diagnostic.get("range", {}).get("filename"),
        diagnostic.get("detail"),
    )
    match = _INSTANCE.search(" ".join(str(part) for part in parts if part))
    return (match.group(1) or match.group(2)) if match else None


def share_init(initialised: Path, workdir: Path) -> None:
    """Let `workdir` use the providers and modules `initialised` installed (its calls must be a subset)."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / ".terraform").symlink_to((initialised / ".terraform").resolve(), target_is_directory=True)
    lock = initialised / ".terraform.lock.hcl"
    if lock.exists():  # not written for a provider Terraform attaches to instead of installing
        shutil.copy2(lock, workdir / ".terraform.lock.hcl")


def _owner(diagnostic: dict[str, Any], group: Pack, owners: dict[tuple[str, int], InvalidInput]) -> InvalidInput | None:
    """The case a diagnostic of `group`'s instance belongs to; None when no line of the pack explains it."""
    if len(group.cases) == 1:
        return group.cases[0]
    where = diagnostic.get("range", {})
    if where.get("filename") != "main.tf":
        return None
    return owners.get((group.module_name, where.get("start", {}).get("line", 0)))


def _reject(tc: Toolchain, workdir: Path, cases: Sequence[InvalidInput]) -> dict[str, list[str]]:
    rejections: dict[str, list[str]] = {case.name: [] for case in cases}
    groups = pack(cases)
    while groups:
        owners = write_invalid_inputs_root(workdir, groups)
        # Behind the scenarios' plan, which the first tests wait for; these are read last.
        returncode, diagnostics = runner.plan_diagnostics(tc, workdir, background=True)
        by_instance = {group.module_name: group for group in groups}
        reported: set[str] = set()
        unclear: set[str] = set()
        for diagnostic in diagnostics:
            if diagnostic.get("severity") != "error":
                continue
            group = by_instance.get(_diagnostic_instance(diagnostic) or "")
            if group is None:
                raise HarnessError(
                    f"An invalid-input plan failed for a reason no case accounts for: "
                    f"{diagnostic.get('summary')}: {diagnostic.get('detail')}"
                )
            case = _owner(diagnostic, group, owners)
            if case is None:
                unclear.add(group.module_name)
                continue
            rejections[case.name].append(
                " ".join(f"{diagnostic.get('summary', '')}: {diagnostic.get('detail', '')}".split())
            )
            reported.add(case.name)
        # A packed case that reported nothing of its own, or shared an error no line explains, goes alone.
        alone = [
            case
            for group in groups
            if len(group.cases) > 1
            for case in group.cases
            if case.name not in reported or group.module_name in unclear
        ]
        for case in alone:
            rejections[case.name] = []
        # Validation errors stop a root's plan before preconditions: an unreported single is planned again
        # while others were reported.
        singles = [g.cases[0] for g in groups if len(g.cases) == 1 and g.cases[0].name not in reported]
        if returncode == 0 or not reported:
            singles = []
        groups = [Pack((case,)) for case in alone + singles]
    return rejections


def plan_invalid_inputs(tc: Toolchain, workdir: Path, cases: Sequence[InvalidInput]) -> dict[str, list[str]]:
    """Case name -> the error messages its plan reported (empty: it planned without error). One init, of
    every case's own module call, serves every round; it runs beside the scenarios' plan, not before it."""
    initialised = workdir / "init"
    write_invalid_inputs_root(initialised, [Pack((case,)) for case in cases])
    runner.init(tc, initialised)
    rounds = predicted_rounds(cases)
    rejections: dict[str, list[str]] = {}
    with ThreadPoolExecutor(max_workers=len(rounds) or 1) as pool:
        futures = []
        for number, group in enumerate(rounds):
            directory = workdir / f"round{number}"
            share_init(initialised, directory)
            futures.append(pool.submit(_reject, tc, directory, group))
        for future in futures:
            rejections.update(future.result())
    return rejections
