"""The moto server process: `python -m dynemodb.harness.emulator.serve --parent-pid PID`.

Binds a free loopback port itself (port 0: no window in which another process can take a port we picked),
prints `PORT <n>` on stdout once it accepts connections, and serves until SIGTERM/SIGINT or until the
process that started it is gone, so an owner killed with SIGKILL still does not leave a server behind.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from dynemodb.harness.emulator import gaps
from dynemodb.harness.emulator.faults import delayed, parse_delays
from dynemodb.harness.emulator.gaps.clock_endpoint import with_clock_endpoint
from dynemodb.harness.emulator.request_log import with_request_log

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

PARENT_POLL_SECONDS = 0.5


def _watch_parent(parent_pid: int, server: BaseWSGIServer) -> None:
    # Re-parenting (getppid changes) is how a POSIX child learns its parent died.
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    server.shutdown()


class SendOnFlush(io.BufferedIOBase):
    """A response stream that holds what is written and sends it in one sendall() on flush()."""

    def __init__(self, connection: socket.socket) -> None:
        self._connection = connection
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        part = bytes(data)
        self._parts.append(part)
        return len(part)

    def flush(self) -> None:
        if self._parts:
            data, self._parts = b"".join(self._parts), []
            self._connection.sendall(data)


class AnswerInOneSend(WSGIRequestHandler):
    """Each answer goes to the client in one send: status line, headers and body together.

    Werkzeug writes the headers and the body with separate send() calls and flushes after the body. A
    loopback capture of the integration run showed the AWS provider's Go client sometimes closing the
    connection in the gap between the two (client FIN after the header segment, RST for the body), 3 in
    741 answers of one run, and then sending the call again: a create whose first attempt took effect
    fails ("TimeToLive is already enabled", EntityAlreadyExists). Sent whole, there is no gap to close in.
    """

    def setup(self) -> None:
        super().setup()
        self.wfile = SendOnFlush(self.connection)

    def run_wsgi(self) -> None:
        # Buffered, werkzeug's interim 100 Continue would wait for the answer, which waits for the body,
        # which the client holds until the 100 Continue comes.
        if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
            self.connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            del self.headers["Expect"]
        super().run_wsgi()


def _build_server(host: str, delays: dict[str, float], marker: Path | None) -> BaseWSGIServer:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

    gaps.install()
    app = with_clock_endpoint(delayed(DomainDispatcherApplication(create_backend_app), delays, marker))
    app = with_request_log(app)  # on stderr, the server's log
    # One request at a time: moto's backends do not make conditional writes atomic across threads, and
    # DynamoDB does. A single-threaded werkzeug server also speaks HTTP/1.0, so no client can hold it
    # with an idle keep-alive connection.
    handler = type("EmulatorRequestHandler", (AnswerInOneSend, MotoRequestHandler), {})
    return make_server(host, 0, app, threaded=False, request_handler=handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dynemodb.harness.emulator.serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--parent-pid", type=int, default=os.getppid())
    parser.add_argument("--delay", action="append", default=[], help="OPERATION=SECONDS (tests only, see faults.py)")
    parser.add_argument("--delay-marker", type=Path, help="file to note delayed calls in (tests only)")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    server = _build_server(args.host, parse_delays(args.delay), args.delay_marker)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=_watch_parent, args=(args.parent_pid, server), daemon=True).start()
    print(f"PORT {server.server_port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
