"""The module's HCL keeps the conventions users rely on: typed, described, validated variables; a README
whose tables match the code; the seed interface; version floors."""

import re

import hcl2
import pytest

from dynemodb.harness.module_docs import BEGIN, END, read_inputs, read_outputs, readme_with_tables, render_tables
from dynemodb.harness.paths import MODULE_DIR, REPO_ROOT
from dynemodb.ledger import schema


def _variables() -> dict[str, dict]:
    with (MODULE_DIR / "variables.tf").open() as handle:
        return {name: body for block in hcl2.load(handle)["variable"] for name, body in block.items()}


VARIABLES = _variables()
# A bool has no invalid values; everything else must refuse bad input at plan time.
NEEDS_VALIDATION = [name for name, body in VARIABLES.items() if body.get("type") != ["${bool}"]]

SEED_DEFAULTS = {
    "table_name": '"metriccare_processed_files"',
    "hash_key": '"file_id"',
    "read_capacity": "5",
    "write_capacity": "5",
    "enable_ttl": "false",
    "ttl_attribute": '"expiration_time"',
    "tags": "{}",
}


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_variable_is_typed_and_described(name: str) -> None:
    body = VARIABLES[name]
    assert body.get("type"), f"variable {name} has no type"
    assert str(body.get("description", [""])[0]).strip(), f"variable {name} has no description"


@pytest.mark.parametrize("name", NEEDS_VALIDATION)
def test_variable_is_validated_with_a_helpful_message(name: str) -> None:
    validations = VARIABLES[name].get("validation", [])
    assert validations, f"variable {name} has no validation block"
    for validation in validations:
        message = str(validation["error_message"][0])
        assert message.endswith("."), f"{name}: a validation message should be a full sentence: {message!r}"
        assert name.split("_")[0] in message, f"{name}: the message should name the input: {message!r}"


def test_seed_interface_defaults() -> None:
    defaults = {i.name: i.default for i in read_inputs() if i.name in SEED_DEFAULTS}
    assert defaults == SEED_DEFAULTS
    assert {"table_name", "table_arn"} <= {o.name for o in read_outputs()}


def test_readme_tables_match_the_module() -> None:
    readme = (MODULE_DIR / "README.md").read_text()
    assert readme == readme_with_tables(readme, render_tables()), (
        "module/dynemoDB/README.md is out of date: run `python -m dynemodb.harness docs`"
    )
    tables = readme.split(BEGIN, 1)[1].split(END, 1)[0]
    for name in VARIABLES:
        assert f"| `{name}` |" in tables


def test_version_floors() -> None:
    versions = (MODULE_DIR / "versions.tf").read_text()
    assert re.search(r'required_version\s*=\s*">= 1\.4\.0"', versions)
    floor = re.search(r'version\s*=\s*">= (\d+)\.(\d+)\.(\d+), < 7\.0\.0"', versions)
    assert floor, 'versions.tf: write the hashicorp/aws constraint as ">= X.Y.Z, < 7.0.0"'
    # The first release of each provider argument the module relies on (versions.tf says why).
    needed = {"recovery_period_in_days": (5, 98, 0), "attribute_name": (5, 78, 0)}
    used = (MODULE_DIR / "main.tf").read_text()
    for argument, release in needed.items():
        assert argument in used, f"main.tf no longer sets {argument}: recheck the floor in versions.tf"
        assert tuple(map(int, floor.groups())) >= release, f"{argument} needs hashicorp/aws {release} or later"
    for example in sorted((REPO_ROOT / "examples").glob("*/main.tf")):
        assert floor.group(0).split("=", 1)[1].strip() in example.read_text(), f"{example}: use the module's floor"


def test_no_credentials_or_endpoints_in_module_or_examples() -> None:
    for path in [*MODULE_DIR.glob("*.tf"), *(REPO_ROOT / "examples").rglob("*.tf"), REPO_ROOT / "main.tf"]:
        text = path.read_text()
        for forbidden in ("access_key", "secret_key", "skip_credentials_validation", "endpoints"):
            assert forbidden not in text, f"{path} contains {forbidden}: test settings belong to the harness"


def _resources(tf_file: str, kind: str) -> dict[str, dict]:
    with (MODULE_DIR / tf_file).open() as handle:
        blocks = hcl2.load(handle).get("resource", [])
    return {name: body for block in blocks for name, body in block.get(kind, {}).items()}


def test_only_the_autoscaled_table_ignores_what_autoscaling_changes() -> None:
    # A plan cannot show lifecycle settings, so this is read from the HCL. Without ignore_changes every
    # apply resets the capacities autoscaling set (table and indexes); see the module README, "Autoscaling".
    tables = _resources("main.tf", "aws_dynamodb_table")
    ignored = tables["autoscaled"]["lifecycle"][0]["ignore_changes"][0]
    assert sorted(ignored) == ["${global_secondary_index}", "${read_capacity}", "${write_capacity}"]
    assert "lifecycle" not in tables["this"], "the fixed-capacity table must not ignore capacity changes"


def test_each_role_kind_gets_its_own_policy() -> None:
    # Attachments' policy ARNs are unknown until apply, so the plan cannot tell the two policies apart.
    attachments = _resources("iam.tf", "aws_iam_role_policy_attachment")
    assert attachments["glue_writer"]["policy_arn"] == ["${aws_iam_policy.writer[0].arn}"]
    assert attachments["lambda_reader"]["policy_arn"] == ["${aws_iam_policy.reader[0].arn}"]


def test_audit_index_documents_the_ledger_shard_count() -> None:
    # dynemodb.ledger writes audit_pk as "<STATUS>#<shard>" over AUDIT_SHARDS shards; readers of the index
    # (the audit report, Athena) rely on the documented range.
    description = str(VARIABLES["enable_audit_index"]["description"][0])
    assert f"<shard 00-{schema.AUDIT_SHARDS - 1:02d}>" in description
    assert f"over {schema.AUDIT_SHARDS} partitions" in description


def test_both_tables_send_the_ttl_attribute_name_also_when_ttl_is_off() -> None:
    # The provider plans the name as null while TTL is off, so a plan cannot show it; yet DynamoDB refuses
    # UpdateTimeToLive with an empty AttributeName also when disabling (see versions.tf and the README).
    for name, table in _resources("main.tf", "aws_dynamodb_table").items():
        assert table["ttl"][0]["attribute_name"] == ["${var.ttl_attribute}"], f"aws_dynamodb_table.{name}"
