"""Resource scoping of the applied policies, proved by evaluating the documents IAM and DynamoDB store
against the table's ARN, its index ARNs, and ARNs that are not the table (see scoping.py)."""

from __future__ import annotations

from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import Example
from dynemodb.harness.integration.policy_doc import parse
from dynemodb.harness.integration.problems import Problems
from dynemodb.harness.integration.scoping import evaluator_problems, resource_policy_problems
from dynemodb.harness.integration.verify_iam import policy_arn, policy_document


def verify_scoping(dep: Deployment, spec: Example) -> list[str]:
    p = Problems(dep.example)
    iam = dep.target.client("iam")
    table_arn = dep.outputs["table_arn"]
    for kind in ("writer", "reader"):
        try:
            document = policy_document(iam, policy_arn(dep, kind))
        except iam.exceptions.NoSuchEntityException:
            continue  # verify_iam reports the missing policy
        for line in evaluator_problems(kind, [document], table_arn):
            p.add(line)
    if spec.resource_policy:
        client = dep.target.client("dynamodb")
        document = parse(client.get_resource_policy(ResourceArn=table_arn)["Policy"])
        account = dep.target.account_id
        admitted = [f"arn:aws:iam::{account}:role/{dep.outputs[o]}" for o in ("glue_role_name", "lambda_role_name")]
        for line in resource_policy_problems(document, table_arn, admitted):
            p.add(line)
    return p.lines
