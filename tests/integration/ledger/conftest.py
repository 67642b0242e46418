"""A moto server that handles one request at a time, on a free loopback port, for the whole session.

moto's in-process backend and its threaded server check a condition and apply a write in separate
steps without a lock, so two threads can both win a conditional write. Serving one request at a time
makes each request atomic, as DynamoDB makes each single-item write atomic; concurrency tests are
only meaningful against this. The server runs in its own process so the worker threads under test
do not compete with it for the GIL (and its state cannot leak into mock_aws tests in this process).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from dynemodb.ledger.schema import table_definition, ttl_specification

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)


SERIAL_SERVER = """
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import WSGIRequestHandler, make_server


class Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass  # a log line per request would cost more than the request


app = DomainDispatcherApplication(create_backend_app)
# threaded=False: one request at a time. Port 0: the OS picks a free port, which we report.
server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture(scope="session")
def serial_moto() -> Iterator[str]:
    """The endpoint URL of a single-threaded moto server, stopped when the session ends."""
    server = subprocess.Popen([sys.executable, "-c", SERIAL_SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def server_client(serial_moto: str, aws_env: None) -> Callable[[], Any]:
    """A factory of DynamoDB clients for the server: one per worker thread, as separate processes would."""

    def make() -> Any:
        return boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
        ).client(
            "dynamodb",
            endpoint_url=serial_moto,
            config=Config(retries={"mode": "standard", "total_max_attempts": 10}),
        )

    return make


@pytest.fixture
def server_table(server_client: Callable[[], Any]) -> str:
    """A fresh table shaped like the module's; unique per test because the server outlives tests."""
    name = f"ledger-{uuid.uuid4().hex[:12]}"
    client = server_client()
    client.create_table(**table_definition(name))
    client.update_time_to_live(TableName=name, **ttl_specification())
    return name
