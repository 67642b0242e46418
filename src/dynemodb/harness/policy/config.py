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

_ITEM = re.compile(r"^\s*-\s*([A-Za-z0-9_]+)\s*(?:#\s*(.*))?$")
_COMMENT = re.compile(r"^\s*#\s?(.*)$")
_KEY = re.compile(r"^[A-Za-z0-9_-]+\s*:")


@dataclass(frozen=True)
class Skip:
    check_id: str
    reason: str


def load_skips(path: Path = CONFIG_FILE) -> list[Skip]:
    """The skip-check entries of the config, each with its reason."""
    if not path.is_file():
        raise HarnessError(f"{path} is missing: the gate's list of skipped built-in checks lives there.")
    text = path.read_text()
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise HarnessError(f"{path}: not valid YAML ({exc}).") from exc
    listed = [str(i) for i in (data.get("skip-check") or [])]
    skips: list[Skip] = []
    in_list = False
    comment: list[str] = []
    for line in text.splitlines():
        if _KEY.match(line):
            in_list = line.split(":", 1)[0].strip() == "skip-check"
            comment = []
            continue
        if not in_list:
            continue
        item = _ITEM.match(line)
        note = _COMMENT.match(line)
        if item:
            reason = " ".join(part for part in [*comment, item.group(2) or ""] if part).strip()
            skips.append(Skip(item.group(1), reason))
            comment = []
        elif note:
            comment.append(note.group(1).strip())
        elif not line.strip():
            comment = []
    found = [s.check_id for s in skips]
    if found != listed:
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
