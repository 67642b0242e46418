"""The emulator's request log: what it records of a call, and what its summary calls out."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from dynemodb.harness.emulator.request_log import PREFIX, anomalies, read, with_request_log

FORM = b"Action=CreatePolicy&PolicyName=auditor&Version=2010-05-08"
SIGNED_FOR_IAM = "AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/iam/aws4_request, SignedHeaders=host"


def test_a_query_protocol_call_is_named_by_its_action_and_its_body_handed_on() -> None:
    seen: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        start_response("409 Conflict", [])
        return [b"EntityAlreadyExists"]

    stream = io.StringIO()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_TYPE": "application/x-www-form-urlencoded; charset=utf-8",
        "CONTENT_LENGTH": str(len(FORM)),
        "wsgi.input": io.BytesIO(FORM),
        "HTTP_AUTHORIZATION": SIGNED_FOR_IAM,
        "HTTP_AMZ_SDK_INVOCATION_ID": "call-1",
        "HTTP_AMZ_SDK_REQUEST": "attempt=2; max=25",
    }
    assert with_request_log(app, stream)(environ, lambda *a: None) == [b"EntityAlreadyExists"]
    entry = json.loads(stream.getvalue().removeprefix(PREFIX))
    assert seen == [FORM]
    assert {k: entry[k] for k in ("service", "operation", "status", "call", "attempt")} == {
        "service": "iam",
        "operation": "CreatePolicy",
        "status": "409",
        "call": "call-1",
        "attempt": "attempt=2; max=25",
    }


def _entry(operation: str, status: str, seconds: float, call: str, attempt: int) -> dict[str, Any]:
    at = 1_796_212_800.0 + attempt
    return {
        "at": at,
        "seconds": seconds,
        "service": "iam",
        "operation": operation,
        "status": status,
        "call": call,
        "attempt": f"attempt={attempt}; max=25",
    }


def test_the_summary_names_a_call_sent_again_a_5xx_and_a_slow_answer(tmp_path: Path) -> None:
    log = tmp_path / "moto.log"
    entries = [
        _entry("CreatePolicy", "200", 0.2, "a", 1),
        _entry("CreatePolicy", "409", 0.1, "a", 2),
        _entry("GetPolicy", "500", 0.1, "b", 1),
        _entry("ListPolicies", "200", 7.5, "c", 1),
        _entry("GetRole", "200", 0.1, "d", 1),
    ]
    log.write_text("werkzeug noise\n" + "".join(PREFIX + json.dumps(e) + "\n" for e in entries) + PREFIX + '{"at": 1')
    found = anomalies(read(log))
    assert len(found) == 3
    assert "GetPolicy (attempt=1; max=25): 500" in found[0] and "ListPolicies" in found[1]
    assert found[2].startswith("sent again: ") and found[2].count("CreatePolicy") == 2 and "409" in found[2]
