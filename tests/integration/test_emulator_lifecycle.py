"""The moto server stops however the block that owns it ends, and each gets its own free port."""

from __future__ import annotations

import socket

import pytest

from dynemodb.harness.emulator import MotoServer, moto_server


def _refuses(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _assert_stopped(server: MotoServer) -> None:
    assert not server.running()
    assert _refuses(server.port)


def test_stops_after_success_and_answers_while_running() -> None:
    with moto_server() as server, moto_server() as other:
        assert server.port != other.port
        assert server.client("sts").get_caller_identity()["Account"] == server.account_id
    _assert_stopped(server)
    _assert_stopped(other)


@pytest.mark.parametrize("error", [RuntimeError("a failed step"), KeyboardInterrupt()], ids=["failure", "ctrl-c"])
def test_stops_when_the_block_fails(error: BaseException) -> None:
    with pytest.raises(type(error)), moto_server() as server:
        raise error
    _assert_stopped(server)
