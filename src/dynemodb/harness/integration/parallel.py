"""Running one step for every example at once (each is a separate terraform process), cancellably."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed

from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.signals import Interrupted, RunControl


def each(
    deployments: Sequence[Deployment], step: Callable[[Deployment], None], control: RunControl
) -> dict[str, BaseException]:
    """Run `step` on every deployment in parallel; return the failures by example.

    An interruption (a signal in this thread, or a worker stopped by the cancel event) is raised once every
    worker has stopped, so cleanup never races a terraform command that is still running.
    """
    failures: dict[str, BaseException] = {}
    if not deployments:
        return failures
    with ThreadPoolExecutor(max_workers=len(deployments), thread_name_prefix="tf") as pool:
        futures = {pool.submit(step, d): d for d in deployments}
        try:
            for future in as_completed(futures):
                error = future.exception()
                if error is not None:
                    failures[futures[future].example] = error
        except BaseException:
            control.cancel.set()  # workers stop their terraform gracefully; the pool waits for them
            raise
    interrupted = [e for e in failures.values() if isinstance(e, Interrupted | KeyboardInterrupt)]
    if interrupted:
        raise interrupted[0]
    return failures
