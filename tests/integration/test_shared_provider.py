"""One provider process serving many terraform commands plans exactly what separately started providers plan.

The root is built as the plan stage builds its own: the seed and every example, each with its own provider
block, beside a scenario's module call, so the one process is configured once per provider block in each
command and must still plan the same resources with the same values.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from dynemodb.harness import runner
from dynemodb.harness.combined_root import write_scenarios_root
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import EXAMPLES_DIR
from dynemodb.harness.provider_server import REATTACH, shared_provider
from dynemodb.harness.scenarios import load_scenarios
from dynemodb.harness.staging import stage_root
from dynemodb.harness.terraform import AWS_PROVIDER, Toolchain, platform_target


def _changes(plan: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        c["address"]: (c["change"]["actions"], c["change"]["after"], c["change"]["after_unknown"])
        for c in plan["resource_changes"]
    }


def test_the_shared_provider_plans_what_separate_providers_plan(tf: Toolchain, tmp_path: Path) -> None:
    scenarios = [s for s in load_scenarios() if s.root_dir is not None or s.name == "alarms_with_actions"]
    root = tmp_path / "combined"
    write_scenarios_root(root, scenarios)
    runner.init(tf, root)
    separate = runner.plan_json(tf, root)
    with shared_provider(tf, root) as shared_tc:
        reattach = shared_tc.env()[REATTACH]
        shared = runner.plan_json(shared_tc, root)
    assert _changes(shared) == _changes(separate)
    assert {c["address"].split(".")[1] for c in separate["resource_changes"]} == {s.module_name for s in scenarios}
    pid = json.loads(reattach)["registry.terraform.io/hashicorp/aws"]["Pid"]
    assert not Path(f"/proc/{pid}").exists(), "the shared provider outlived the block that started it"


def test_sharing_is_skipped_without_an_installed_provider(tf: Toolchain, tmp_path: Path) -> None:
    with shared_provider(tf, tmp_path) as same:
        assert same is tf and REATTACH not in same.env()


def test_a_provider_that_cannot_start_is_one_clear_error(tf: Toolchain, tmp_path: Path) -> None:
    binary = (
        tmp_path
        / ".terraform/providers"
        / AWS_PROVIDER
        / "9.9.9"
        / platform_target()
        / "terraform-provider-aws_v9.9.9_x5"
    )
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\necho 'not a provider'\nexit 3\n")
    binary.chmod(0o755)
    with (
        pytest.raises(HarnessError, match=r"exited with 3 before it was ready.*DYNEMODB_SHARED_PROVIDER=0"),
        shared_provider(tf, tmp_path),
    ):
        pass


def test_sharing_can_be_switched_off(tf: Toolchain, tmp_path: Path, monkeypatch: Any) -> None:
    root = stage_root(EXAMPLES_DIR / "on_demand", tmp_path / "on_demand")
    runner.init(tf, root)
    monkeypatch.setitem(os.environ, "DYNEMODB_SHARED_PROVIDER", "0")
    with shared_provider(tf, root) as same:
        assert same is tf
