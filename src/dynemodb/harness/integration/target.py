"""Where a run applies: the local moto server or a real sandbox account, and how to reach it.

A Target is everything that differs between the two: the provider settings the harness injects, the
environment terraform runs in, and the boto3 clients verification uses. The flow itself is the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from dynemodb.harness.emulator import Emulator
from dynemodb.harness.emulator.endpoints import provider_settings
from dynemodb.harness.terraform import Toolchain

MOTO = "moto"
SANDBOX = "sandbox"


@dataclass(frozen=True)
class Target:
    kind: str  # MOTO or SANDBOX: also the value of the harness tag on everything the run creates
    region: str
    account_id: str
    provider_settings: str  # body of the provider "aws" override, without default_tags
    make_client: Callable[[str], Any]
    inherit_aws_env: bool  # False: terraform sees no AWS_* variable, so nothing can reach a real account

    def client(self, service: str) -> Any:
        return self.make_client(service)

    def terraform_env(self, tc: Toolchain) -> dict[str, str]:
        env = tc.env()
        if not self.inherit_aws_env:
            env = {k: v for k, v in env.items() if not k.startswith("AWS_")}
            env["AWS_EC2_METADATA_DISABLED"] = "true"
        return env


def moto_target(server: Emulator) -> Target:
    return Target(
        kind=MOTO,
        region=server.region,
        account_id=server.account_id,
        provider_settings=provider_settings(server.endpoint),
        make_client=server.client,
        inherit_aws_env=False,
    )


def sandbox_target(session: boto3.Session, account_id: str) -> Target:
    """The standard credential chain, as the caller's environment configures it; nothing injected."""
    config = Config(retries={"mode": "standard", "max_attempts": 10})
    region = session.region_name or os.environ.get("SANDBOX_REGION") or "eu-west-1"
    return Target(
        kind=SANDBOX,
        region=region,
        account_id=account_id,
        provider_settings="",
        make_client=lambda service: session.client(service, region_name=region, config=config),
        inherit_aws_env=True,
    )
