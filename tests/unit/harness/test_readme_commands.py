"""Every command the READMEs show exists as written: each nox session, each harness subcommand, each flag,
and the extras of each install line. A renamed session or a dropped flag fails here, not on a newcomer."""

from __future__ import annotations

import ast
import functools
import re
import shlex
import subprocess
import sys

import pytest

from dynemodb.harness.paths import REPO_ROOT

READMES = ("README.md", "module/dynemoDB/README.md", "policies/README.md")
# How a shown command starts -> the Python module whose command line it is.
ENTRY_POINTS = {
    ("dynemodb-harness",): "dynemodb.harness",
    ("python", "-m", "dynemodb.harness"): "dynemodb.harness",
    ("python", "-m", "dynemodb.harness.policy"): "dynemodb.harness.policy",
    ("python", "-m", "dynemodb.harness.integration"): "dynemodb.harness.integration",
    ("python", "-m", "dynemodb.harness.sandbox"): "dynemodb.harness.sandbox",
    ("python", "-m", "dynemodb.ledger"): "dynemodb.ledger",
}
_INLINE = re.compile(r"`((?:python3? -m |dynemodb-harness|nox |pip )[^`]*)`")


def _shown_commands() -> list[tuple[str, str]]:
    """(where, command) for every command line in a sh block and every inline command."""
    found = []
    for readme in READMES:
        text = (REPO_ROOT / readme).read_text()
        for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
            found += [(readme, line) for line in block.splitlines() if line.strip()]
        found += [(readme, command) for command in _INLINE.findall(re.sub(r"```.*?```", "", text, flags=re.S))]
    commands = []
    for where, line in found:
        for part in line.split("#", 1)[0].split("&&"):
            words = [w for w in shlex.split(part) if not re.match(r"^[A-Z_]+=", w)]  # no VAR=value
            if words:
                commands.append((where, " ".join(words)))
    return commands


@functools.cache
def _sessions() -> dict[str, tuple[str, ...]]:
    """nox session -> the `python -m MODULE ARGS...` its posargs go to (empty when none)."""
    tree = ast.parse((REPO_ROOT / "noxfile.py").read_text())
    sessions: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not any("session" in ast.unparse(d) for d in node.decorator_list):
            continue
        target: tuple[str, ...] = ()
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and ast.unparse(call.func) == "session.run":
                args = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if args[:2] == ["python", "-m"] and "session.posargs" in ast.unparse(call):
                    target = tuple(args[2:])
        sessions[node.name] = target
    return sessions


@functools.cache
def _extras() -> set[str]:
    """The optional-dependency groups of pyproject.toml (tomllib is 3.11+; the project supports 3.10)."""
    text = (REPO_ROOT / "pyproject.toml").read_text()
    section = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    return set(re.findall(r"^([a-z][a-z0-9_-]*)\s*=", section, flags=re.M))


@functools.cache
def _help(module: str, path: tuple[str, ...]) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", module, *path, "--help"], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    return done.returncode, done.stdout


def _check_cli(module: str, words: list[str]) -> list[str]:
    """Walk the subcommands as written, then look for every flag in the deepest command's help."""
    path: list[str] = []
    for word in words:
        if word.startswith("-"):
            break
        if word == "..." or word.isupper():  # a placeholder: `policy ...`, `regen NAME`
            continue
        code, text = _help(module, (*path, word))
        usage = text.splitlines()[0] if text else ""
        if code == 0 and re.search(rf"\s{re.escape(word)}(\s|$)", usage):
            path.append(word)
        elif not path:
            return [f"{module}: no subcommand {word!r}"]
    code, text = _help(module, tuple(path))
    if code != 0:
        return [f"{module} {' '.join(path)} --help exits {code}"]
    flags = [w.split("=")[0] for w in words if w.startswith("--") and w != "--"]
    return [f"{module} {' '.join(path)}: no flag {flag}" for flag in flags if flag not in text]


def _check(command: str) -> list[str]:
    words = command.split()
    if words[0] in ("python", "python3"):
        words[0] = "python"
    if words[:3] == ["python", "-m", "nox"] or words[0] == "nox":
        rest = words[3:] if words[0] == "python" else words[1:]
        if "-s" not in rest:
            return []
        session = rest[rest.index("-s") + 1]
        if session not in _sessions():
            return [f"no nox session {session!r}"]
        posargs = rest[rest.index("--") + 1 :] if "--" in rest else []
        target = _sessions()[session]
        return _check_cli(target[0], [*target[1:], *posargs]) if target and posargs else []
    if words[:2] in (["pip", "install"], ["python", "-m"]) and "install" in words[:4]:
        extras = re.findall(r"\.\[([^\]]*)\]", command)
        known = _extras()
        missing = [e for group in extras for e in group.split(",") if e and e not in known]
        return [f"no extra {e!r} in pyproject.toml" for e in missing]
    for prefix, module in sorted(ENTRY_POINTS.items(), key=lambda item: -len(item[0])):
        if tuple(words[: len(prefix)]) == prefix:
            return _check_cli(module, words[len(prefix) :])
    return []  # terraform, pre-commit, pytest...: not ours to check


COMMANDS = _shown_commands()


def test_the_readmes_show_commands() -> None:
    shown = " ".join(command for _, command in COMMANDS)
    assert all(word in shown for word in ("dynemodb-harness ", "nox -s ", "pip install ")), COMMANDS


@pytest.mark.parametrize(("where", "command"), COMMANDS, ids=[f"{w}: {c}" for w, c in COMMANDS])
def test_a_shown_command_exists_as_written(where: str, command: str) -> None:
    assert _check(command) == [], f"{where}: `{command}`"


@pytest.mark.parametrize(
    "command",
    [
        "nox -s no_such_session",
        "dynemodb-harness no-such-command",
        "dynemodb-harness integration run --no-such-flag",
        "python -m nox -s sandbox_sweep -- --older-than-days 6",
        "pip install -e '.[no_such_extra]'",
    ],
)
def test_the_checker_catches_what_does_not_exist(command: str) -> None:
    assert _check(" ".join(shlex.split(command))) != []
