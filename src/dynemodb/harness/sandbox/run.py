"""The sandbox run: the integration flow on a real account, permissions proved with IAM's simulator."""

from __future__ import annotations

from pathlib import Path

from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import EXAMPLES
from dynemodb.harness.integration.flow import Log, run
from dynemodb.harness.integration.report import RunReport
from dynemodb.harness.integration.scoping import simulator_problems
from dynemodb.harness.integration.signals import RunControl
from dynemodb.harness.integration.target import Target
from dynemodb.harness.terraform import toolchain


def simulated_permissions(target: Target, dep: Deployment) -> list[str]:
    """The writer and reader roles' effective permissions on the table, from IAM's policy simulator."""
    roles = {"writer": EXAMPLES[dep.example].writer_role_output, "reader": EXAMPLES[dep.example].reader_role_output}
    iam = target.client("iam")
    problems = []
    for kind, output in roles.items():
        if output is None:
            continue
        role_arn = f"arn:aws:iam::{target.account_id}:role/{dep.outputs[output]}"
        problems += [
            f"{dep.example}: {line}" for line in simulator_problems(iam, kind, role_arn, dep.outputs["table_arn"])
        ]
    return problems


def sandbox_run(
    target: Target, examples: list[str], workdir: Path, control: RunControl, log: Log, run_id: str | None = None
) -> RunReport:
    with toolchain() as tc:
        check = lambda dep: simulated_permissions(target, dep)  # noqa: E731
        return run(tc, target, examples, workdir, control, check, log, run_id)
