"""Every example applied to moto: what AWS reports matches what the example promises, and a second plan
shows no changes."""

from __future__ import annotations

import pytest

from dynemodb.harness.integration.expected import EXAMPLES
from dynemodb.harness.integration.run import Batch
from dynemodb.harness.integration.verify import VERIFIERS, verify

NAMES = sorted(EXAMPLES)


@pytest.mark.parametrize("example", NAMES)
def test_example_applies(batch: Batch, example: str) -> None:
    dep = batch.deployment(example)
    assert dep.outputs["table_name"] == dep.table_name


@pytest.mark.parametrize("aspect", list(VERIFIERS))
@pytest.mark.parametrize("example", NAMES)
def test_aws_reports_what_the_example_promises(batch: Batch, example: str, aspect: str) -> None:
    problems = verify(batch.deployment(example), (aspect,))
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def drift(batch: Batch) -> dict[str, list[str]]:
    """One re-plan per applied example, all at once."""
    return batch.drift()


@pytest.mark.parametrize("example", NAMES)
def test_second_plan_shows_no_changes(batch: Batch, drift: dict[str, list[str]], example: str) -> None:
    batch.deployment(example)
    assert drift[example] == [], "\n".join(drift[example])
