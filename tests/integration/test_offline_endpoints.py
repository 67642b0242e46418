"""Nothing may reach AWS from a moto run: every service the module and the examples use has its endpoint
pointed at the server, with dummy credentials, through the harness's override file only."""

from __future__ import annotations

import re
from pathlib import Path

from dynemodb.harness.emulator.endpoints import DUMMY_KEY, PROVIDER_SERVICES, provider_settings
from dynemodb.harness.integration.deployment import default_tags_block, snapshot_module, stage_example
from dynemodb.harness.integration.expected import EXAMPLES
from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR
from dynemodb.harness.staging import OVERRIDE_FILE

# Resource type prefix (aws_<prefix>_...) -> the provider's endpoint name for its service; None: no API call.
SERVICE_OF = {
    "appautoscaling": "applicationautoscaling",
    "cloudwatch": "cloudwatch",
    "dynamodb": "dynamodb",
    "iam": "iam",
    "kms": "kms",
    "sns": "sns",
    "caller": "sts",
    "region": None,
    "partition": None,
    "default": None,  # aws_default_tags: the provider's own configuration
}
_TYPE = re.compile(r'^(?:resource|data)\s+"aws_([a-z0-9]+)_', re.MULTILINE)


def _used_prefixes() -> set[str]:
    files = [*MODULE_DIR.glob("*.tf"), *EXAMPLES_DIR.glob("*/*.tf")]
    return {prefix for tf in files for prefix in _TYPE.findall(tf.read_text())}


def test_every_service_in_use_has_an_endpoint() -> None:
    used = _used_prefixes()
    unknown = used - set(SERVICE_OF)
    assert not unknown, f"new AWS resource types {unknown}: add their endpoint to PROVIDER_SERVICES and SERVICE_OF"
    needed = {SERVICE_OF[p] for p in used} - {None} | {"sts"}  # sts: the provider looks up the account id
    assert needed <= set(PROVIDER_SERVICES)


def test_the_override_points_every_service_at_the_server(tmp_path: Path) -> None:
    snapshot = snapshot_module(tmp_path)
    body = provider_settings("http://127.0.0.1:1") + default_tags_block({"dynemodb:run-id": "r"})
    for example in EXAMPLES:
        staged = stage_example(EXAMPLES_DIR / example, tmp_path / example, snapshot, body)
        override = (staged / OVERRIDE_FILE).read_text()
        for service in PROVIDER_SERVICES:
            assert re.search(rf'{service}\s+= "http://127\.0\.0\.1:1"', override), (example, service)
        assert f'access_key                  = "{DUMMY_KEY}"' in override
        # The examples themselves are untouched, and the staged copy calls the snapshot of the module.
        assert "endpoints" not in "".join(p.read_text() for p in (EXAMPLES_DIR / example).glob("*.tf"))
        assert str(snapshot) in (staged / "main.tf").read_text()
