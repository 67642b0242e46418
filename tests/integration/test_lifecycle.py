"""The lifecycle stage: the seed applied to the emulator, records written, then every change a user makes
over the table's life applied one at a time (lifecycle/steps.py), each verified, re-planned empty, and
leaving the records and the table itself in place. The figures go to reports/lifecycle.md."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hcl2
import pytest

from dynemodb.harness.emulator import MotoServer
from dynemodb.harness.integration.control import RunControl
from dynemodb.harness.integration.iam import Decision, evaluate
from dynemodb.harness.integration.lifecycle import Lifecycle, StepResult, commands_in, report
from dynemodb.harness.integration.run import Batch
from dynemodb.harness.integration.table_facts import identity, table_facts
from dynemodb.harness.integration.target import MotoTarget
from dynemodb.harness.paths import REPO_ROOT
from dynemodb.harness.terraform import Toolchain
from dynemodb.ledger import Ledger

if TYPE_CHECKING:
    # pytest puts tests/integration on sys.path, so the test imports its sibling top-level; mypy cannot
    # make that directory a base too (see [tool.mypy] mypy_path) and knows the module by its full path.
    from tests.integration.lifecycle.steps import steps
else:
    from lifecycle.steps import steps

ROOT = Path(__file__).parent / "lifecycle" / "root"
FILES = [f"s3://landing/exports/2026-11-{day:02d}.jsonl" for day in (1, 2, 3)]


def _value(value: Any) -> Any:
    # bc-python-hcl2 wraps every attribute value in a one-element list.
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _module_block(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return {k: _value(v) for k, v in hcl2.load(handle)["module"][0]["dynemoDB"].items()}


def test_the_lifecycle_root_starts_as_the_seed() -> None:
    seed, root = _module_block(REPO_ROOT / "main.tf"), _module_block(ROOT / "main.tf")
    with (ROOT / "variables.tf").open() as handle:
        defaults = {n: _value(body.get("default")) for v in hcl2.load(handle)["variable"] for n, body in v.items()}
    for name, value in seed.items():
        if name in ("source", "table_name") or name.startswith("__"):  # the run names the table itself
            continue
        given = root[name]
        if isinstance(given, str) and given.startswith("${var."):
            given = defaults[given[len("${var.") : -1]]
        expected = {"Environment": "default", "Project": "MetricCare"} if name == "tags" else value
        assert given == expected, name


def test_refusal_commands_are_read_even_when_the_message_is_wrapped() -> None:
    wrapped = (
        "│ Move it in the state: terraform state mv\n│ 'module.dynemoDB.aws_dynamodb_table.this[0]'\n"
        "│ 'module.dynemoDB.aws_dynamodb_table.autoscaled[0]' && terraform state rm\n"
        "│ 'module.dynemoDB.terraform_data.table_layout'"
    )
    assert commands_in(wrapped) == [
        [
            "state",
            "mv",
            "module.dynemoDB.aws_dynamodb_table.this[0]",
            "module.dynemoDB.aws_dynamodb_table.autoscaled[0]",
        ],
        ["state", "rm", "module.dynemoDB.terraform_data.table_layout"],
    ]


@pytest.fixture(scope="module")
def lifecycle(tf: Toolchain, moto: MotoServer, integration_dir: Path) -> Iterator[tuple[Lifecycle, Any]]:
    batch = Batch.prepare(
        tf, MotoTarget(moto), [], integration_dir / "lifecycle", RunControl(), roots={"lifecycle": ROOT}
    )
    dep = batch.deployments["lifecycle"]
    workdir = integration_dir / "lifecycle-vars"
    workdir.mkdir(exist_ok=True)
    ledger: dict[str, Any] = {}

    def records() -> dict[str, Any]:
        client = dep.target.client("dynamodb")
        found = {}
        for file_id in FILES:
            item = client.get_item(TableName=dep.table_name, Key={"file_id": {"S": file_id}}, ConsistentRead=True)
            found[file_id] = item.get("Item")
        return found

    run = Lifecycle(dep, workdir, lambda: table_facts(dep), records, moto.advance_clock)
    try:
        yield run, ledger
    finally:
        batch.destroy()
        (REPO_ROOT / "reports").mkdir(exist_ok=True)
        retried = "".join(f"\n- {line}" for line in run.retried)
        (REPO_ROOT / "reports" / "lifecycle.md").write_text(report(run.results) + retried + "\n")


def test_every_change_over_the_tables_life_applies_in_place(lifecycle: tuple[Lifecycle, Any], moto: MotoServer) -> None:
    run, _ = lifecycle
    dep = run.dep
    iam = moto.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                      "Principal": {"Service": "glue.amazonaws.com"}}]}  # fmt: skip
    role = iam.create_role(RoleName="lifecycle-glue", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    key = moto.client("kms").create_key(Description="ledger CMK")["KeyMetadata"]["Arn"]
    topic = moto.client("sns").create_topic(Name="lifecycle-alerts")["TopicArn"]
    plan = steps(key, topic, role["RoleName"], role["Arn"])

    first: StepResult = run.run(0, plan[0])
    assert not first.problems, first.problems
    ledger = Ledger(dep.table_name, client=dep.target.client("dynamodb"))
    for file_id in FILES:
        claim = ledger.claim(file_id, owner="lifecycle-test")
        assert claim is not None
        ledger.complete(claim, rows=10)
    run.start(lambda: identity(dep))

    for index, step in enumerate(plan[1:], start=1):
        run.run(index, step)
    problems = [line for result in run.results for line in result.problems]
    print("\n" + report(run.results))
    assert not problems, "\n".join(problems)

    document = table_facts(dep)["resource_policy_document"]
    stranger = f"arn:aws:iam::{moto.account_id}:role/analyst"
    table_arn = dep.outputs["table_arn"]
    assert evaluate([document], "dynamodb:UpdateItem", table_arn, role["Arn"]) is Decision.ALLOW
    for action, resource in (
        ("dynamodb:GetItem", table_arn),
        ("dynamodb:Query", f"{table_arn}/index/audit-status-time"),
    ):
        assert evaluate([document], action, resource, stranger) is Decision.EXPLICIT_DENY
    # The table's management is not locked out: no explicit deny of its control plane to anyone.
    for action in ("dynamodb:DescribeTable", "dynamodb:UpdateTable", "dynamodb:PutResourcePolicy"):
        assert evaluate([document], action, table_arn, stranger) is not Decision.EXPLICIT_DENY
