"""The moto server logs every request with the SDK's attempt marks, so a call sent again can be traced."""

from __future__ import annotations

import json
from pathlib import Path

from dynemodb.harness.emulator import moto_server
from dynemodb.harness.emulator.request_log import read

DOCUMENT = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}
)


def test_each_request_is_logged_with_its_call_and_attempt(tmp_path: Path) -> None:
    log = tmp_path / "moto.log"
    with moto_server(log=log) as server:
        server.client("iam").create_policy(PolicyName="traced", PolicyDocument=DOCUMENT)
        server.client("dynamodb").list_tables()
    entries = {(e["service"], e["operation"]): e for e in read(log)}
    create, tables = entries[("iam", "CreatePolicy")], entries[("dynamodb", "ListTables")]
    assert (create["status"], tables["status"]) == ("200", "200")
    assert create["attempt"].startswith("attempt=1") and create["call"] != tables["call"]
