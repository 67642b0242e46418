"""Invalid inputs rejected by variable validations share module instances; packing never changes a verdict."""

from __future__ import annotations

from pathlib import Path

from dynemodb.harness.invalid_packs import pack
from dynemodb.harness.invalid_plans import plan_invalid_inputs
from dynemodb.harness.scenarios import InvalidInput
from dynemodb.harness.terraform import toolchain

SHORT_NAME = InvalidInput("short_name", 'table_name = "ab"', "table_name must be 3 to 255 characters")
ZERO_READS = InvalidInput("zero_reads", "read_capacity = 0", "read_capacity must be a whole number >= 1")
# Expected to fail, but valid: packed with the others, it reports nothing of its own and is planned alone.
FINE_WRITES = InvalidInput("fine_writes", "write_capacity = 5", "write_capacity must be a whole number >= 1")
SHORT_AGAIN = InvalidInput("short_again", 'table_name = "x"', "table_name must be 3 to 255 characters")
MOVED = InvalidInput(
    "moved",
    "autoscaling = { enabled = false }",
    "This change moves the ledger table",
    {"terraform_data.table_layout": {"address": "autoscaled", "indexes": ""}},
)
NOT_HCL = InvalidInput("not_hcl", "table_name = ", "table_name must be 3 to 255 characters")


def test_cases_pack_by_disjoint_arguments_and_the_rest_go_alone() -> None:
    packs = pack([SHORT_NAME, ZERO_READS, SHORT_AGAIN, MOVED, NOT_HCL])
    assert [[case.name for case in group.cases] for group in packs] == [
        ["short_name", "zero_reads"],
        ["short_again"],
        ["moved"],
        ["not_hcl"],
    ]


def test_a_packed_case_that_plans_cleanly_is_still_found(tmp_path: Path) -> None:
    cases = [SHORT_NAME, ZERO_READS, FINE_WRITES, SHORT_AGAIN]
    with toolchain() as tc:
        rejections = plan_invalid_inputs(tc, tmp_path / "invalid", cases)
    assert rejections["fine_writes"] == []
    for case in (SHORT_NAME, ZERO_READS, SHORT_AGAIN):
        (message,) = rejections[case.name]
        assert case.error in message
