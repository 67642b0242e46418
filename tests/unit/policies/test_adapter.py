"""The checks reach Checkov's internals only through policies/ckv_mc_adapter.py, which is written for the
Checkov range it declares: outside that range these tests fail (re-verify the adapter, then move the range).
And the adapter reads the shapes Checkov hands over the way the checks rely on."""

from __future__ import annotations

import re
import sys

import pytest

from dynemodb.harness.paths import POLICIES_DIR, REPO_ROOT
from dynemodb.harness.policy.scan import custom_checks

custom_checks()  # puts policies/ on sys.path
adapter = sys.modules["ckv_mc_adapter"]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_installed_and_pinned_checkov_are_in_the_supported_range() -> None:
    from checkov.version import version

    low, high = (_version(v) for v in adapter.SUPPORTED_CHECKOV)
    pinned = re.search(r'"checkov==([\d.]+)"', (REPO_ROOT / "pyproject.toml").read_text())
    assert pinned, "pyproject.toml no longer pins checkov: pin a release inside SUPPORTED_CHECKOV"
    for what, found in (("installed", version), ("pinned", pinned.group(1))):
        assert low <= _version(found) < high, f"{what} Checkov {found} is outside {adapter.SUPPORTED_CHECKOV}"


def test_only_the_adapter_imports_checkov() -> None:
    for path in POLICIES_DIR.glob("*.py"):
        if path.name != "ckv_mc_adapter.py":
            imports = re.findall(r"^\s*(?:from|import) (\w+)", path.read_text(), re.MULTILINE)
            assert not {"checkov", "cloudsplaining"} & set(imports), f"{path.name} imports Checkov: use the adapter"


JSONENCODE = (
    "${jsonencode({'Statement': [{'Effect': 'Allow', 'Action': 'dynamodb:GetItem', 'Resource': '${t.x.arn}'}]})}"
)
# A module output rendered into the object arrives with its quotes escaped.
OUTPUT = "jsonencode(" + JSONENCODE[13:-2].replace("'", "\\'").replace("dynamodb:GetItem", "dynamodb:*") + ")"
HEREDOC = '{ "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "__ARN__"}]}'
REPLACE = '${replace("' + HEREDOC + '","__ARN__",${a_b.c.arn})}'


@pytest.mark.parametrize(
    ("rendered", "action"), [(JSONENCODE, "dynamodb:GetItem"), (OUTPUT, "dynamodb:*"), (REPLACE, "s3:GetObject")]
)
def test_policy_text_as_checkov_renders_it(rendered: str, action: str) -> None:
    assert adapter._parse(rendered, True)["Statement"][0]["Action"] == action


@pytest.mark.parametrize("text", ["flatten(var.undeclared,[])", "${module.x.json}", "var.policy"])
def test_what_checkov_could_not_evaluate_is_unknown(text: str) -> None:
    assert adapter._parse(text, True) is adapter.UNKNOWN
    assert adapter.expand_blocks({"statement": [text]}, "statement") is adapter.UNKNOWN


def test_index_is_made_from_every_check_s_metadata() -> None:
    from dynemodb.harness.policy.cli import index

    rows = index().splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| {c}" for c in custom_checks()]
    assert all(c.guideline in row for c, row in zip(custom_checks().values(), rows, strict=True))
