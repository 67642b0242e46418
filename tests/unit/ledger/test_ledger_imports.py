"""The client must run in a Glue job or a Lambda with nothing but boto3 installed."""

from __future__ import annotations

import json
import subprocess
import sys

# boto3 and what boto3 itself pulls in; anything else would be a dependency Glue/Lambda lack.
BOTO3_CLOSURE = {"boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six", "certifi"}

PROBE = """
import json, sys
import dynemodb.ledger, dynemodb.ledger.cli
top = {name.split(".")[0] for name in sys.modules}
third_party = sorted(t for t in top if t not in sys.stdlib_module_names and not t.startswith("_"))
harness = sorted(name for name in sys.modules if name.startswith("dynemodb.harness"))
print(json.dumps({"third_party": third_party, "harness": harness}))
"""


def test_importing_the_client_loads_only_boto3_and_the_standard_library() -> None:
    # A fresh interpreter: this test process has moto and pytest loaded already.
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    loaded = json.loads(result.stdout)
    assert set(loaded["third_party"]) - {"dynemodb"} <= BOTO3_CLOSURE, loaded["third_party"]
    assert loaded["harness"] == []
