"""The module README's inputs and outputs tables, generated from variables.tf and outputs.tf.

`python -m dynemodb.harness docs` rewrites them; a unit test fails when the README and the .tf files
disagree. Types and defaults are copied from the source text, exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import hcl2

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import MODULE_DIR

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


@dataclass(frozen=True)
class Input:
    name: str
    description: str
    type: str
    default: str | None  # None: required

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class Output:
    name: str
    description: str


def _attribute_text(lines: list[str], name: str) -> str | None:
    """The expression of a top-level `name = ...` attribute of a block, brackets balanced, whitespace folded."""
    start = next((i for i, line in enumerate(lines) if re.match(rf"^\s{{2}}{name}\s*=", line)), None)
    if start is None:
        return None
    text = lines[start].split("=", 1)[1]
    depth = sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")
    index = start
    while depth > 0 and index + 1 < len(lines):
        index += 1
        line = lines[index].strip()
        # HCL separates object attributes by newlines; on one line they need commas.
        joiner = " " if text.rstrip().endswith(("(", "{", "[", ",")) or line.startswith((")", "}", "]")) else ", "
        text += joiner + line
        depth += sum(lines[index].count(c) for c in "([{") - sum(lines[index].count(c) for c in ")]}")
    return re.sub(r"\s+", " ", text).strip().replace("( ", "(").replace(" )", ")").replace(", }", " }")


def _blocks(path: Path, kind: str) -> list[tuple[str, dict, list[str]]]:
    source = path.read_text().splitlines()
    with path.open() as handle:
        parsed = hcl2.load(handle)
    found = []
    for block in parsed.get(kind, []):
        for name, body in block.items():
            # The parser records line ranges for variable blocks (needed for their source text) only.
            start, end = body.get("__start_line__"), body.get("__end_line__")
            lines = source[start - 1 : end] if start and end else []
            found.append((name, body, lines))
    return found


def _description(body: dict) -> str:
    return " ".join(str(body.get("description", [""])[0]).split())


def read_inputs(module_dir: Path = MODULE_DIR) -> list[Input]:
    inputs = []
    for name, body, lines in _blocks(module_dir / "variables.tf", "variable"):
        type_text = _attribute_text(lines, "type") or "any"
        inputs.append(Input(name, _description(body), type_text, _attribute_text(lines, "default")))
    return sorted(inputs, key=lambda i: (not i.required, i.name))


def read_outputs(module_dir: Path = MODULE_DIR) -> list[Output]:
    return sorted(
        (Output(n, _description(b)) for n, b, _ in _blocks(module_dir / "outputs.tf", "output")), key=lambda o: o.name
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_tables(module_dir: Path = MODULE_DIR) -> str:
    rows = ["## Inputs", "", "| Name | Description | Type | Default | Required |", "|---|---|---|---|:---:|"]
    for i in read_inputs(module_dir):
        default = "n/a" if i.default is None else f"`{_cell(i.default)}`"
        rows.append(
            f"| `{i.name}` | {_cell(i.description)} | `{_cell(i.type)}` | {default} | {'yes' if i.required else 'no'} |"
        )
    rows += ["", "## Outputs", "", "| Name | Description |", "|---|---|"]
    rows += [f"| `{o.name}` | {_cell(o.description)} |" for o in read_outputs(module_dir)]
    return "\n".join(rows)


def readme_with_tables(readme_text: str, tables: str) -> str:
    if BEGIN not in readme_text or END not in readme_text:
        raise HarnessError(f"The module README needs the markers {BEGIN} and {END} around its tables.")
    head, rest = readme_text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{tables}\n{END}{tail}"
