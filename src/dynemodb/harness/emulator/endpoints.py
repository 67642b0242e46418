"""How Terraform and boto3 reach a moto server: every service the examples use, on one loopback URL."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import boto3
from botocore.config import Config

# moto's default account (what STS GetCallerIdentity answers) and the region the moto runs use.
ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
DUMMY_KEY = "dynemodb-harness"

# Provider endpoint names of every AWS service the module and the examples call. A service missing here
# would make the provider reach the real AWS endpoint, so this list is checked against the examples.
PROVIDER_SERVICES = ("applicationautoscaling", "cloudwatch", "dynamodb", "iam", "kms", "sns", "sts")


def provider_settings(endpoint: str) -> str:
    """The body of the provider "aws" override for a run against the moto server at `endpoint`.

    max_retries is low because moto answers an API it lacks with HTTP 500, which the provider would
    otherwise retry for many minutes: a gap must fail the apply fast, not hang it.
    """
    endpoints = "".join(f'    {service:<22} = "{endpoint}"\n' for service in PROVIDER_SERVICES)
    return (
        f'  access_key                  = "{DUMMY_KEY}"\n'
        f'  secret_key                  = "{DUMMY_KEY}"\n'
        "  skip_metadata_api_check     = true\n"
        "  max_retries                 = 2\n"
        f"  endpoints {{\n{endpoints}  }}\n"
    )


class Emulator:
    """A moto server somewhere on loopback, started by us or by someone else."""

    def __init__(self, endpoint: str, region: str = REGION, account_id: str = ACCOUNT_ID) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.region = region
        self.account_id = account_id

    def client(self, service: str, **credentials: Any) -> Any:
        """A boto3 client for `service` on this server; dummy credentials unless `credentials` are given."""
        credentials = credentials or {"aws_access_key_id": DUMMY_KEY, "aws_secret_access_key": DUMMY_KEY}
        config = Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=5, read_timeout=120)
        return boto3.client(service, endpoint_url=self.endpoint, region_name=self.region, config=config, **credentials)

    def enforce_iam(self, enabled: bool) -> None:
        """Turn moto's IAM enforcement on (every request is authorised) or off (nothing is)."""
        count = b"0" if enabled else b"inf"
        # text/plain: with urllib's default form content type, moto would find the body empty.
        request = urllib.request.Request(
            f"{self.endpoint}/moto-api/reset-auth", data=count, method="POST", headers={"Content-Type": "text/plain"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def advance_clock(self, seconds: float) -> float:
        """Stand in for waiting `seconds` where AWS rate-limits a change (emulator/gaps/clock.py); returns the
        emulator's time (epoch seconds) after the advance."""
        request = urllib.request.Request(
            f"{self.endpoint}/dynemodb-api/advance-clock",
            data=json.dumps({"seconds": seconds}).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return float(json.loads(response.read())["now"])
