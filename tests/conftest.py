"""Shared test settings: no test may reach AWS or the network."""

import gc
import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _offline_aws_credentials() -> None:
    # Dummy credentials so that no test can pick up a real profile and reach a real account.
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }.items():
        os.environ[key] = value
    os.environ.pop("AWS_PROFILE", None)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # The interpreter's exit would run full collections over all that is still alive (Checkov's modules
    # and registries, the plans): 0.8 s of the plan stage's 11 s. Nothing needs those objects collected:
    # atexit handlers still run and what reference counting frees is still freed (and flushed).
    gc.freeze()
