"""Fault injection for the harness's own tests: answer named operations late.

A test that interrupts an apply "mid-way" needs the apply to be mid-way when the signal lands. Against
moto every call returns in milliseconds, so the window is left to chance; delaying the response of one
operation (CreateTable, say) holds terraform inside that call, with the resource already created, for as
long as the test needs. When a marker file is given, the server writes the operation's name to it as soon
as the delayed call has taken effect: the test waits for that file, not for the (busy, single-threaded)
server. This is not a moto gap and changes no answer, only when it arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def parse_delays(specs: Iterable[str]) -> dict[str, float]:
    """["CreateTable=20"] -> {"CreateTable": 20.0}."""
    delays = {}
    for spec in specs:
        name, _, seconds = spec.partition("=")
        if not name or not seconds:
            raise ValueError(f"delay {spec!r}: write OPERATION=SECONDS, for example CreateTable=20")
        delays[name] = float(seconds)
    return delays


def delayed(app: WsgiApp, delays: Mapping[str, float], marker: Path | None = None) -> WsgiApp:
    """`app`, answering the JSON-protocol operations named in `delays` (X-Amz-Target suffix) that much later."""
    if not delays:
        return app

    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        operation = str(environ.get("HTTP_X_AMZ_TARGET", "")).rpartition(".")[2]
        body = list(app(environ, start_response))  # the operation has taken effect
        if operation in delays:
            if marker is not None:
                with marker.open("a") as handle:
                    handle.write(f"{operation}\n")
            time.sleep(delays[operation])
        return body

    return wrapper
