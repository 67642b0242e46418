"""The guard in front of every sandbox command: real credentials, and an account on the allow-list.

The allow-list (SANDBOX_ACCOUNT_IDS: 12-digit ids, comma or space separated) is what stops the harness from
creating, destroying or sweeping in a production account someone's credentials happened to point at. There
is no default and no override: unset means refuse.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from dynemodb.harness.errors import HarnessError

ALLOW_LIST_ENV = "SANDBOX_ACCOUNT_IDS"
_ACCOUNT_ID = re.compile(r"^\d{12}$")


class NoCredentials(HarnessError):
    """No usable AWS credentials: nothing can run, and that is said plainly."""


class SandboxRefused(HarnessError):
    """The credentials belong to an account that is not allow-listed (or there is no allow-list)."""


def allowed_accounts(env: Mapping[str, str] | None = None) -> frozenset[str]:
    raw = (env if env is not None else os.environ).get(ALLOW_LIST_ENV, "")
    ids = [part for part in re.split(r"[\s,]+", raw.strip()) if part]
    bad = [part for part in ids if not _ACCOUNT_ID.match(part)]
    if bad:
        raise SandboxRefused(f"{ALLOW_LIST_ENV} holds {bad}, which are not 12-digit AWS account ids; fix the list.")
    return frozenset(ids)


def caller_account(session: Any) -> str:
    """The account the standard credential chain resolves to (STS GetCallerIdentity)."""
    if session.get_credentials() is None:
        raise NoCredentials(
            "No AWS credentials found (environment, shared config/SSO profile, container or instance role). "
            "The sandbox run needs credentials for an allow-listed sandbox account; without them, run the "
            "same flow locally against moto: nox -s integration."
        )
    try:
        return str(session.client("sts").get_caller_identity()["Account"])
    except NoCredentialsError as exc:
        raise NoCredentials(f"No usable AWS credentials: {exc}") from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise NoCredentials(f"AWS rejected the credentials: {error.get('Code')}: {error.get('Message')}") from None
    except BotoCoreError as exc:
        raise NoCredentials(f"Could not check the AWS credentials: {exc}") from None


def check(session: Any, env: Mapping[str, str] | None = None) -> str:
    """The caller's account id when it may be used; NoCredentials or SandboxRefused otherwise."""
    account = caller_account(session)
    allowed = allowed_accounts(env)
    if not allowed:
        raise SandboxRefused(
            f"{ALLOW_LIST_ENV} is not set: refusing to touch account {account}. List the sandbox account ids "
            "the harness may create and destroy resources in, for example SANDBOX_ACCOUNT_IDS=123456789012."
        )
    if account not in allowed:
        raise SandboxRefused(
            f"Account {account} is not in {ALLOW_LIST_ENV} ({', '.join(sorted(allowed))}): refusing to create, "
            "destroy or sweep anything there. Point the credentials at a sandbox account, or add it to the list "
            "if (and only if) it is one."
        )
    return account
