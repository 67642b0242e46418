"""Finding terraform (or tofu) and running it offline with a CLI config the harness owns.

The user's own CLI config (~/.terraformrc, TF_CLI_CONFIG_FILE) is never read or written: every command
runs with TF_CLI_CONFIG_FILE pointing at a file in a temporary directory of ours.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dynemodb.harness.errors import HarnessError

# Places a filesystem mirror of providers is commonly kept (Terraform's implied local mirror directories
# and machine images' conventional spots); TF_PLUGIN_MIRROR overrides them.
MIRROR_CANDIDATES = (
    Path("/opt/tf-plugins"),
    Path.home() / ".terraform.d" / "plugins",
    Path.home() / ".local" / "share" / "terraform" / "plugins",
    Path("/usr/local/share/terraform/plugins"),
    Path("/usr/share/terraform/plugins"),
)
AWS_PROVIDER = Path("registry.terraform.io") / "hashicorp" / "aws"
# Go's collector, not the work, was a third of terraform's CPU in the plan stage (perf, this machine):
# collect only near a soft heap limit instead of each time the heap doubles. A plan here peaks near
# 350 MB of live heap, so the limit leaves room; a user's own GOGC or GOMEMLIMIT wins. Only the plan
# stage runs so (at most four such processes at once), not the applies of the integration runs.
GO_RUNTIME = {"GOGC": "off", "GOMEMLIMIT": "1536MiB"}
# platform.machine() -> the architecture name in provider packages (Go's GOARCH).
_GO_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64", "i386": "386", "i686": "386"}


@dataclass(frozen=True)
class Toolchain:
    """A terraform-compatible binary plus the environment that makes it run offline here."""

    binary: str
    flavour: str  # "terraform" or "tofu"
    cli_config: Path
    mirror: Path | None
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"TF_LOG", "TF_PLUGIN_CACHE_DIR"}}
        env.update(
            TF_CLI_CONFIG_FILE=str(self.cli_config),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
        )
        env.update(self.extra_env)
        return env

    def for_planning(self) -> Toolchain:
        """This toolchain with GO_RUNTIME, unless the user set GOGC or GOMEMLIMIT."""
        if {"GOGC", "GOMEMLIMIT"} & os.environ.keys():
            return self
        return dataclasses.replace(self, extra_env={**GO_RUNTIME, **self.extra_env})


def _flavour(binary: str, source: str) -> str:
    """ "terraform" or "tofu", from what `binary version -json` answers; anything else is refused up front,
    before a command's failure could read as a fault of the code being checked."""
    try:
        proc = subprocess.run([binary, "version", "-json"], capture_output=True, text=True, timeout=60, check=False)
        answer = json.loads(proc.stdout) if proc.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError):
        answer = None
    version = answer.get("terraform_version") if isinstance(answer, dict) else None
    if not isinstance(version, str) or not re.match(r"^\d+\.\d+", version):
        raise HarnessError(
            f"{source}: `{binary} version -json` does not answer like terraform or tofu (no terraform_version); "
            "set TF_BINARY to a Terraform >= 1.4 or OpenTofu >= 1.6 binary."
        )
    # OpenTofu answers with the same JSON keys; its binary is named tofu.
    return "tofu" if Path(binary).name.startswith("tofu") else "terraform"


def find_binary() -> tuple[str, str]:
    """The binary to run: TF_BINARY if set, else terraform, else tofu on PATH; checked to be one of them."""
    wanted = os.environ.get("TF_BINARY")
    if wanted:
        found = shutil.which(wanted)
        if not found:
            raise HarnessError(f"TF_BINARY={wanted!r} is not an executable on PATH; set it to terraform or tofu.")
        return found, _flavour(found, f"TF_BINARY={wanted!r}")
    for name in ("terraform", "tofu"):
        found = shutil.which(name)
        if found:
            return found, _flavour(found, f"{name} on PATH")
    raise HarnessError(
        "Neither terraform nor tofu is on PATH. Install Terraform >= 1.4 or OpenTofu >= 1.6, "
        "or set TF_BINARY to the binary's path."
    )


def platform_target() -> str:
    """This machine's provider platform as mirrors name it: linux_amd64, darwin_arm64, ..."""
    system = platform.system().lower()
    machine = platform.machine().lower()
    return f"{system}_{_GO_ARCH.get(machine, machine)}"


