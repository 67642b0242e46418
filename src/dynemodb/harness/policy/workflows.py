"""Linting GitHub Actions workflows offline: actionlint when it is installed, and always the checks below.

- the file is YAML with `on` and `jobs`, and only keys GitHub knows at the top, job and step level
- every job runs somewhere (`runs-on`, or `uses` for a reusable workflow) and its `needs` name existing jobs
- every step has exactly one of `uses` and `run`; every action is pinned to a version or a commit
- `${{ }}` expressions are closed, use known contexts, and `steps.<id>` / `needs.<job>` exist
- every `run` script passes `bash -n` (with expressions replaced by placeholders)
- permissions use read / write / none
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

TOP_KEYS = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"}
JOB_KEYS = {
    "name",
    "needs",
    "runs-on",
    "permissions",
    "environment",
    "concurrency",
    "outputs",
    "env",
    "defaults",
    "if",
    "steps",
    "timeout-minutes",
    "strategy",
    "continue-on-error",
    "container",
    "services",
    "uses",
    "with",
    "secrets",
}
STEP_KEYS = {
    "id",
    "if",
    "name",
    "uses",
    "run",
    "shell",
    "with",
    "env",
    "continue-on-error",
    "timeout-minutes",
    "working-directory",
}
CONTEXTS = {
    "github",
    "env",
    "vars",
    "job",
    "jobs",
    "steps",
    "runner",
    "secrets",
    "strategy",
    "matrix",
    "needs",
    "inputs",
}
FUNCTIONS = {
    "contains",
    "startsWith",
    "endsWith",
    "format",
    "join",
    "toJSON",
    "fromJSON",
    "hashFiles",
    "success",
    "always",
    "cancelled",
    "failure",
}
PERMISSION_VALUES = {"read", "write", "none"}
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


def _load(path: Path) -> tuple[dict[str, Any] | None, list[str]]:
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        return None, [f"{path}: not valid YAML: {exc}"]
    if not isinstance(data, dict):
        return None, [f"{path}: a workflow is a mapping with `on` and `jobs`"]
    if True in data and "on" not in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data, []


def _expressions(value: Any) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for item in value.values():
            found += _expressions(item)
    elif isinstance(value, list):
        for item in value:
            found += _expressions(item)
    elif isinstance(value, str):
        if value.count("${{") != value.count("}}") and "${{" in value:
            found.append("\0unclosed")
        found += [m.strip() for m in _EXPRESSION.findall(value)]
    return found


def _check_expression(expr: str, where: str, step_ids: set[str], needs: set[str]) -> list[str]:
    if expr == "\0unclosed":
        return [f"{where}: an expression `${{{{` is not closed with `}}}}`"]
    problems = []
    for name in re.findall(r"(?<![\w.'\"-])([A-Za-z_][\w-]*)\s*(?=[.(\[])", re.sub(r"'[^']*'", "''", expr)):
        if name not in CONTEXTS and name not in FUNCTIONS:
            problems.append(f"{where}: unknown context or function `{name}` in `${{{{ {expr} }}}}`")
    for step in re.findall(r"\bsteps\.([\w-]+)", expr):
        if step not in step_ids:
            problems.append(f"{where}: `steps.{step}` names no step id of this job")
    for job in re.findall(r"\bneeds\.([\w-]+)", expr):
        if job not in needs:
            problems.append(f"{where}: `needs.{job}` is not in this job's needs")
    return problems


def _check_script(script: str, where: str) -> list[str]:
    bash = shutil.which("bash")
    if bash is None:
        return []
    body = _EXPRESSION.sub("EXPR", script)
    proc = subprocess.run([bash, "-n"], input=body, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return [f"{where}: the run script is not valid bash: {proc.stderr.strip()}"]
    return []


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def lint_workflow(path: Path) -> list[str]:
    data, problems = _load(path)
    if data is None:
        return problems
    for key in sorted(set(data) - TOP_KEYS, key=str):
        problems.append(f"{path}: unknown top-level key `{key}`")
    if "on" not in data:
        problems.append(f"{path}: no `on:` trigger")
    jobs = data.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return [*problems, f"{path}: no jobs"]
    problems += _check_permissions(data.get("permissions"), f"{path}")
    for job_id, job in jobs.items():
        where = f"{path}: job {job_id}"
        if not isinstance(job, dict):
            problems.append(f"{where}: a job is a mapping")
            continue
        for key in sorted(set(job) - JOB_KEYS):
            problems.append(f"{where}: unknown key `{key}`")
        if "runs-on" not in job and "uses" not in job:
            problems.append(f"{where}: no `runs-on`")
        needs = {str(n) for n in _as_list(job.get("needs"))}
        for need in sorted(needs - set(jobs)):
            problems.append(f"{where}: needs `{need}`, which is not a job of this workflow")
        problems += _check_permissions(job.get("permissions"), where)
        steps = job.get("steps") or []
        if "uses" not in job and not steps:
            problems.append(f"{where}: no steps")
        step_ids = {str(s.get("id")) for s in steps if isinstance(s, dict) and s.get("id")}
        for number, step in enumerate(steps, 1):
            label = step.get("name") or step.get("id") or step.get("uses") if isinstance(step, dict) else None
            swhere = f"{where} step {number}" + (f" ({label})" if label else "")
            if not isinstance(step, dict):
                problems.append(f"{swhere}: a step is a mapping")
                continue
            for key in sorted(set(step) - STEP_KEYS):
                problems.append(f"{swhere}: unknown key `{key}`")
            if ("uses" in step) == ("run" in step):
                problems.append(f"{swhere}: a step has exactly one of `uses` and `run`")
            uses = step.get("uses")
            if isinstance(uses, str) and not uses.startswith(("./", "docker://")):
                ref = uses.partition("@")[2]
                if not ref:
                    problems.append(f"{swhere}: `{uses}` is not pinned; add @<version tag or commit>")
                elif ref in {"main", "master", "HEAD", "latest"}:
                    problems.append(f"{swhere}: `{uses}` follows a branch; pin a version tag or commit")
            if isinstance(step.get("run"), str):
                problems += _check_script(step["run"], swhere)
        for expr in _expressions(job):
            problems += _check_expression(expr, where, step_ids, needs)
    return problems


def _check_permissions(value: Any, where: str) -> list[str]:
    if value is None or value == {} or (isinstance(value, str) and value in {"read-all", "write-all"}):
        return []
    if not isinstance(value, dict):
        return [f"{where}: permissions are read-all, write-all or a mapping of scopes"]
    return [
        f"{where}: permission {scope}: {level!r} is not one of read, write, none"
        for scope, level in value.items()
        if level not in PERMISSION_VALUES
    ]


def lint_workflows(directory: Path) -> list[str]:
    files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
    if not files:
        return [f"{directory}: no workflow files to lint"]
    problems: list[str] = []
    for path in files:
        problems += lint_workflow(path)
    actionlint = shutil.which("actionlint")
    if actionlint:
        proc = subprocess.run([actionlint, *map(str, files)], capture_output=True, text=True, check=False)
        problems += [line for line in proc.stdout.splitlines() if line.strip()]
    return problems
