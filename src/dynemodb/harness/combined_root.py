"""Writing the combined root configurations: every scenario as one module instance of one root, so a
single init and a single plan (one provider start) serve them all."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import hcl2

from dynemodb.harness.invalid_packs import Pack
from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.recorded_state import write_state
from dynemodb.harness.scenarios import InvalidInput, Scenario
from dynemodb.harness.staging import provider_block, stage_root

PROVIDERS_TF = """\
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

"""


def output_names(tf_dir: Path) -> list[str]:
    names: list[str] = []
    for tf_file in sorted(tf_dir.glob("*.tf")):
        with tf_file.open() as handle:
            for block in hcl2.load(handle).get("output", []):
                names.extend(block)
    return names


def _module_call(name: str, source: Path | str, body: str = "") -> str:
    # Leading blank lines are kept so a line of the body is line (call line + 2 + n - 1) of the root.
    inner = textwrap.indent(body.rstrip(), "  ")
    return f'module "{name}" {{\n  source = "{source}"\n{inner}\n}}\n'


@dataclass
class SourceMap:
    """Where the generated root's text came from, so a plan error can name the user's file and line."""

    # Module instance -> (the tfvars file inlined into its call, line of the root where line 1 of it is).
    tfvars: dict[str, tuple[Path, int]] = field(default_factory=dict)
    # Module instance -> the root configuration staged for it under roots/<instance>/ (same line numbers).
    roots: dict[str, Path] = field(default_factory=dict)
    # Scenario name -> why it could not even be written into the root (not valid HCL, say).
    unwritable: dict[str, str] = field(default_factory=dict)


def _hcl_problem(path: Path) -> str | None:
    try:
        hcl2.loads(path.read_text())
    except Exception as exc:  # lark raises many kinds; those with a position say where
        line, column = getattr(exc, "line", None), getattr(exc, "column", None)
        where = f"{path}:{line}:{column}" if line else str(path)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"{where}: not valid HCL ({first})"
    return None


def stage_as_module(dest: Path, instance: str, source: Path) -> str:
    """Stage root configuration `source` under dest/roots/<instance>; return the module call for it."""
    stage_root(source, dest / "roots" / instance)
    return _module_call(instance, f"./roots/{instance}")


def _outputs(module_name: str, names: Sequence[str]) -> str:
    # One root output per module output: a partly unknown object output would hide its known parts.
    return "".join(f'output "{module_name}__{n}" {{\n  value = module.{module_name}.{n}\n}}\n' for n in names)


def write_scenarios_root(dest: Path, scenarios: Sequence[Scenario]) -> SourceMap:
    """Write every scenario as a module instance of dest/main.tf; a scenario that cannot be written (its
    HCL does not parse) is left out and reported in the returned map, so it fails alone."""
    dest.mkdir(parents=True, exist_ok=True)
    parts = [PROVIDERS_TF, provider_block()]
    sources = SourceMap()
    module_outputs = output_names(MODULE_DIR)
    for scenario in scenarios:
        line = sum(part.count("\n") + 1 for part in parts) + 1
        if scenario.tfvars_file is not None:
            problem = _hcl_problem(scenario.tfvars_file)
            if problem:
                sources.unwritable[scenario.name] = problem
                continue
            parts.append(_module_call(scenario.module_name, MODULE_DIR, scenario.tfvars_file.read_text()))
            parts.append(_outputs(scenario.module_name, module_outputs))
            sources.tfvars[scenario.module_name] = (scenario.tfvars_file, line + 2)
        else:
            assert scenario.root_dir is not None
            problem = next(filter(None, map(_hcl_problem, sorted(scenario.root_dir.glob("*.tf")))), None)
            if problem:
                sources.unwritable[scenario.name] = problem
                continue
            parts.append(stage_as_module(dest, scenario.module_name, scenario.root_dir))
            parts.append(_outputs(scenario.module_name, output_names(scenario.root_dir)))
            sources.roots[scenario.module_name] = scenario.root_dir
    (dest / "main.tf").write_text("\n".join(parts))
    return sources


def write_invalid_inputs_root(dest: Path, packs: Sequence[Pack]) -> dict[tuple[str, int], InvalidInput]:
    """Write the root of `packs` (and the state their cases start from); return which case owns each line
    of it, by (module instance, line), so an error at an argument can be read back to its case."""
    dest.mkdir(parents=True, exist_ok=True)
    text = "\n".join([PROVIDERS_TF, provider_block(), ""])
    owners: dict[tuple[str, int], InvalidInput] = {}
    for group in packs:
        body: list[str] = []
        line = text.count("\n") + 3  # the call's line, then `source`, then the body
        for case in group.cases:
            lines = case.tfvars.rstrip().splitlines()
            owners.update({(group.module_name, line + n): case for n in range(len(lines))})
            body.extend(lines)
            line += len(lines)
        text += _module_call(group.module_name, MODULE_DIR, "\n".join(body)) + "\n"
    (dest / "main.tf").write_text(text)
    (dest / "terraform.tfstate").unlink(missing_ok=True)
    recorded = {case.module_name: case.state for group in packs for case in group.cases if case.state}
    if recorded:
        write_state(dest, recorded)
    return owners
