"""One scenario's instance of the module in the plan: its resources and the inputs it was called with.

The inputs are what the cross-scenario invariants judge the plan against. They come from the plan's own
configuration: the module's variable defaults (with optional object attributes filled in by Terraform),
overlaid by the constant arguments of the module call, overlaid by the scenario's `inputs:` section for
arguments a root computes (a tag map built from locals, say). Arguments that are neither constant nor
stated are UNKNOWN_INPUT, and checks that need them say to state them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.plan_values import module_resources
from dynemodb.harness.scenarios import Scenario


class _UnknownInput:
    def __repr__(self) -> str:
        return "(computed in the root: state it under `inputs:`)"


UNKNOWN_INPUT: Any = _UnknownInput()


@dataclass(frozen=True)
class ModuleInstance:
    scenario: str
    # Managed and data resources of the module instance, by address relative to it.
    resources: dict[str, dict[str, Any]]
    # Every resource the scenario plans (an example's roles and keys too), relative to the scenario.
    scenario_resources: dict[str, dict[str, Any]]
    inputs: dict[str, Any]

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        """Values of the instance's managed resources of `kind`, by address."""
        return {a: r["values"] for a, r in self.resources.items() if r["type"] == kind and r["mode"] == "managed"}

    def data(self, address: str) -> dict[str, Any] | None:
        resource = self.resources.get(f"data.{address}")
        return resource["values"] if resource else None


def _is_module_source(source: str, base: Path) -> bool:
    return (base / source).resolve() == MODULE_DIR.resolve()


def _find_call(scenario: Scenario, plan: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The module call of the module for `scenario`: the scenario's own call for tfvars scenarios, the one
    call of the module inside a root configuration otherwise. Returns (address prefix, call)."""
    calls = plan.get("configuration", {}).get("root_module", {}).get("module_calls", {})
    call = calls.get(scenario.module_name)
    if call is None:
        raise HarnessError(f"{scenario.name}: the plan's configuration has no module call {scenario.module_name}.")
    if scenario.tfvars_file is not None:
        return "", call
    assert scenario.root_dir is not None
    inner = {
        name: sub
        for name, sub in call.get("module", {}).get("module_calls", {}).items()
        if _is_module_source(sub.get("source", ""), scenario.root_dir)
        or _is_module_source(sub.get("source", ""), MODULE_DIR)
    }
    if len(inner) != 1:
        raise HarnessError(
            f"{scenario.expected_file.name}: root {scenario.root_dir} calls module/dynemoDB {len(inner)} times; "
            "the invariants judge exactly one instance per scenario."
        )
    (name, sub), *_ = inner.items()
    return f"module.{name}.", sub


def _inputs(call: dict[str, Any], stated: dict[str, Any]) -> dict[str, Any]:
    variables = call.get("module", {}).get("variables", {})
    inputs = {name: variable.get("default") for name, variable in variables.items()}
    for name, expression in call.get("expressions", {}).items():
        if "constant_value" not in expression:
            inputs[name] = UNKNOWN_INPUT
            continue
        given, default = expression["constant_value"], inputs.get(name)
        # Object variables whose attributes are all optional: the default holds every attribute's default.
        inputs[name] = {**default, **given} if isinstance(default, dict) and isinstance(given, dict) else given
    unknown = sorted(set(stated) - set(variables))
    if unknown:
        raise HarnessError(f"`inputs:` names {unknown}, which are not variables of module/dynemoDB.")
    for name, value in stated.items():
        default = inputs.get(name)
        inputs[name] = {**default, **value} if isinstance(default, dict) and isinstance(value, dict) else value
    return inputs


def module_instance(scenario: Scenario, plan: dict[str, Any]) -> ModuleInstance:
    prefix, call = _find_call(scenario, plan)
    everything = module_resources(plan, scenario.address)
    own = {a[len(prefix) :]: r for a, r in everything.items() if a.startswith(prefix)}
    stated = scenario.expected().get("inputs") or {}
    try:
        inputs = _inputs(call, stated)
    except HarnessError as exc:
        raise HarnessError(f"{scenario.expected_file.name}: {exc}") from exc
    return ModuleInstance(scenario.name, own, everything, inputs)
