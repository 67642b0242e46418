"""Where things live in the repository: found from the working directory (then from this file), so the
harness works from an editable install and from a plain `pip install .` run inside a checkout."""

from pathlib import Path


def _find_repo_root() -> Path:
    marker = Path("module") / "dynemoDB" / "versions.tf"
    for start in (Path.cwd(), Path(__file__).resolve()):
        for candidate in (start, *start.parents):
            if (candidate / marker).is_file():
                return candidate
    return Path.cwd()


REPO_ROOT = _find_repo_root()
MODULE_DIR = REPO_ROOT / "module" / "dynemoDB"
EXAMPLES_DIR = REPO_ROOT / "examples"
POLICIES_DIR = REPO_ROOT / "policies"
SCENARIOS_DIR = REPO_ROOT / "tests" / "unit" / "scenarios"
INVALID_INPUTS_FILE = REPO_ROOT / "tests" / "unit" / "invalid_inputs.yaml"
# Scratch space for staged root configurations and plans; ignored by git.
WORK_DIR = REPO_ROOT / ".dynemodb"
