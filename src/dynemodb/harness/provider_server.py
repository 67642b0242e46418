"""One hashicorp/aws provider process shared by every terraform command of a plan stage.

Each terraform command otherwise starts the provider several times (for its schema, its validate walk and
once per provider configuration), and each start of the 700 MB binary costs 0.4-1 s of CPU: about 40% of
the stage's CPU on this machine. Terraform attaches to an already running provider named in
TF_REATTACH_PROVIDERS, which a provider started with `-debug` prints ("Debugger-Based Debugging" in
https://developer.hashicorp.com/terraform/plugin/debugging; hashicorp/aws takes the flag).

Sharing is sound only when every provider configuration the commands send is the same one, because one
process keeps one configuration: the plan stage's roots all use the harness's offline provider settings
(see staging.py), so each configure call repeats the last. Nothing that applies uses this.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.terraform import AWS_PROVIDER, Toolchain, platform_target

REATTACH = "TF_REATTACH_PROVIDERS"
STARTUP_SECONDS = 120
# DYNEMODB_SHARED_PROVIDER=0 turns sharing off (each command starts its own providers, as terraform does).
SWITCH = "DYNEMODB_SHARED_PROVIDER"


def installed_provider(initialised: Path) -> Path | None:
    """The hashicorp/aws binary `terraform init` installed in `initialised` (the version it selected)."""
    for candidate in sorted((initialised / ".terraform" / "providers" / AWS_PROVIDER).glob("*")):
        for binary in (candidate / platform_target()).glob("terraform-provider-aws*"):
            if binary.is_file() and os.access(binary, os.X_OK):
                return binary
    return None


def _reattach_line(output: Path, process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        for line in output.read_text(errors="replace").splitlines():
            if f"{REATTACH}='" in line:
                return line.split("='", 1)[1].rstrip("'")
        if process.poll() is not None:
            raise HarnessError(
                f"The shared provider ({process.args!r}) exited with {process.returncode} before it was ready; "
                f"its output is in {output}. Set {SWITCH}=0 to let each terraform command start its own."
            )
        time.sleep(0.05)
    raise HarnessError(f"The shared provider printed no {REATTACH} within {STARTUP_SECONDS} s (see {output}).")


@contextmanager
def shared_provider(tc: Toolchain, initialised: Path) -> Iterator[Toolchain]:
    """Yield `tc` with terraform attached to one running copy of the provider `initialised` installed.

    Without such a binary (a packed or remote install) or with sharing switched off, yield `tc` unchanged.
    """
    binary = installed_provider(initialised)
    if binary is None or os.environ.get(SWITCH) == "0":
        yield tc
        return
    env = tc.env()
    # The provider adds AWS_CA_BUNDLE to its HTTP client at each configure and refuses to do it twice in one
    # process ("unable to add custom RootCAs HTTPClient"); the plans it serves make no HTTPS request.
    env.pop("AWS_CA_BUNDLE", None)
    output = initialised / "shared-provider.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            [str(binary), "-debug"], stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env, start_new_session=True
        )
    try:
        reattach = _reattach_line(output, process)
        yield dataclasses.replace(tc, extra_env={**tc.extra_env, REATTACH: reattach})
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    # Managed debug mode ends on an interrupt; a provider that ignores it is killed.
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
