"""Running Checkov in this process, offline and quietly, and reading its reports as plain findings.

One process pays Checkov's import once (~3 s); each scan then only parses and checks. Checkov stays offline
(--skip-download's settings: no guideline, mapping or module download) and a socket guard proves it: a
connection attempt fails the scan. Its log lines go to a file, never to the terminal. CHECKOV_NO_OUTPUT is
removed from the environment: it silences Checkov completely (no report, exit 0).
"""

from __future__ import annotations

import functools
import gc
import importlib
import logging
import os
import re
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import POLICIES_DIR

OFFLINE_ENV = {"BC_SKIP_MAPPING": "TRUE", "CHECKOV_PARALLELIZATION_TYPE": "none"}  # before Checkov is imported
CUSTOM_ID = re.compile(r"CKV_MC_\d+")
_LOCK = threading.Lock()


@functools.cache
def custom_checks(policies_dir: Path = POLICIES_DIR) -> dict[str, Any]:
    """The CKV_MC checks' metadata (id -> check class), from the checks themselves, in id order. Read once:
    each Checkov run execs the directory again, the adapter last, which leaves a fresh, empty registry."""
    os.environ.update({k: v for k, v in OFFLINE_ENV.items() if k not in os.environ})
    if str(policies_dir) not in sys.path:
        sys.path.insert(0, str(policies_dir))
    try:
        for path in sorted(policies_dir.glob("ckv_mc_*.py")):
            importlib.import_module(path.stem)
        checks = dict(sys.modules["ckv_mc_adapter"].CHECKS)
    except (ImportError, KeyError) as exc:
        raise HarnessError(f"cannot load the checks in {policies_dir} ({exc}); install the harness extra.") from exc
    return dict(sorted(checks.items(), key=lambda item: int(item[0].rsplit("_", 1)[1])))


def import_checkov() -> None:
    """Load the checks and import what a scan runs (about 1 s), so that the first scan does not."""
    custom_checks()
    for module in ("checkov.terraform.plan_runner", "checkov.terraform.runner"):
        importlib.import_module(module)


@dataclass(frozen=True)
class Finding:
    """One result of one check on one resource: what the gate needs of Checkov's record, with absolute paths
    (the report makes Checkov records again from it, placed and judged as the gate decided)."""

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


@dataclass
class Scan:
    """The findings of one Checkov run, and every resource address it saw."""

    findings: list[Finding] = field(default_factory=list)
    resources: set[str] = field(default_factory=set)
    parsing_errors: list[str] = field(default_factory=list)

    @property
    def declared(self) -> dict[str, str]:
        """Every resource declaration Checkov parsed, judged or not (`count = 0`): its file."""
        return {declaration(r.split(":", 1)[1]): r.split(":", 1)[0] for r in self.resources}


def declaration(address: str) -> str:
    """Where a resource is declared, comparable across scan modes: no instance keys, and no `data.` (HCL
    scans report data sources without it)."""
    return re.sub(r"^((?:module\.[^.]+\.)*)data\.", r"\1", re.sub(r"\[[^\]]*\]", "", address))


@contextmanager
def offline_and_quiet(log_file: Path | None) -> Iterator[list[str]]:
    """While the block runs: every outbound connection of this process is refused (yielded: what was tried),
    and every log record (Checkov's warnings and tracebacks) goes to ``log_file`` instead of the terminal."""
    attempts: list[str] = []
    saved = socket.socket.connect, socket.socket.connect_ex, socket.create_connection

    def refuse(sock: Any, address: Any, *rest: Any) -> Any:
        if isinstance(sock, socket.socket) and sock.family == getattr(socket, "AF_UNIX", None):
            return saved[0](sock, address)
        attempts.append(str(address if isinstance(sock, socket.socket) else sock))
        raise OSError("dynemoDB policy gate: network access refused")

    root, handler = logging.getLogger(), logging.NullHandler()  # type: logging.Logger, logging.Handler
    logs = root.handlers[:], root.level
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    socket.socket.connect = socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    # Before the name is resolved: no DNS query leaves, and the refusal names the host, not an address.
    socket.create_connection = lambda address, *a, **k: refuse(address, None)
    root.handlers, root.level = [handler], logging.INFO
    try:
        yield attempts
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection = saved  # type: ignore[method-assign]
        root.handlers, root.level = logs
        handler.close()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic collector off while Checkov runs. A scan builds its parse and graph, live until it
    ends, and the collector's full passes over them were half a plan scan's time (the scenarios' plan: 1.7 s,
    0.8 s without them) and freed nothing (the same peak memory). Reference counting still frees as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_checkov(
    mode: str,
    target: Path,
    *,
    checks: Sequence[str] | None = None,
    skip_checks: Sequence[str] = (),
    excluded: Sequence[str] = (),
    log_file: Path | None = None,
) -> Scan:
    """One Checkov scan with the custom checks: ``mode`` "hcl" scans the directory ``target``, "plan" the
    plan JSON file ``target``. ``checks`` limits the run to those ids; ``skip_checks`` leaves ids out;
    ``excluded``: Checkov's skip-path patterns (regular expressions over absolute paths)."""
    custom_checks()  # offline settings, and a clear error when Checkov is missing
    os.environ.pop("CHECKOV_NO_OUTPUT", None)  # it would silence Checkov completely: no report, exit 0
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.plan_runner import Runner as PlanRunner
    from checkov.terraform.runner import Runner as HclRunner

    runner_filter = RunnerFilter(
        framework=["terraform" if mode == "hcl" else "terraform_plan"],
        checks=list(checks or []) or None,
        skip_checks=list(skip_checks) or None,
        download_external_modules=False,
        show_progress_bar=False,
        excluded_paths=list(excluded),
    )
    where = {"root_folder": str(target)} if mode == "hcl" else {"files": [str(target)]}
    with _LOCK, offline_and_quiet(log_file) as attempts, cyclic_gc_paused():
        runner = HclRunner() if mode == "hcl" else PlanRunner()
        report = runner.run(**where, external_checks_dir=[str(POLICIES_DIR)], runner_filter=runner_filter)
    if attempts:
        raise HarnessError(f"Checkov tried to reach the network while scanning {target}: {', '.join(attempts)}")
    root, scan = (target if mode == "hcl" else target.parent), Scan()
    for rep in report if isinstance(report, list) else [report]:
        scan.findings += [_finding(r, root) for r in rep.failed_checks + rep.passed_checks + rep.skipped_checks]
        scan.resources |= {str(r) for r in rep.resources}
        scan.parsing_errors += [str(p) for p in rep.parsing_errors]
    return scan


def _finding(record: Any, root: Path) -> Finding:
    caller, lines = getattr(record, "caller_file_path", None), tuple(record.file_line_range or (1, 1))
    return Finding(
        check_id=record.check_id,
        check_name=record.check_name or "",
        result=record.check_result["result"].name.lower(),
        resource=record.resource,
        file=os.path.normpath(record.file_abs_path or str(root / record.file_path.lstrip("/"))),
        lines=(int(lines[0]), int(lines[-1])),
        caller_file=os.path.normpath(f"{root}/{caller}") if caller else None,
        details=tuple(str(d) for d in (record.details or [])),
        suppress_comment=str(record.check_result.get("suppress_comment") or ""),
    )
