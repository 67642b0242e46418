"""Runs last (see conftest.py): destroy every example, then nothing the run created may remain."""

from __future__ import annotations

from dynemodb.harness.integration.run import Batch


def test_destroy_removes_everything_the_run_created(batch: Batch) -> None:
    failures = batch.destroy()
    assert not failures, "\n".join(f"{example}: {error}" for example, error in failures.items())
    # Nothing was interrupted, so Terraform's destroy alone must have removed everything: nothing to reap.
    assert batch.reap() == ([], [])
    left = batch.leftovers()
    assert left == [], "\n".join(left)
    steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in batch.timings.by_step().items())
    print(f"\nterraform time summed over examples: {steps}; the parallel apply took {batch.apply_seconds:.0f} s")
