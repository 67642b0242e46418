"""`POST /dynemodb-api/advance-clock` on the moto server: the stand-in for waiting (see clock.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from dynemodb.harness.emulator.faults import WsgiApp
from dynemodb.harness.emulator.gaps import clock

PATH = "/dynemodb-api/advance-clock"


def with_clock_endpoint(app: WsgiApp) -> WsgiApp:
    """`app`, plus the endpoint: body `{"seconds": N}`, answer `{"now": <emulator epoch seconds>}`."""

    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body: dict[str, Any]
        try:
            seconds = float(json.loads(environ["wsgi.input"].read(length) or b"{}")["seconds"])
            body, status = {"now": clock.advance(seconds)}, "200 OK"
        except (KeyError, TypeError, ValueError) as exc:
            body, status = {"error": f'write {{"seconds": N}} with N >= 0 ({exc})'}, "400 Bad Request"
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    return wrapper
