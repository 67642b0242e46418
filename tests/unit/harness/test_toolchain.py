"""The harness runs terraform offline with its own CLI config and never touches the user's."""

import os
from pathlib import Path

import pytest

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.staging import OVERRIDE_FILE, stage_root
from dynemodb.harness.terraform import toolchain


def test_cli_config_is_temporary_and_points_at_the_mirror(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    user_config = tmp_path / "user.tfrc"
    user_config.write_text("# the user's own settings\n")
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(user_config))
    with toolchain() as tc:
        env = tc.env()
        assert Path(env["TF_CLI_CONFIG_FILE"]) == tc.cli_config != user_config
        assert env["CHECKPOINT_DISABLE"] == "1"
        text = tc.cli_config.read_text()
        assert "filesystem_mirror" in text and str(tc.mirror) in text and "direct" in text
    assert not tc.cli_config.exists()
    assert user_config.read_text() == "# the user's own settings\n"


def test_a_mirror_without_the_provider_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TF_PLUGIN_MIRROR", str(tmp_path))
    with (
        pytest.raises(HarnessError, match=r"TF_PLUGIN_MIRROR=.* holds no hashicorp/aws provider for \w+_\w+"),
        toolchain(),
    ):
        pass


def test_missing_binary_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_BINARY", "no-such-terraform")
    with pytest.raises(HarnessError, match="TF_BINARY='no-such-terraform' is not an executable"), toolchain():
        pass


def test_no_mirror_and_no_network_permission_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dynemodb.harness.terraform.find_mirror", lambda: None)
    monkeypatch.delenv("DYNEMODB_ALLOW_NETWORK", raising=False)
    with pytest.raises(HarnessError, match="does not download providers"), toolchain():
        pass


def test_staging_rewrites_sources_and_overrides_providers(tmp_path: Path) -> None:
    source = tmp_path / "root"
    source.mkdir()
    (source / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "m" {\n  source = "../mod"\n}\n'
    )
    staged = stage_root(source, tmp_path / "staged")
    main = (staged / "main.tf").read_text()
    assert f'source = "{(tmp_path / "mod").resolve()}"' in main
    override = (staged / OVERRIDE_FILE).read_text()
    assert "skip_credentials_validation = true" in override
    assert not (source / OVERRIDE_FILE).exists(), "the original root must stay untouched"
    assert os.listdir(source) == ["main.tf"]


def test_staging_overrides_an_aliased_provider_by_its_alias(tmp_path: Path) -> None:
    source = tmp_path / "root"
    source.mkdir()
    (source / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n\nprovider "aws" {\n  alias = "prod"\n}\n'
    )
    override = (stage_root(source, tmp_path / "staged") / OVERRIDE_FILE).read_text()
    assert override.count('provider "aws"') == 2 and 'alias = "prod"\n' in override  # not "['prod']"


def test_staging_redirects_a_module_source_and_refuses_an_unused_redirect(tmp_path: Path) -> None:
    source = tmp_path / "root"
    source.mkdir()
    (source / "main.tf").write_text('module "m" {\n  source = "../mod"\n}\n')
    snapshot = tmp_path / "snapshot"
    staged = stage_root(source, tmp_path / "staged", redirect={tmp_path / "mod": snapshot})
    assert f'source = "{snapshot}"' in (staged / "main.tf").read_text()
    with pytest.raises(HarnessError, match=r"does not call the module at .*other"):
        stage_root(source, tmp_path / "again", redirect={tmp_path / "other": snapshot})


@pytest.mark.parametrize("impostor", ["/bin/false", "python3", "/bin/echo"])
def test_a_binary_that_is_not_terraform_or_tofu_is_refused_up_front(
    monkeypatch: pytest.MonkeyPatch, impostor: str
) -> None:
    monkeypatch.setenv("TF_BINARY", impostor)
    with pytest.raises(HarnessError, match=r"does not answer like terraform or tofu"), toolchain():
        pass


def test_planning_tunes_go_unless_the_user_did(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.delenv("GOMEMLIMIT", raising=False)
    with toolchain() as tc:
        assert "GOGC" not in tc.env(), "applies and lint keep Go's defaults"
        assert {k: tc.for_planning().env()[k] for k in ("GOGC", "GOMEMLIMIT")} == {
            "GOGC": "off",
            "GOMEMLIMIT": "1536MiB",
        }
        monkeypatch.setenv("GOMEMLIMIT", "4GiB")
        planning = tc.for_planning().env()
        assert planning["GOMEMLIMIT"] == "4GiB" and "GOGC" not in planning
