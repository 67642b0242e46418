"""terraform fmt -check and terraform validate over the module, the seed root and every example.

Validation needs an initialised directory; staged copies are initialised instead of the originals so no
.terraform directory or lock file is ever written into the module or the examples users copy.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dynemodb.harness import runner
from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR, REPO_ROOT, SCENARIOS_DIR, WORK_DIR
from dynemodb.harness.staging import stage_root
from dynemodb.harness.terraform import Toolchain

FMT_TARGETS = (MODULE_DIR, EXAMPLES_DIR, REPO_ROOT / "main.tf", SCENARIOS_DIR)


def fmt_problems(tc: Toolchain) -> list[str]:
    problems = []
    for target in FMT_TARGETS:
        proc = subprocess.run(
            [tc.binary, "fmt", "-check", "-recursive", "-list=true", str(target)],
            env=tc.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        problems += [f"{line}: not formatted; run `terraform fmt -recursive`" for line in proc.stdout.split()]
        if proc.returncode not in (0, 3) or (proc.returncode == 3 and not proc.stdout.strip()):
            problems.append(f"terraform fmt failed on {target}: {proc.stderr.strip()}")
    return problems


def lint_targets() -> dict[str, Path]:
    targets = {"module": MODULE_DIR, "seed": REPO_ROOT}
    targets.update({f"example {p.name}": p for p in sorted(EXAMPLES_DIR.iterdir()) if p.is_dir()})
    return targets


def _validate(tc: Toolchain, name: str, source: Path, workdir: Path) -> list[str]:
    staged = stage_root(source, workdir)
    runner.init(tc, staged)
    proc = subprocess.run(
        [tc.binary, "validate", "-json", "-no-color"],
        cwd=staged,
        env=tc.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return [f"{name}: terraform validate gave no JSON: {proc.stderr.strip()}"]
    return [
        f"{name}: {d.get('severity')}: {d.get('summary')}: {d.get('detail', '')}".strip()
        for d in report.get("diagnostics", [])
    ]


def validate_problems(tc: Toolchain) -> list[str]:
    base = WORK_DIR / "lint"
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(_validate, tc, name, source, base / name.replace(" ", "_"))
            for name, source in lint_targets().items()
        ]
        return [problem for future in futures for problem in future.result()]
