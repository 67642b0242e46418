"""The plan stage runs once per test session; scenario tests read their part of it."""

from collections.abc import Iterator

import pytest

from dynemodb.harness.plan_stage import PlanStage, run_plan_stage
from dynemodb.harness.scenarios import load_invalid_inputs, load_scenarios
from dynemodb.harness.terraform import toolchain


@pytest.fixture(scope="session")
def plan_stage() -> Iterator[PlanStage]:
    with toolchain() as tc:
        # The invalid inputs keep planning while the first tests judge the scenarios' plan.
        stage = run_plan_stage(tc, load_scenarios(), load_invalid_inputs(), wait_for_rejections=False)
        try:
            yield stage
        finally:
            stage.close()
