"""Running Checkov in this process, offline and quietly, and reading its reports as plain findings.

One Python process pays Checkov's import once (~3 s) and each scan only parses and checks. Checkov is made to
stay offline (no guideline download, no mapping fetch, no module download) and a socket guard proves it: any
connection attempt during a scan fails the scan. Checkov's log lines (warnings about Terraform it cannot
evaluate, and any stack trace) go to a log file, never to stderr.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import POLICIES_DIR

# Set before Checkov is imported: no guideline/mapping download, no forked parser processes.
OFFLINE_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_PARALLELIZATION_TYPE": "none",
}

CUSTOM_ID = re.compile(r"\bCKV_MC_\d+\b")
_LOCK = threading.Lock()


def custom_check_ids(policies_dir: Path = POLICIES_DIR) -> list[str]:
    """The CKV_MC ids the policies directory declares (``id="CKV_MC_n"`` in its check files)."""
    ids = set()
    for path in policies_dir.glob("*.py"):
        ids.update(re.findall(r'\bid="(CKV_MC_\d+)"', path.read_text()))
    return sorted(ids, key=lambda i: int(i.rsplit("_", 1)[1]))


@dataclass(frozen=True)
class Finding:
    """One result of one check on one resource."""

    mode: str  # "hcl" or "plan"
    check_id: str
    check_name: str
    result: str  # "passed", "failed" or "skipped"
    resource: str  # the address Checkov reports
    file: str  # absolute path of the file that holds the resource (the plan file in plan mode)
    lines: tuple[int, int]
    caller_file: str | None = None  # absolute path of the module call (HCL module resources)
    details: tuple[str, ...] = ()
    suppress_comment: str = ""

    @property
    def custom(self) -> bool:
        return bool(CUSTOM_ID.fullmatch(self.check_id))

    @property
    def resource_type(self) -> str:
        tail = re.sub(r"^(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*", "", self.resource)
        return tail.removeprefix("data.").split(".")[0]


@dataclass
class Scan:
    """The findings of one Checkov run, and every resource address it saw."""

    mode: str
    root: Path
    findings: list[Finding] = field(default_factory=list)
    resources: set[str] = field(default_factory=set)  # "<abs file>:<address>" as Checkov lists them
    parsing_errors: list[str] = field(default_factory=list)


class NetworkAttempt(HarnessError):
    pass


@contextmanager
def no_network() -> Iterator[list[str]]:
    """Refuse every outbound connection made in this process while the block runs; yield what was tried."""
    attempts: list[str] = []
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_create = socket.create_connection

    def refuse(address: Any) -> None:
        attempts.append(str(address))
        raise OSError(f"dynemoDB policy gate: network access refused ({address})")

    def connect(self: socket.socket, address: Any) -> None:
        if self.family == getattr(socket, "AF_UNIX", None):
            return original_connect(self, address)
        refuse(address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family == getattr(socket, "AF_UNIX", None):
            return original_connect_ex(self, address)
        refuse(address)
        return 1

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        refuse(address)
        raise AssertionError("unreachable")

    socket.socket.connect = connect  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign, assignment]
    socket.create_connection = create_connection
    try:
        yield attempts
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]
        socket.create_connection = original_create


@contextmanager
def quiet_logs(log_file: Path | None) -> Iterator[None]:
    """Send every log record (Checkov's warnings and tracebacks) to ``log_file`` instead of the terminal."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    handler: logging.Handler
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler = logging.NullHandler()
    handler.setLevel(logging.INFO)
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.handlers = saved_handlers
        root.setLevel(saved_level)
        handler.close()


def _checkov() -> Any:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    try:
        from checkov.runner_filter import RunnerFilter
        from checkov.terraform.plan_runner import Runner as PlanRunner
        from checkov.terraform.runner import Runner as HclRunner
    except ImportError as exc:
        raise HarnessError(
            f"Checkov is not installed ({exc}); install the harness extra: pip install -e '.[harness]'."
        ) from exc
    return RunnerFilter, HclRunner, PlanRunner


def _findings(report: Any, mode: str, root: Path) -> list[Finding]:
    found = []
    for records, result in (
        (report.failed_checks, "failed"),
        (report.passed_checks, "passed"),
        (report.skipped_checks, "skipped"),
    ):
        for record in records:
            caller = getattr(record, "caller_file_path", None)
            lines = tuple(record.file_line_range or (1, 1))
            found.append(
                Finding(
                    mode=mode,
                    check_id=record.check_id,
                    check_name=record.check_name or "",
                    result=result,
                    resource=record.resource,
                    file=os.path.normpath(record.file_abs_path or str(root / record.file_path.lstrip("/"))),
                    lines=(int(lines[0]), int(lines[-1])),
                    caller_file=os.path.normpath(f"{root}/{caller}") if caller else None,
                    details=tuple(str(d) for d in (record.details or [])),
                    suppress_comment=str(record.check_result.get("suppress_comment") or ""),
                )
            )
    return found


def run_checkov(
    mode: str,
    target: Path,
    *,
    checks: Sequence[str] | None = None,
    skip_checks: Sequence[str] = (),
    external_checks_dir: Path | None = POLICIES_DIR,
    log_file: Path | None = None,
) -> Scan:
    """One Checkov scan: ``mode`` "hcl" scans the directory ``target``, "plan" the plan JSON file ``target``.

    ``checks`` limits the run to those ids (None: every built-in and custom check); ``skip_checks`` leaves ids out.
    """
    RunnerFilter, HclRunner, PlanRunner = _checkov()
    framework = "terraform" if mode == "hcl" else "terraform_plan"
    runner_filter = RunnerFilter(
        framework=[framework],
        checks=list(checks) if checks else None,
        skip_checks=list(skip_checks) or None,
        download_external_modules=False,
        show_progress_bar=False,
    )
    external = [str(external_checks_dir)] if external_checks_dir else None
    with _LOCK, quiet_logs(log_file), no_network() as attempts:
        if mode == "hcl":
            report = HclRunner().run(root_folder=str(target), external_checks_dir=external, runner_filter=runner_filter)
            root = target
        else:
            report = PlanRunner().run(
                root_folder=None, files=[str(target)], external_checks_dir=external, runner_filter=runner_filter
            )
            root = target.parent
    if attempts:
        raise NetworkAttempt(f"Checkov tried to reach the network while scanning {target}: {', '.join(attempts)}")
    reports = report if isinstance(report, list) else [report]
    scan = Scan(mode=mode, root=root)
    for rep in reports:
        scan.findings += _findings(rep, mode, root)
        scan.resources |= {str(r) for r in rep.resources}
        scan.parsing_errors += [str(p) for p in rep.parsing_errors]
    return scan
