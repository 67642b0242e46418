"""What the ledger benchmarks share: a moto server and a latency-injecting proxy in front of it, on loopback.

DynamoDB is reached over a network; moto on loopback answers in microseconds of wire time. The proxy
holds every request for a fixed delay (5 ms by default, an in-region round trip) before forwarding it,
so a client that waits on requests one after another pays the delay each time, and one that keeps
several in flight pays it once per round. Each runs in its own process, so neither competes with the
client under test for the GIL. Both listen on 127.0.0.1 only.

    python benchmarks/ledger_latency.py proxy UPSTREAM_URL DELAY_SECONDS   (used by the benchmarks)
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

# One request at a time, like the integration tests' server (a conditional write is then atomic, as in
# DynamoDB); quiet, because logging every request would dominate the timings.
SERVER = """
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import WSGIRequestHandler, make_server


class Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=False,
                     request_handler=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def _port_of(process: subprocess.Popen[str]) -> int:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.strip().isdigit():
        process.kill()
        raise RuntimeError(f"server did not start: {line!r}")
    return int(line)


@contextmanager
def _process(command: list[str]) -> Iterator[str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ | CREDENTIALS)
    try:
        yield f"http://127.0.0.1:{_port_of(process)}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def moto_server() -> Iterator[str]:
    with _process([sys.executable, "-c", SERVER]) as url:
        yield url


@contextmanager
def latency_proxy(upstream: str, delay: float) -> Iterator[str]:
    with _process([sys.executable, __file__, "proxy", upstream, str(delay)]) as url:
        yield url


def client(endpoint: str, pool: int = 10) -> Any:
    """A DynamoDB client for `endpoint` with dummy credentials: nothing here may reach AWS."""
    config = Config(retries={"mode": "standard", "total_max_attempts": 10}, max_pool_connections=pool)
    session = boto3.session.Session(
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
    )
    return session.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1", config=config)


def _serve_proxy(upstream: str, delay: float) -> None:
    target = urlsplit(upstream)
    assert target.hostname is not None, f"{upstream} names no host"
    host: str = target.hostname  # declared: the handler's method below does not see the narrowing
    local = threading.local()

    class Delayed(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as botocore's pooled connections expect

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(delay)
            if getattr(local, "upstream", None) is None:
                local.upstream = http.client.HTTPConnection(host, target.port, timeout=120)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            local.upstream.request("POST", self.path, body=body, headers=headers)
            response = local.upstream.getresponse()
            payload = response.read()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Delayed)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__" and sys.argv[1:2] == ["proxy"]:
    _serve_proxy(sys.argv[2], float(sys.argv[3]))
