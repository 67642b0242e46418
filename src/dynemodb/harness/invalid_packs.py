"""Packing invalid inputs that variable validations reject into shared module instances.

Each module instance costs a plan its share of loading and walking the module (about 0.1 s of CPU here),
and Terraform reports every failed validation of an instance, each at the argument that failed (the
diagnostic's range is that argument's expression in the calling root). So cases that set different
arguments can share one instance, and each error is read back by its line. Only cases that cannot
interfere are packed: every argument the case sets has validations that read no other variable (a
validation reading another one could fail, or pass, because of a neighbour's value) and the case's
expected message is one of those validations'. A packed case that reports nothing of its own is
planned again alone, so packing changes what a round costs, never what it finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.scenarios import InvalidInput

_VAR = re.compile(r"\bvar\.(\w+)")


@dataclass(frozen=True)
class Pack:
    """One module instance of an invalid-inputs root, named after its first case (init installed that)."""

    cases: tuple[InvalidInput, ...]

    @property
    def module_name(self) -> str:
        return self.cases[0].module_name


@dataclass(frozen=True)
class Validation:
    messages: tuple[str, ...]
    reads_others: bool


def _text(value: Any) -> str:
    return str(value[0] if isinstance(value, list) else value)


@cache
def validations(module_dir: Path = MODULE_DIR) -> dict[str, Validation]:
    """Each variable of the module: its validations' messages, and whether any condition reads another var."""
    found = {}
    with (module_dir / "variables.tf").open() as handle:
        for block in hcl2.load(handle).get("variable", []):
            for name, body in block.items():
                rules = body.get("validation", [])
                messages = tuple(" ".join(_text(r["error_message"]).replace('\\"', '"').split()) for r in rules)
                read = {v for r in rules for v in _VAR.findall(_text(r["condition"]))}
                found[name] = Validation(messages, bool(read - {name}))
    return found


def arguments(case: InvalidInput) -> frozenset[str] | None:
    """The module arguments the case sets, or None when its tfvars do not parse as plain arguments."""
    try:
        parsed = hcl2.loads(case.tfvars + "\n")
    except Exception:  # lark raises many kinds; such a case is planned on its own
        return None
    return frozenset(parsed) if parsed else None


def packable(case: InvalidInput, rules: dict[str, Validation]) -> bool:
    names = arguments(case)
    if case.state or not names or not names <= rules.keys():
        return False
    if any(rules[name].reads_others for name in names):
        return False
    return any(case.error in message for name in names for message in rules[name].messages)


def pack(cases: Sequence[InvalidInput]) -> list[Pack]:
    """Cases in packs of disjoint arguments, first fit in the given order; the rest alone."""
    rules = validations()
    packs: list[tuple[list[InvalidInput], set[str]]] = []
    alone = []
    for case in cases:
        names = arguments(case) if packable(case, rules) else None
        if names is None:
            alone.append(Pack((case,)))
            continue
        for members, taken in packs:
            if not taken & names:
                members.append(case)
                taken |= names
                break
        else:
            packs.append(([case], set(names)))
    return [Pack(tuple(members)) for members, _ in packs] + alone
