"""The clock-skew bound the leases tolerate (docs/ledger.md, "Clock skew"): a live claim is safe while
the skew between workers stays below lease_seconds minus the time between the holder's lease writes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dynemodb.ledger import LeaseLost, Ledger

LEASE = 600
HEARTBEAT_EVERY = 60
BOUND = LEASE - HEARTBEAT_EVERY


@pytest.mark.parametrize(
    ("skew", "taken_over"),
    [(0, False), (BOUND - 0.001, False), (BOUND, True)],
    ids=["same clock", "just inside the bound", "at the bound"],
)
def test_a_heartbeating_claim_survives_any_skew_inside_the_bound(
    make_ledger: Callable[..., Ledger], clock: object, skew: float, taken_over: bool
) -> None:
    holder = make_ledger(lease_seconds=LEASE)
    # The other worker's clock runs `skew` seconds ahead of the holder's.
    other = make_ledger(lease_seconds=LEASE, clock=lambda: clock.now + skew)  # type: ignore[attr-defined]
    claim = holder.claim("f", owner="holder")
    assert claim is not None

    outcomes = []
    for _ in range(5):  # five heartbeat periods: the other worker tries just before each heartbeat
        clock.advance(HEARTBEAT_EVERY)  # type: ignore[attr-defined]
        outcomes.append(other.claim("f", owner="other") is not None)
        if outcomes[-1]:
            break
        claim = holder.heartbeat(claim)

    assert any(outcomes) is taken_over
    if taken_over:
        # Past the bound the file can be loaded twice; the token still lets only one completion count.
        with pytest.raises(LeaseLost):
            holder.complete(claim)
    else:
        holder.complete(claim)