def usable_versions(mirror: Path, target: str | None = None) -> list[str]:
    """Versions of hashicorp/aws in `mirror` that this platform can run: an unpacked
    <version>/<os_arch>/terraform-provider-aws* executable, or a packed terraform-provider-aws_<version>_<os_arch>.zip
    (the two layouts Terraform's filesystem_mirror reads; see its CLI configuration documentation)."""
    target = target or platform_target()
    provider = mirror / AWS_PROVIDER
    if not provider.is_dir():
        return []
    found = set()
    for entry in provider.iterdir():
        if entry.is_dir():
            binaries = list((entry / target).glob("terraform-provider-aws*"))
            if any(b.is_file() and b.stat().st_size > 0 and os.access(b, os.X_OK) for b in binaries):
                found.add(entry.name)
        elif entry.name.startswith("terraform-provider-aws_") and entry.name.endswith(f"_{target}.zip"):
            found.add(entry.name.removeprefix("terraform-provider-aws_").removesuffix(f"_{target}.zip"))
    return sorted(found)


def find_mirror() -> Path | None:
    """A filesystem mirror holding a hashicorp/aws this machine can run: TF_PLUGIN_MIRROR if set (and then it
    must hold one), else the first usable one of MIRROR_CANDIDATES."""
    configured = os.environ.get("TF_PLUGIN_MIRROR")
    if configured:
        mirror = Path(configured).expanduser()
        if not usable_versions(mirror):
            raise HarnessError(
                f"TF_PLUGIN_MIRROR={configured} holds no hashicorp/aws provider for {platform_target()} "
                f"(expected {AWS_PROVIDER}/<version>/{platform_target()}/terraform-provider-aws_*); make one with "
                f"`terraform providers mirror -platform={platform_target()} {configured}`."
            )
        return mirror
    return next((c for c in MIRROR_CANDIDATES if usable_versions(c)), None)


def _cli_config_text(mirror: Path | None, hosts: tuple[str, ...]) -> str:
    if mirror is None:
        return "disable_checkpoint = true\n"
    includes = ", ".join(f'"{h}/*/*"' for h in hosts)
    return (
        "disable_checkpoint = true\n"
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = [{includes}]\n  }}\n'
        f"  direct {{\n    exclude = [{includes}]\n  }}\n"
        "}\n"
    )


@contextmanager
def toolchain(allow_network: bool | None = None) -> Iterator[Toolchain]:
    """Yield a Toolchain whose CLI config lives in a temporary directory removed afterwards.

    Without a mirror, providers would be downloaded: that is refused unless DYNEMODB_ALLOW_NETWORK=1,
    because the gate must run unattended and offline.
    """
    binary, flavour = find_binary()
    mirror = find_mirror()
    if allow_network is None:
        allow_network = os.environ.get("DYNEMODB_ALLOW_NETWORK") == "1"
    if mirror is None and not allow_network:
        raise HarnessError(
            "No provider mirror with hashicorp/aws was found, and the harness does not download providers. "
            "Set TF_PLUGIN_MIRROR to a directory made by `terraform providers mirror DIR`, "
            "or set DYNEMODB_ALLOW_NETWORK=1 to let terraform reach the registry."
        )
    with tempfile.TemporaryDirectory(prefix="dynemodb-tf-") as tmp:
        hosts: tuple[str, ...] = ("registry.terraform.io",)
        if mirror is not None and flavour == "tofu":
            # OpenTofu resolves hashicorp/aws on registry.opentofu.org: present the same packages there.
            tofu_mirror = Path(tmp) / "mirror"
            tofu_mirror.mkdir()
            (tofu_mirror / "registry.terraform.io").symlink_to(mirror / "registry.terraform.io")
            (tofu_mirror / "registry.opentofu.org").symlink_to(mirror / "registry.terraform.io")
            mirror = tofu_mirror
            hosts = ("registry.terraform.io", "registry.opentofu.org")
        config = Path(tmp) / "cli.tfrc"
        config.write_text(_cli_config_text(mirror, hosts))
        yield Toolchain(binary=binary, flavour=flavour, cli_config=config, mirror=mirror)
