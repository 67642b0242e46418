"""Every example of one run, staged together and applied, re-planned and destroyed together (each step
runs one terraform process per example at once: most of a step is the provider starting, so this is
where the wall time goes down)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.deployment import Deployment, prepare
from dynemodb.harness.integration.leftovers import leftovers, reap_run
from dynemodb.harness.integration.naming import checked_run_id, new_run_id
from dynemodb.harness.integration.parallel import each
from dynemodb.harness.integration.signals import RunControl
from dynemodb.harness.integration.target import Target
from dynemodb.harness.integration.terraform_cli import Timings
from dynemodb.harness.integration.workspace import snapshot_module
from dynemodb.harness.terraform import Toolchain

DESTROY_ATTEMPTS = 2  # a real account's eventual consistency can fail a first destroy (IAM, policies)
DESTROY_RETRY_SECONDS = 10.0


def _apply(dep: Deployment) -> None:
    dep.init()
    dep.apply()


def _destroy(dep: Deployment) -> None:
    for attempt in range(1, DESTROY_ATTEMPTS + 1):
        try:
            dep.destroy()
            return
        except HarnessError:
            if attempt == DESTROY_ATTEMPTS:
                raise
            time.sleep(DESTROY_RETRY_SECONDS)


@dataclass
class Batch:
    run_id: str
    target: Target
    deployments: dict[str, Deployment]
    control: RunControl
    timings: Timings
    apply_failures: dict[str, BaseException] = field(default_factory=dict)
    apply_seconds: float = 0.0

    @classmethod
    def prepare(
        cls,
        tc: Toolchain,
        target: Target,
        examples: Sequence[str],
        workdir: Path,
        control: RunControl,
        run_id: str | None = None,
    ) -> Batch:
        """Stage every example for a new run (nothing is applied yet); a fresh run id unless one is given."""
        run_id, timings = checked_run_id(run_id) if run_id else new_run_id(), Timings()
        workdir = workdir / run_id  # concurrent runs sharing a workdir must not restage each other's roots
        snapshot = snapshot_module(workdir)
        created_at = time.time()
        deployments = {
            ex: prepare(tc, target, ex, run_id, created_at, workdir, snapshot, control.cancel, timings)
            for ex in examples
        }
        return cls(run_id, target, deployments, control, timings)

    def apply(self) -> dict[str, BaseException]:
        started = time.monotonic()
        self.apply_failures = each(list(self.deployments.values()), _apply, self.control)
        self.apply_seconds = time.monotonic() - started
        return self.apply_failures

    def deployment(self, example: str) -> Deployment:
        """The applied deployment of `example`; HarnessError saying why when its apply failed."""
        if example in self.apply_failures:
            raise HarnessError(f"{example} did not apply: {self.apply_failures[example]}")
        return self.deployments[example]

    def applied(self) -> list[Deployment]:
        return [d for name, d in self.deployments.items() if name not in self.apply_failures and d.outputs]

    def drift(self) -> dict[str, list[str]]:
        """Example -> what its re-plan would change (an empty list: no drift)."""
        found: dict[str, list[str]] = {}
        failures = each(self.applied(), lambda d: found.__setitem__(d.example, d.drift()), self.control)
        for example, error in failures.items():
            found[example] = [f"{example}: re-plan failed: {error}"]
        return found

    def destroy(self) -> dict[str, BaseException]:
        """Destroy everything an apply was started for (interrupted applies included)."""
        pending = [d for d in self.deployments.values() if d.apply_started and not d.destroyed]
        return each(pending, _destroy, self.control)

    def reap(self) -> tuple[list[str], list[str]]:
        """After destroy: delete what still carries this run's id (see reaper.py); (reaped, failures)."""
        return reap_run(self.target.client, self.run_id)

    def leftovers(self) -> list[str]:
        return leftovers(self.target.client, self.run_id, [d.table_name for d in self.deployments.values()])
