"""Writing the combined root configurations: every scenario as one module instance of one root, so a
single init and a single plan (one provider start) serve them all."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import hcl2

from dynemodb.harness.paths import MODULE_DIR
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
    inner = textwrap.indent(body.strip(), "  ")
    return f'module "{name}" {{\n  source = "{source}"\n{inner}\n}}\n'


def stage_as_module(dest: Path, instance: str, source: Path) -> str:
    """Stage root configuration `source` under dest/roots/<instance>; return the module call for it."""
    stage_root(source, dest / "roots" / instance)
    return _module_call(instance, f"./roots/{instance}")


def _outputs(module_name: str, names: Sequence[str]) -> str:
    # One root output per module output: a partly unknown object output would hide its known parts.
    return "".join(f'output "{module_name}__{n}" {{\n  value = module.{module_name}.{n}\n}}\n' for n in names)


def write_scenarios_root(dest: Path, scenarios: Sequence[Scenario]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    parts = [PROVIDERS_TF, provider_block()]
    module_outputs = output_names(MODULE_DIR)
    for scenario in scenarios:
        if scenario.tfvars_file is not None:
            parts.append(_module_call(scenario.module_name, MODULE_DIR, scenario.tfvars_file.read_text()))
            parts.append(_outputs(scenario.module_name, module_outputs))
        else:
            assert scenario.root_dir is not None
            parts.append(stage_as_module(dest, scenario.module_name, scenario.root_dir))
            parts.append(_outputs(scenario.module_name, output_names(scenario.root_dir)))
    (dest / "main.tf").write_text("\n".join(parts))


def write_invalid_inputs_root(dest: Path, cases: Sequence[InvalidInput]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    parts = [PROVIDERS_TF, provider_block()]
    parts += [_module_call(case.module_name, MODULE_DIR, case.tfvars) for case in cases]
    (dest / "main.tf").write_text("\n".join(parts))
