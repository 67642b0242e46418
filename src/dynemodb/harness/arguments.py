"""Command-line values the harness checks before doing anything: argparse types that refuse bad input with
one line saying what to write instead (argparse prints it as `error: argument ...` and exits 2)."""

from __future__ import annotations

import argparse
import math
import socket
import tempfile
import urllib.parse
from pathlib import Path
from typing import NoReturn


def output_directory(text: str) -> Path:
    """A directory the command can write its reports into, created if missing."""
    path = Path(text).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        # Actually writing is the only test that holds for root, read-only mounts and ACLs alike.
        with tempfile.TemporaryFile(dir=path):
            pass
    except FileExistsError:
        raise argparse.ArgumentTypeError(f"{text} is a file; name a directory to write the reports into") from None
    except NotADirectoryError:
        raise argparse.ArgumentTypeError(f"{text}: a part of this path is a file; name a directory") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise argparse.ArgumentTypeError(f"cannot write into {text} ({reason}); name a writable directory") from None
    return path


def positive_hours(text: str) -> float:
    """A number of hours greater than zero: not negative, not zero, not nan or infinity."""
    try:
        hours = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of hours; write for example 6 or 0.5") from None
    if not math.isfinite(hours) or hours <= 0:
        raise argparse.ArgumentTypeError(
            f"{text!r}: write a positive number of hours, for example 6 (0, negative, nan and inf would "
            "include the resources of runs still in progress)"
        )
    return hours


def endpoint_url(text: str) -> str:
    """An http(s) URL with a host and a port (the port is where a moto server listens)."""
    parsed = urllib.parse.urlsplit(text)
    try:
        port = parsed.port
    except ValueError:
        port = None
    if parsed.scheme not in ("http", "https") or not parsed.hostname or port is None:
        raise argparse.ArgumentTypeError(f"{text!r}: write the server's URL with its port, e.g. http://127.0.0.1:5000")
    return text.rstrip("/")


def answering(url: str, timeout: float = 2.0) -> str | None:
    """None when something accepts TCP connections at `url`'s host and port, else why not (one line)."""
    parsed = urllib.parse.urlsplit(url)
    host, port = parsed.hostname or "", parsed.port or 0
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return exc.strerror or str(exc) or type(exc).__name__


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (`PROG: error: ...; see PROG --help`), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help\n")
