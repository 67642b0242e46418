"""The moto server process: `python -m dynemodb.harness.emulator.serve --parent-pid PID`.

Binds a free loopback port itself (port 0: no window in which another process can take a port we picked),
prints `PORT <n>` on stdout once it accepts connections, and serves until SIGTERM/SIGINT or until the
process that started it is gone, so an owner killed with SIGKILL still does not leave a server behind.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from werkzeug.serving import BaseWSGIServer, make_server

from dynemodb.harness.emulator import gaps
from dynemodb.harness.emulator.faults import delayed, parse_delays
from dynemodb.harness.emulator.gaps.clock_endpoint import with_clock_endpoint
from dynemodb.harness.emulator.request_log import with_request_log

PARENT_POLL_SECONDS = 0.5


def _watch_parent(parent_pid: int, server: BaseWSGIServer) -> None:
    # Re-parenting (getppid changes) is how a POSIX child learns its parent died.
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    server.shutdown()


def _build_server(host: str, delays: dict[str, float], marker: Path | None) -> BaseWSGIServer:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

    gaps.install()
    app = with_clock_endpoint(delayed(DomainDispatcherApplication(create_backend_app), delays, marker))
    app = with_request_log(app)  # on stderr, the server's log
    # One request at a time: moto's backends do not make conditional writes atomic across threads, and
    # DynamoDB does. A single-threaded werkzeug server also speaks HTTP/1.0, so no client can hold it
    # with an idle keep-alive connection.
    return make_server(host, 0, app, threaded=False, request_handler=MotoRequestHandler)


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
