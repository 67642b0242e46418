"""Turning a plan error of the scenarios' combined root into one line that names the user's own file and
line (NAME.tfvars:LINE, an example's file), not the generated root."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dynemodb.harness.combined_root import SourceMap
from dynemodb.harness.paths import MODULE_DIR, REPO_ROOT

# A positive scenario's instance in a diagnostic: its module call, its staged root, or its module copy.
_SCENARIO_INSTANCE = re.compile(r'module "([sr]_\w+)"|\.terraform/modules/([sr]_\w+)[/.]|roots/([sr]_\w+)/')
_MODULE_FILE = re.compile(r"\.terraform/modules/[sr]_\w+(?:\.\w+)*/")


def _repo_relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def scenario_message(diagnostic: dict[str, Any], sources: SourceMap) -> tuple[str | None, str]:
    """(module instance, one line naming the user's file and line) for a plan error diagnostic."""
    snippet, where = diagnostic.get("snippet") or {}, diagnostic.get("range") or {}
    filename, line = str(where.get("filename", "")), (where.get("start") or {}).get("line")
    text = " ".join(str(p) for p in (snippet.get("context"), filename, diagnostic.get("detail")) if p)
    match = _SCENARIO_INSTANCE.search(text)
    instance = next((g for g in match.groups() if g), None) if match else None
    detail = _MODULE_FILE.sub(f"{_repo_relative(MODULE_DIR)}/", str(diagnostic.get("detail", "")))
    message = " ".join(f"{diagnostic.get('summary', '')}: {detail}".split())
    location = None
    if instance in sources.tfvars and filename == "main.tf" and line:
        tfvars, first = sources.tfvars[instance]
        location = f"{_repo_relative(tfvars)}:{line - first + 1}"
    elif instance in sources.roots and filename.startswith(f"roots/{instance}/"):
        location = f"{_repo_relative(sources.roots[instance] / Path(filename).name)}:{line}"
    elif instance in sources.tfvars or instance in sources.roots:
        origin = sources.tfvars[instance][0] if instance in sources.tfvars else sources.roots[instance]
        inside = _MODULE_FILE.sub(f"{_repo_relative(MODULE_DIR)}/", filename)
        location = f"{_repo_relative(origin)} (raised at {inside}:{line})"
    return instance, f"{location or filename}: {message}"
