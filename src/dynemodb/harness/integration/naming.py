"""Run ids, the names a run gives its resources, and the tags that mark them as the harness's.

Every resource a run creates carries RUN_ID_TAG (through the provider's default_tags), so that the
leftover check and the sandbox sweep can find it whatever its name; the unique name suffix keeps
concurrent runs in one account (or on one moto server) from colliding.
"""

from __future__ import annotations

import re
import secrets
import time

from dynemodb.harness.errors import HarnessError

HARNESS_TAG = "dynemodb:harness"
RUN_ID_TAG = "dynemodb:run-id"
CREATED_AT_TAG = "dynemodb:created-at"  # epoch seconds, so the sweep can compute an age without parsing
EXAMPLE_TAG = "dynemodb:example"
NAME_PREFIX = "dynemodb-it"

# Example directory name -> a short name part: IAM role names derived from the table name must stay <= 64.
SHORT_NAMES = {"on_demand": "od", "glue_lambda_access": "gla", "complete": "cmp"}


def new_run_id() -> str:
    """A short id unique enough for concurrent runs: time to the second plus random hex."""
    return f"{time.strftime('%m%d%H%M%S', time.gmtime())}{secrets.token_hex(3)}"


_RUN_ID = re.compile(r"^[a-z0-9]{1,24}$")


def checked_run_id(run_id: str) -> str:
    """A run id given from outside (CI passes its own, to find the run's resources in a later step)."""
    if not _RUN_ID.match(run_id):
        raise HarnessError(f"run id {run_id!r}: use 1 to 24 lowercase letters and digits (it goes into names).")
    return run_id


def table_name(example: str, run_id: str) -> str:
    return f"{NAME_PREFIX}-{SHORT_NAMES.get(example, example.replace('_', '-'))}-{run_id}"


def run_tags(run_id: str, kind: str, created_at: float, example: str) -> dict[str, str]:
    """Tags every resource of one example's apply carries: who made it, which run, when, from what."""
    return {
        HARNESS_TAG: kind,
        RUN_ID_TAG: run_id,
        CREATED_AT_TAG: str(int(created_at)),
        EXAMPLE_TAG: example,
    }
