"""The emulator sends each answer in one piece (serve.AnswerInOneSend), and a 100 Continue before it.

A real werkzeug server on loopback with the emulator's request handler; the accepted sockets are wrapped
to record each sendall(). Plain werkzeug sends the headers and the body separately.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from dynemodb.harness.emulator.serve import AnswerInOneSend

BODY = b'{"TableNames": []}'


class RecordingSocket:
    """An accepted socket that notes what the handler sends."""

    def __init__(self, sock: socket.socket, sent: list[bytes]) -> None:
        self._sock, self.sent = sock, sent

    def sendall(self, data: bytes) -> None:
        self.sent.append(bytes(data))
        self._sock.sendall(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(BODY)))])
    return [BODY]


def serving(handler: type[WSGIRequestHandler]) -> Iterator[tuple[BaseWSGIServer, list[bytes]]]:
    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=handler)
    sent: list[bytes] = []
    accept = server.get_request

    def recording_accept() -> tuple[Any, Any]:
        sock, address = accept()
        return RecordingSocket(sock, sent), address

    server.get_request = recording_accept  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server, sent
    server.shutdown()
    server.server_close()


@pytest.fixture
def emulator() -> Iterator[tuple[BaseWSGIServer, list[bytes]]]:
    yield from serving(AnswerInOneSend)


@pytest.fixture
def plain_werkzeug() -> Iterator[tuple[BaseWSGIServer, list[bytes]]]:
    yield from serving(WSGIRequestHandler)


def exchange(server: BaseWSGIServer, *parts: bytes) -> bytes:
    """Send each part after the server's answer to the one before (a 100 Continue), then read to the end."""
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as client:
        for number, part in enumerate(parts):
            client.sendall(part)
            if number < len(parts) - 1:
                assert client.recv(4096).startswith(b"HTTP/1.1 100 Continue")
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    return answer


def request(body: bytes, *extra_headers: str) -> bytes:
    head = ["POST / HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}", *extra_headers, "", ""]
    return "\r\n".join(head).encode()


def test_status_headers_and_body_leave_in_one_send(emulator: tuple[BaseWSGIServer, list[bytes]]) -> None:
    server, sent = emulator
    answer = exchange(server, request(b"{}") + b"{}")
    assert answer.startswith(b"HTTP/1.0 200 OK") and answer.endswith(BODY)
    assert sent == [answer]


def test_a_100_continue_is_sent_before_the_body_is_read(emulator: tuple[BaseWSGIServer, list[bytes]]) -> None:
    server, sent = emulator
    answer = exchange(server, request(b"{}", "Expect: 100-continue"), b"{}")
    assert answer.endswith(BODY)
    assert sent == [b"HTTP/1.1 100 Continue\r\n\r\n", answer]


def test_plain_werkzeug_still_sends_headers_and_body_apart(plain_werkzeug: tuple[BaseWSGIServer, list[bytes]]) -> None:
    server, sent = plain_werkzeug
    exchange(server, request(b"{}") + b"{}")
    assert len(sent) > 1 and sent[-1] == BODY
