"""The gate's single configuration file, .checkov.yaml: built-in checks skipped, each with its reason.

Checkov refuses keys it does not know, so a reason lives in the comment lines right above its entry (or in a
comment after it on the same line). The gate refuses an entry without one, and refuses skipping a custom check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import REPO_ROOT
from dynemodb.harness.policy.scan import CUSTOM_ID

CONFIG_FILE = REPO_ROOT / ".checkov.yaml"

_SECTION = re.compile(r"^skip-check:.*\n((?:[ \t#-].*\n|\n)*)", re.MULTILINE)  # up to the next key
_ENTRY = re.compile(r"((?:^[ \t]*#.*\n)*)^[ \t]*-[ \t]*([A-Za-z0-9_]+)[ \t]*(?:#(.*))?$", re.MULTILINE)


@dataclass(frozen=True)
class Skip:
    check_id: str
    reason: str


def load_skips(path: Path = CONFIG_FILE) -> list[Skip]:
    """The skip-check entries of the config, each with its reason."""
    if not path.is_file():
        raise HarnessError(f"{path} is missing: the gate's list of skipped built-in checks lives there.")
    text = path.read_text() + "\n"
    try:
        listed = [str(i) for i in ((yaml.safe_load(text) or {}).get("skip-check") or [])]
    except yaml.YAMLError as exc:
        raise HarnessError(f"{path}: not valid YAML ({exc}).") from exc
    section = _SECTION.search(text)
    skips = []
    for entry in _ENTRY.finditer(section.group(1) if section else ""):
        lines = [line.strip().removeprefix("#").strip() for line in entry.group(1).splitlines()]
        skips.append(Skip(entry.group(2), " ".join(p for p in [*lines, (entry.group(3) or "").strip()] if p)))
    if [s.check_id for s in skips] != listed:
        raise HarnessError(f"{path}: write each skip-check entry as `- CHECK_ID` on its own line (found {listed}).")
    for skip in skips:
        if not skip.reason:
            raise HarnessError(
                f"{path}: skip-check {skip.check_id} has no reason; write why in a comment right above it."
            )
        if CUSTOM_ID.fullmatch(skip.check_id):
            raise HarnessError(
                f"{path}: {skip.check_id} is a custom check; suppress it on the resource with a reason "
                "(#checkov:skip=ID:reason) instead of skipping it everywhere."
            )
    return skips
