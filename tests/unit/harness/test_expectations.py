"""Subset matching reports every mismatch as "address.attribute: got X, expected Y"."""

import pytest

from dynemodb.harness.expectations import check_scenario, mismatches
from dynemodb.harness.plan_values import UNKNOWN, module_counts, module_outputs, module_resources

CASES = [
    # expected, actual, mismatches
    ({"a": 1}, {"a": 1, "b": 2}, []),
    ({"a": 1}, {"a": 2}, ["r.a: got 2, expected 1"]),
    ({"a": {"b": "x"}}, {"a": {"b": "y"}}, ["r.a.b: got 'y', expected 'x'"]),
    ({"a": [1, 2]}, {"a": [1, 2]}, []),
    ({"a": [1]}, {"a": [1, 2]}, ["r.a: got [1, 2], expected [1]"]),
    ({"a": [{"n": 1}]}, {"a": [{"n": 1, "m": 2}]}, []),
    ({"a": 5}, {"a": 5.0}, []),
    ({"a": True}, {"a": 1}, ["r.a: got 1, expected True"]),
    ({"a": "5"}, {"a": 5}, ["r.a: got 5, expected '5'"]),
    ({"a": None}, {"a": None}, []),
    ({"missing": 1}, {}, ["r.missing: got nothing (not set in the plan), expected 1"]),
    ({"arn": UNKNOWN}, {"arn": UNKNOWN}, []),
]


@pytest.mark.parametrize(("expected", "actual", "found"), CASES)
def test_mismatches(expected: dict, actual: dict, found: list[str]) -> None:
    assert mismatches(expected, actual, "r") == found


PLAN = {
    "resource_changes": [
        {
            "address": "module.s_x.aws_dynamodb_table.this[0]",
            "type": "aws_dynamodb_table",
            "mode": "managed",
            "change": {"after": {"name": "t", "arn": None, "ttl": [{"enabled": True}]}, "after_unknown": {"arn": True}},
        },
        {
            "address": "module.s_x.data.aws_iam_policy_document.writer",
            "type": "aws_iam_policy_document",
            "mode": "data",
            "change": {
                "after": {"statement": [{"resources": [None]}]},
                "after_unknown": {"statement": [{"resources": [True]}]},
            },
        },
        {
            "address": "module.s_other.aws_dynamodb_table.this[0]",
            "type": "aws_dynamodb_table",
            "mode": "managed",
            "change": {"after": {"name": "u"}, "after_unknown": {}},
        },
    ]
}


def test_module_resources_are_relative_and_mark_unknowns() -> None:
    resources = module_resources(PLAN, "module.s_x")
    assert sorted(resources) == ["aws_dynamodb_table.this[0]", "data.aws_iam_policy_document.writer"]
    assert resources["aws_dynamodb_table.this[0]"]["values"]["arn"] == UNKNOWN
    assert resources["data.aws_iam_policy_document.writer"]["values"]["statement"][0]["resources"] == [UNKNOWN]
    assert module_counts(resources) == {"aws_dynamodb_table": 1, "resources": 1, "modules": 0}


def test_check_scenario_names_file_address_and_counts() -> None:
    resources = module_resources(PLAN, "module.s_x")
    expected = {
        "values": {"aws_dynamodb_table.this[0]": {"name": "other"}, "aws_dynamodb_table.gone[0]": {"name": "t"}},
        "counts": {"aws_dynamodb_table": 2},
        "outputs": {"table_name": "t"},
    }
    found = check_scenario("demo", expected, resources, module_counts(resources), {"table_name": "t"})
    assert found == [
        "demo.yaml: aws_dynamodb_table.this[0].name: got 't', expected 'other'",
        "demo.yaml: aws_dynamodb_table.gone[0]: not in the plan (planned: aws_dynamodb_table.this[0], "
        "data.aws_iam_policy_document.writer)",
        "demo.yaml: counts.aws_dynamodb_table: got 1, expected 2",
    ]


def test_outputs_mark_unknown_parts_of_partly_known_values() -> None:
    plan = {
        "output_changes": {
            "s_x__alarm_arns": {"after": {"a": None}, "after_unknown": {"a": True}},
            "s_x__table_arn": {"after_unknown": True},
            "s_x__table_name": {"after": "t", "after_unknown": False},
            "s_other__table_name": {"after": "u", "after_unknown": False},
        }
    }
    assert module_outputs(plan, "s_x") == {"alarm_arns": {"a": UNKNOWN}, "table_arn": UNKNOWN, "table_name": "t"}
