"""Everything verification checks about one applied example, as one list of problems (empty: all good)."""

from __future__ import annotations

from collections.abc import Callable

from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import EXAMPLES, Example
from dynemodb.harness.integration.verify_alarms import verify_alarms
from dynemodb.harness.integration.verify_autoscaling import verify_autoscaling
from dynemodb.harness.integration.verify_iam import verify_iam
from dynemodb.harness.integration.verify_scoping import verify_scoping
from dynemodb.harness.integration.verify_table import verify_table

Verifier = Callable[[Deployment, Example], list[str]]

VERIFIERS: dict[str, Verifier] = {
    "table": verify_table,
    "iam": verify_iam,
    "autoscaling": verify_autoscaling,
    "alarms": verify_alarms,
    "scoping": verify_scoping,
}


def verify(dep: Deployment, aspects: tuple[str, ...] = tuple(VERIFIERS)) -> list[str]:
    spec = EXAMPLES[dep.example]
    return [line for aspect in aspects for line in VERIFIERS[aspect](dep, spec)]
