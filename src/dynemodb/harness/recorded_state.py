"""A state file holding only terraform_data records, as an earlier apply of a module instance left them.

Some of the module's refusals compare what a previous apply recorded (terraform_data.table_layout) with
the inputs now configured; a plan of a new table cannot show them. terraform_data belongs to Terraform's
built-in provider, so a plan refreshes such records without AWS: an invalid input can name the records
it starts from, and its plan runs against them. The file is Terraform's state format version 4 (what
`terraform show -json` reads back); `input` and `output` are dynamically typed, stored as value and type.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

RECORDABLE = "terraform_data."
# Terraform refuses state written by a newer release than itself and reads older ones: the module's floor.
WRITTEN_BY = "1.4.0"


def cty_type(value: Any) -> Any:
    """The type Terraform stores beside a dynamic value, for JSON-shaped values."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return ["object", {key: cty_type(item) for key, item in value.items()}]
    if isinstance(value, list):
        return ["tuple", [cty_type(item) for item in value]]
    raise ValueError(f"cannot record {value!r}: use strings, numbers, booleans, lists and maps")


def _instance(value: Any) -> dict[str, Any]:
    typed = {"value": value, "type": cty_type(value)}
    return {
        "schema_version": 0,
        "attributes": {"id": str(uuid.uuid4()), "input": typed, "output": typed, "triggers_replace": None},
        "sensitive_attributes": [],
    }


def write_state(dest: Path, records: Mapping[str, Mapping[str, Any]]) -> None:
    """Write `dest`/terraform.tfstate from {module instance: {"terraform_data.NAME": output value}}."""
    resources = [
        {
            "module": f"module.{instance}",
            "mode": "managed",
            "type": "terraform_data",
            "name": address.removeprefix(RECORDABLE),
            "provider": 'provider["terraform.io/builtin/terraform"]',
            "instances": [_instance(value)],
        }
        for instance, recorded in records.items()
        for address, value in recorded.items()
    ]
    state = {
        "version": 4,
        "terraform_version": WRITTEN_BY,
        "serial": 1,
        "lineage": str(uuid.uuid4()),
        "outputs": {},
        "resources": resources,
        "check_results": None,
    }
    (dest / "terraform.tfstate").write_text(json.dumps(state, indent=2) + "\n")
