"""Sessions of the dynemoDB harness. `nox -l` lists them; `nox -s plan_tests` is the pre-merge gate."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "plan_tests"]
nox.options.reuse_existing_virtualenvs = True

# None: each session's virtualenv uses the interpreter nox runs under (any Python >= 3.10).
PYTHON = None
TEST_EXTRAS = ".[test,lint,typecheck]"
# What a change to the module must pass: its structure, every scenario's plan, every invalid input, the
# policy gate on those plans, and the harness code that judges them. Ledger and policy-fixture tests run
# in `tests` (and policy fixtures in `policy`).
PLAN_TEST_PATHS = ("tests/unit/module", "tests/unit/harness")
# Two pytest-xdist workers: the lifecycle stage on one, everything else on the other (tests/conftest.py
# groups them); the suite then takes about as long as the lifecycle stage alone.
PARALLEL = ("-n", "2", "--dist", "loadgroup")


def _install(session: nox.Session) -> None:
    # constraints.txt pins the resolved tree: unpinned, pip's resolver gives up on checkov plus moto.
    session.install("-c", "constraints.txt", "-e", TEST_EXTRAS)


def _lint(session: nox.Session) -> None:
    # Every hook of .pre-commit-config.yaml over every file: terraform fmt and validate, the HCL policy
    # gate, ruff check, ruff format --check, actionlint. The hooks are local tools, so this runs offline.
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """pre-commit over all files: terraform fmt/validate, HCL policy gate, ruff check and format, actionlint."""
    _install(session)
    _lint(session)


def _typecheck(session: nox.Session) -> None:
    # Scope and strictness (strict for dynemodb.ledger) are in pyproject.toml's [tool.mypy].
    session.run("mypy")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy over the harness, policies, tests and benchmarks; strict for the ledger client; every ignore checked."""
    _install(session)
    _typecheck(session)


@nox.session(python=PYTHON)
def plan_tests(session: nox.Session) -> None:
    """Pre-merge gate: real terraform plans of every scenario, invalid inputs, HCL structure, policy gate."""
    _install(session)
    session.run("pytest", *PLAN_TEST_PATHS, *session.posargs)


@nox.session(python=PYTHON)
def policy(session: nox.Session) -> None:
    """The policies' tests (fixtures in both modes, mutants: the score the gate reports); then the policy gate."""
    _install(session)
    session.run("pytest", "tests/unit/policies")
    session.run("python", "-m", "dynemodb.harness.policy", "gate", *session.posargs)


@nox.session(python=PYTHON)
def mutants(session: nox.Session) -> None:
    """Module mutation score: semantic mutants of module/dynemoDB, each against the plan gate in a copy."""
    _install(session)
    session.run("python", "benchmarks/module_mutants.py", *session.posargs)


@nox.session(python=PYTHON)
def ledger(session: nox.Session) -> None:
    """The ledger client's own tests (tests/unit/ledger); against the module's table on moto: integration."""
    _install(session)
    session.run("pytest", "tests/unit/ledger", *session.posargs)


@nox.session(python=PYTHON)
def integration(session: nox.Session) -> None:
    """Apply, verify and destroy every example against a local moto server; ledger against that table."""
    _install(session)
    session.run("pytest", *PARALLEL, "tests/integration", *session.posargs)


@nox.session(python=PYTHON)
def sandbox(session: nox.Session) -> None:
    """Apply, verify and destroy against a real allow-listed AWS sandbox account (SANDBOX_ACCOUNT_IDS)."""
    _install(session)
    session.run("python", "-m", "dynemodb.harness.sandbox", "run", *session.posargs)


@nox.session(python=PYTHON)
def sandbox_sweep(session: nox.Session) -> None:
    """Delete resources the sandbox run tagged that are older than N hours (default 6)."""
    _install(session)
    session.run("python", "-m", "dynemodb.harness.sandbox", "sweep", *session.posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole suite: lint, typecheck, unit (plans, policies, ledger) and integration (moto apply/destroy)."""
    _install(session)
    _lint(session)
    _typecheck(session)
    session.run("pytest", *PARALLEL, "tests", *session.posargs)
