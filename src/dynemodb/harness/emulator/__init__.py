"""The local AWS emulator: a moto server the harness starts, owns and stops (server.py), how Terraform and
boto3 reach it (endpoints.py), the one place that fills moto's gaps (gaps.py), and fault injection for the
harness's own tests (faults.py)."""

from dynemodb.harness.emulator.endpoints import Emulator
from dynemodb.harness.emulator.server import MotoServer, moto_server

__all__ = ["Emulator", "MotoServer", "moto_server"]
