"""The plan stage runs once per test session; scenario tests read their part of it."""

from collections.abc import Iterator

import pytest

from dynemodb.harness import run_summary
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.plan_stage import PlanStage, run_plan_stage
from dynemodb.harness.policy.scan import import_checkov
from dynemodb.harness.scenarios import load_invalid_inputs, load_scenarios
from dynemodb.harness.terraform import toolchain


@pytest.fixture(scope="session")
def plan_stage(request: pytest.FixtureRequest) -> Iterator[PlanStage]:
    failure = None
    try:
        with toolchain() as tc:
            # The invalid inputs keep planning while the first tests judge the scenarios' plan.
            stage = run_plan_stage(
                tc, load_scenarios(), load_invalid_inputs(), wait_for_rejections=False, while_showing=import_checkov
            )
            try:
                yield stage
            finally:
                stage.close()
    except HarnessError as exc:
        failure = str(exc)
    if failure:  # failed outside the except block, so the long message is not chained into every test
        # Said once at the end, not once per test that needed the stage.
        run_summary.add(request.config, "plan stage", [failure])
        pytest.fail("the plan stage failed; why is printed once under 'plan stage' at the end", pytrace=False)
