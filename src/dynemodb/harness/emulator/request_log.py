"""A line per request the moto server answers, in its log, and a summary of what went wrong in a log.

Why: CI has twice seen a call whose first attempt had taken effect sent again (EntityAlreadyExists on a
CreatePolicy, a duplicate GSI on UpdateTable), and nothing said why the client tried again: moto failing
the first attempt (an HTTP 5xx) or the client giving up on an answer it waited for. The AWS SDKs mark
every attempt: `amz-sdk-invocation-id` is the same on every attempt of one call and `amz-sdk-request`
says `attempt=N; max=M`
(https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). The log keeps both, the
answer's status and how long it took, so a retry names its earlier attempts and how they ended.
"""

from __future__ import annotations

import io
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from dynemodb.harness.emulator.faults import WsgiApp

PREFIX = "REQUEST "
SLOW_SECONDS = 5.0


def _operation(environ: dict[str, Any]) -> tuple[str, str]:
    """(service, operation): the JSON protocols name it in X-Amz-Target, the query protocols (IAM, STS,
    CloudWatch) in the form body's Action, which is read here and handed on unchanged."""
    service = re.search(r"/[0-9]{8}/[a-z0-9-]+/([a-z0-9-]+)/", str(environ.get("HTTP_AUTHORIZATION", "")))
    target = str(environ.get("HTTP_X_AMZ_TARGET", "")).rpartition(".")[2]
    if not target and "x-www-form-urlencoded" in str(environ.get("CONTENT_TYPE", "")):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        action = re.search(rb"(?:^|&)Action=([A-Za-z0-9]+)", body)
        target = action.group(1).decode() if action else ""
    path = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
    return (service.group(1) if service else "-"), target or path


def with_request_log(app: WsgiApp, stream: TextIO | None = None) -> WsgiApp:
    """`app`, writing one `REQUEST {json}` line per answered request to ``stream`` (stderr: the log)."""

    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started, status = time.time(), ["-"]
        service, operation = _operation(environ)

        def recording(code: str, headers: Any, *rest: Any) -> Any:
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, *rest)

        try:
            return list(app(environ, recording))
        finally:
            entry = {
                "at": round(started, 3),
                "seconds": round(time.time() - started, 3),
                "service": service,
                "operation": operation,
                "status": status[0],
                "call": environ.get("HTTP_AMZ_SDK_INVOCATION_ID", ""),
                "attempt": environ.get("HTTP_AMZ_SDK_REQUEST", ""),
            }
            print(PREFIX + json.dumps(entry), file=stream or sys.stderr, flush=True)

    return wrapper


def read(log: Path) -> list[dict[str, Any]]:
    """The request lines of a server log (none when it is missing)."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    entries = []
    for line in (line for line in lines if line.startswith(PREFIX)):
        try:
            entries.append(json.loads(line[len(PREFIX) :]))
        except ValueError:  # the last line of a server that was killed while writing it
            continue
    return entries


def anomalies(entries: list[dict[str, Any]]) -> list[str]:
    """What an AWS endpoint would not have done, or what made a client try again: 5xx answers, answers
    slower than SLOW_SECONDS, and every attempt of a call that was sent more than once."""
    calls: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if entry["call"]:
            calls.setdefault(entry["call"], []).append(entry)

    def line(entry: dict[str, Any]) -> str:
        when = time.strftime("%H:%M:%S", time.gmtime(entry["at"])) + f".{int(entry['at'] * 1000) % 1000:03d}"
        attempt = f" ({entry['attempt']})" if entry["attempt"] else ""
        return f"{when} {entry['service']} {entry['operation']}{attempt}: {entry['status']} in {entry['seconds']} s"

    found = [line(e) for e in entries if e["status"].startswith("5") or e["seconds"] >= SLOW_SECONDS]
    for attempts in (a for a in calls.values() if len(a) > 1):
        found.append("sent again: " + "; ".join(line(e) for e in attempts))
    return found


def summary(log: Path) -> str:
    """One line for a server log: how many requests, the slowest, then each anomaly on its own line."""
    entries = read(log)
    if not entries:
        return f"emulator: no requests logged in {log}"
    slowest = max(entries, key=lambda e: e["seconds"])
    head = (
        f"emulator: {len(entries)} requests, slowest {slowest['seconds']} s ({slowest['service']} "
        f"{slowest['operation']}), log {log}"
    )
    return "\n".join([head, *(f"  {a}" for a in anomalies(entries))])
