"""Shared machinery of the CKV_MC checks: reading values the way Checkov hands them over, finding related
resources in Checkov's graph, and reading IAM policies in every shape Terraform allows.

Checkov imports every ``.py`` file of an external checks directory; this one registers no check. It uses only
the standard library and what Checkov itself ships, so ``--external-checks-dir policies`` works wherever
Checkov is installed.

Two scan modes hand the checks differently shaped configurations:

* HCL (``checkov -d``): values are Checkov's rendering of the source. Every attribute is a list; variables and
  module inputs are substituted where Checkov can evaluate them, and what it cannot evaluate stays an
  expression string (``var.x``, ``aws_dynamodb_table.t.arn``, ``${jsonencode({...})}``, or worse).
* Plan JSON (``checkov -f plan.json --framework terraform_plan``): values are Terraform's planned values.
  What is "known after apply" is absent; Checkov puts the first reference of its expression in its place.

A check that cannot decide (a value Checkov could not evaluate) answers UNKNOWN, which Checkov leaves out of its
report; the plan scan, where Terraform has evaluated everything, then decides. Checks never raise: an exception
in a check makes Checkov print a stack trace and drop the result.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checkov.common.models.enums import CheckResult

LOG = logging.getLogger("ckv_mc")

# Keys Checkov adds to configurations; never values of the resource.
META_KEYS = frozenset(
    {
        "__file__",
        "__startline__",
        "__endline__",
        "start_line",
        "end_line",
        "__start_line__",
        "__end_line__",
        "__address__",
        "__provider_address__",
        "__change_actions__",
        "__change_keys__",
        "references_",
    }
)

DEFAULT_REQUIRED_TAGS = ("Environment", "Project")
DEFAULT_TRUSTED_SERVICES = ("glue.amazonaws.com", "lambda.amazonaws.com")
DEFAULT_PROD_ENVIRONMENTS = ("prod", "production")


def _env_list(name: str, default: Iterable[str]) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    return values or tuple(default)


def required_tag_keys() -> tuple[str, ...]:
    """Tag keys CKV_MC_2 requires: CKV_MC_REQUIRED_TAGS (comma-separated) or Environment,Project."""
    return _env_list("CKV_MC_REQUIRED_TAGS", DEFAULT_REQUIRED_TAGS)


def trusted_services() -> tuple[str, ...]:
    """Service principals a role with table access may trust: CKV_MC_TRUSTED_SERVICES or Glue and Lambda."""
    return _env_list("CKV_MC_TRUSTED_SERVICES", DEFAULT_TRUSTED_SERVICES)


def prod_environments() -> tuple[str, ...]:
    """Environment tag values that mean production (case-insensitive): CKV_MC_PROD_ENVIRONMENTS or prod,production."""
    return tuple(v.lower() for v in _env_list("CKV_MC_PROD_ENVIRONMENTS", DEFAULT_PROD_ENVIRONMENTS))


# ---------------------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------------------


class Unresolved(str):
    """An expression Checkov could not evaluate (a reference, a function call, a variable without value)."""


_REFERENCE = re.compile(
    r"^(?:var|local|module|data|each|count|self|path|terraform)\.[A-Za-z_]"
    r"|^[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?(?:\.|$)"
)


def is_expression(value: Any) -> bool:
    """Whether a string Checkov handed over is an unevaluated Terraform expression rather than a literal."""
    if isinstance(value, Unresolved):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return "${" in text or bool(_REFERENCE.match(text)) or " ? " in text or text.startswith(("[", "{"))


def flatten(value: Any) -> list[Any]:
    """All scalars of a value, whatever list nesting HCL or plan parsing wrapped around them."""
    if isinstance(value, (list, tuple)):
        out: list[Any] = []
        for item in value:
            out.extend(flatten(item))
        return out
    return [value]


def scalar(value: Any) -> Any:
    """The one scalar of a Checkov attribute value (``["x"]`` -> ``"x"``); None if it has none or several."""
    items = [v for v in flatten(value) if not isinstance(v, dict)]
    return items[0] if len(items) == 1 else None


def block(conf: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The first nested block called ``name`` (``ttl { ... }``) as a dict, or None."""
    for item in flatten(conf.get(name)):
        if isinstance(item, dict):
            return item
    return None


def blocks(conf: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [item for item in flatten(conf.get(name)) if isinstance(item, dict)]


def as_bool(value: Any) -> bool | None:
    """True/False for literal booleans (also "true"/"false"); None for expressions and absent values."""
    value = scalar(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return None


def tag_map(value: Any) -> dict[str, Any] | None:
    """A tags attribute as {key: value}; values Checkov could not evaluate become Unresolved. None when the
    whole map is an expression."""
    for item in flatten(value):
        if isinstance(item, dict):
            tags: dict[str, Any] = {}
            for key, raw in item.items():
                if key in META_KEYS:
                    continue
                val = scalar(raw) if isinstance(raw, list) else raw
                tags[str(key)] = Unresolved(val) if is_expression(val) else val
            return tags
        if item is not None:
            return None
    return {}


# ---------------------------------------------------------------------------------------------------------
# Addresses and references
# ---------------------------------------------------------------------------------------------------------

_MODULE_PREFIX = re.compile(r'^((?:module\.[A-Za-z0-9_-]+(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.)*)(.*)$')
_REF = re.compile(
    r"^\$?\{?(?P<data>data\.)?(?P<type>[a-z][a-z0-9]*_[a-z0-9_]+)\.(?P<name>[A-Za-z_][\w-]*)"
    r"(?P<index>\[[^\]]*\])?(?P<attr>(?:\.[\w.\[\]\"-]+)?)\}?$"
)
_INDEX = re.compile(r"\[[^\]]*\]$")


def split_address(address: str) -> tuple[str, str]:
    """('module.a.module.b', 'aws_x.y[0]') from 'module.a.module.b.aws_x.y[0]'."""
    match = _MODULE_PREFIX.match(address)
    assert match is not None  # the pattern matches every string
    return match.group(1).rstrip("."), match.group(2)


@dataclass(frozen=True)
class Ref:
    """A reference to a resource or data source: ``data.aws_iam_policy_document.x.json``."""

    key: str  # 'data.aws_iam_policy_document.x' or 'aws_iam_policy.p'
    index: str  # '[0]' or ''
    attr: str  # 'json', 'arn', ...

    @property
    def rtype(self) -> str:
        return self.key.removeprefix("data.").split(".")[0]


def parse_ref(value: Any) -> Ref | None:
    if not isinstance(value, str):
        return None
    match = _REF.match(value.strip())
    if not match:
        return None
    key = f"{match.group('data') or ''}{match.group('type')}.{match.group('name')}"
    return Ref(key=key, index=match.group("index") or "", attr=(match.group("attr") or "").lstrip("."))


def refs_in(value: Any) -> list[Ref]:
    """References a string mentions anywhere (``table/${aws_dynamodb_table.t.name}``)."""
    found: list[Ref] = []
    for item in flatten(value):
        if not isinstance(item, str):
            continue
        for token in re.findall(
            r"(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?(?:\.\w+)?", item
        ):
            ref = parse_ref(token)
            if ref is not None:
                found.append(ref)
    return found


# ---------------------------------------------------------------------------------------------------------
# Checkov's graph: the other resources of the same configuration
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Vertex:
    block_type: str  # resource, data, provider, module, ...
    rtype: str  # aws_dynamodb_table (no data. prefix); provider name for providers
    address: str  # as Checkov reports it
    rel: str  # address inside its module instance; data sources prefixed with data.
    instance: tuple[Any, ...]  # module instance
    root: tuple[Any, ...]  # the configuration (HCL root directory, or plan file) it belongs to
    file: str
    config: dict[str, Any]
    plan: bool

    @property
    def key(self) -> str:
        """rel without a trailing instance index."""
        return _INDEX.sub("", self.rel)


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _module_chain(source_module: Any) -> list[Any]:
    """The module calls a vertex sits in, outermost first (Checkov's TFModule objects, or their dict form)."""
    chain: list[Any] = []
    while source_module is not None and _field(source_module, "name") is not None:
        chain.append(source_module)
        source_module = _field(source_module, "nested_tf_module")
    return list(reversed(chain))


def _vertex(attrs: dict[str, Any]) -> Vertex | None:
    block_type = attrs.get("block_type_")
    config = attrs.get("config_")
    if block_type not in {"resource", "data", "provider", "module"} or not isinstance(config, dict) or not config:
        return None
    file = str(attrs.get("file_path_") or "")
    plan = file.endswith(".json")
    address = str(attrs.get("__address__") or attrs.get("block_name_") or "")
    inner = next(iter(config.values()))
    if block_type in {"resource", "data"}:
        if not isinstance(inner, dict) or not inner:
            return None
        rtype = next(iter(config))
        conf = next(iter(inner.values()))
    else:
        rtype = next(iter(config))
        conf = inner
    if not isinstance(conf, dict):
        return None
    prefix, rel = split_address(address)
    if block_type == "data" and not rel.startswith("data."):
        rel = f"data.{rel}"
    if plan:
        root: tuple[Any, ...] = (file,)
        instance: tuple[Any, ...] = (file, prefix)
    else:
        chain = _module_chain(attrs.get("source_module_object_"))
        root_dir = os.path.dirname(str(_field(chain[0], "path"))) if chain else os.path.dirname(file)
        root = (root_dir,)
        instance = (root_dir, *((str(_field(c, "name")), str(_field(c, "foreach_idx"))) for c in chain))
    return Vertex(block_type, rtype, address, rel, instance, root, file, conf, plan)


def _graph_attrs(graph: Any) -> Iterator[dict[str, Any]]:
    try:
        nodes = graph.nodes(data=True) if hasattr(graph, "adj") else graph.nodes()
    except TypeError:
        nodes = graph.nodes()
    for node in nodes:
        if isinstance(node, tuple) and len(node) == 2 and isinstance(node[1], dict):
            yield node[1]
        elif isinstance(node, dict):
            yield node


class GraphIndex:
    """Every resource, data source, provider and module call of Checkov's graph, with lookups by scope."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.vertices: list[Vertex] = []
        self._by_conf: dict[int, Vertex] = {}
        self.memo: dict[str, Any] = {}
        for attrs in _graph_attrs(graph) if graph is not None else ():
            vertex = _vertex(attrs)
            if vertex is not None:
                self.vertices.append(vertex)
                self._by_conf[id(vertex.config)] = vertex

    def locate(self, conf: dict[str, Any], scanned_file: str) -> Vertex | None:
        """The vertex of the configuration a check is judging."""
        found = self._by_conf.get(id(conf))
        if found is not None and found.config is conf:
            return found
        address = conf.get("__address__")
        candidates = [v for v in self.vertices if v.address == address and v.block_type in {"resource", "data"}]
        if len(candidates) > 1 and scanned_file:
            narrowed = [v for v in candidates if v.file.endswith(scanned_file.lstrip("/").split("/../")[-1])]
            candidates = narrowed or candidates
        if len(candidates) > 1:
            same = [v for v in candidates if v.config == conf]
            candidates = same or candidates
        return candidates[0] if candidates else None

    def in_root(self, root: tuple[Any, ...], rtype: str | None = None) -> Iterator[Vertex]:
        for vertex in self.vertices:
            if vertex.root == root and (rtype is None or vertex.rtype == rtype):
                yield vertex

    def resolve(self, origin: Vertex, ref: Ref) -> list[Vertex]:
        """Vertices a reference made in ``origin``'s module instance points to. Module inputs arrive rendered
        with the caller's reference text, so the enclosing instances are searched too, innermost first."""
        instance = origin.instance
        while True:
            exact = [v for v in self.vertices if v.instance == instance and v.rel == f"{ref.key}{ref.index}"]
            if exact:
                return exact
            loose = [v for v in self.vertices if v.instance == instance and v.key == ref.key]
            if loose:
                return loose
            if origin.plan:
                prefix = instance[1]
                if not prefix:
                    return []
                instance = (instance[0], split_address(prefix)[0])
            else:
                if len(instance) <= 1:
                    return []
                instance = instance[:-1]

    def provider_of(self, vertex: Vertex) -> Vertex | None:
        """The aws provider configuration a resource uses (HCL: Checkov resolves aliases and module providers)."""
        wanted = str(vertex.config.get("__provider_address__") or "aws.default")
        providers = [v for v in self.in_root(vertex.root) if v.block_type == "provider" and v.address == wanted]
        same_instance = [v for v in providers if v.instance == vertex.instance]
        chosen = same_instance or [v for v in providers if len(v.instance) == len(vertex.root)] or providers
        return chosen[0] if chosen else None


_INDEX_CACHE: list[GraphIndex] = []


def graph_index(graph: Any) -> GraphIndex:
    """The index of a graph, built once per scan (Checkov hands every check the same graph object)."""
    if _INDEX_CACHE and _INDEX_CACHE[0].graph is graph:
        return _INDEX_CACHE[0]
    index = GraphIndex(graph)
    _INDEX_CACHE[:] = [index]
    return index


def scanned_file_of(entity_path: str) -> str:
    return entity_path.split(":", 1)[0] if entity_path else ""


# ---------------------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------------------


def effective_tags(conf: dict[str, Any], vertex: Vertex | None, index: GraphIndex) -> dict[str, Any] | None:
    """A resource's tags as AWS will see them: the plan's tags_all, or in HCL the provider's default_tags
    overlaid with the resource's own tags. None when they cannot be known."""
    if "tags_all" in conf:
        all_tags = tag_map(conf.get("tags_all"))
        if all_tags is not None:
            return all_tags
    own = tag_map(conf.get("tags")) if "tags" in conf else {}
    if own is None:
        return None
    if vertex is None or vertex.plan:
        return own
    provider = index.provider_of(vertex)
    defaults: dict[str, Any] = {}
    if provider is not None:
        default_tags = block(provider.config, "default_tags")
        if default_tags is not None:
            parsed = tag_map(default_tags.get("tags"))
            if parsed is None:
                return None
            defaults = parsed
    return {**defaults, **own}


def table_name(conf: dict[str, Any]) -> str | None:
    name = scalar(conf.get("name"))
    return name if isinstance(name, str) and name and not is_expression(name) else None


# ---------------------------------------------------------------------------------------------------------
# IAM policies
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Statement:
    where: str  # "statement 2 (sid X)" for messages
    effect: str | None  # "Allow" / "Deny" / None (unknown)
    actions: list[Any] = field(default_factory=list)
    not_actions: list[Any] = field(default_factory=list)
    resources: list[Any] = field(default_factory=list)
    not_resources: list[Any] = field(default_factory=list)
    principals: list[tuple[str, Any]] = field(default_factory=list)  # (type, identifier); ("*", "*") for "*"
    not_principals: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def allows(self) -> bool:
        return self.effect is None or self.effect.lower() == "allow"


@dataclass
class Document:
    """A policy document as far as it could be read. ``complete`` is False when some part could not be."""

    statements: list[Statement]
    complete: bool = True
    source: str = ""


def _strs(value: Any) -> list[Any]:
    """Literal strings of a list-ish value; expressions become Unresolved; None (unknown in a plan) stays None.
    An absent or null attribute (``None``, ``[None]`` as plans hand it over) is an empty list."""
    if value is None or value == [None] or value == []:
        return []
    out: list[Any] = []
    for item in flatten(value):
        if item is None:
            out.append(None)
        elif isinstance(item, str):
            out.append(Unresolved(item) if is_expression(item) else item)
        elif not isinstance(item, dict):
            out.append(str(item))
    return out


def _json_principals(value: Any) -> list[tuple[str, Any]]:
    if value is None:
        return []
    if isinstance(value, str):
        return [("*", value)] if value == "*" else [("AWS", Unresolved(value) if is_expression(value) else value)]
    if isinstance(value, dict):
        pairs: list[tuple[str, Any]] = []
        for kind, ids in value.items():
            if kind in META_KEYS:
                continue
            pairs += [(str(kind), i) for i in _strs(ids)]
        return pairs
    if isinstance(value, list):
        pairs = []
        for item in value:
            pairs += _json_principals(item)
        return pairs
    return [("AWS", Unresolved(str(value)))]


def document_from_json(policy: Any, source: str) -> Document | None:
    """A Document from an IAM policy JSON object (Statement/Effect/Action/Resource/Principal)."""
    if not isinstance(policy, dict):
        return None
    raw = policy.get("Statement", policy.get("statement"))
    if raw is None:
        return Document([], True, source)
    items = raw if isinstance(raw, list) else [raw]
    statements: list[Statement] = []
    complete = True
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            complete = False
            continue
        sid = item.get("Sid")
        effect = item.get("Effect")
        statements.append(
            Statement(
                where=f"statement {number}" + (f" ({sid})" if isinstance(sid, str) and sid else ""),
                effect=effect if isinstance(effect, str) and not is_expression(effect) else None,
                actions=_strs(item.get("Action")),
                not_actions=_strs(item.get("NotAction")),
                resources=_strs(item.get("Resource")),
                not_resources=_strs(item.get("NotResource")),
                principals=_json_principals(item.get("Principal")),
                not_principals=_json_principals(item.get("NotPrincipal")),
            )
        )
    return Document(statements, complete, source)


_ITERATOR = re.compile(r"^(?P<it>[A-Za-z_][\w-]*)\.(?P<what>value|key)(?P<path>(?:\.[\w-]+|\[\d+\])*)$")


def _substitute(value: Any, iterator: str, key: Any, item: Any) -> Any:
    """A dynamic block's content with ``<iterator>.value.x`` / ``<iterator>.key`` replaced from one for_each item."""
    if isinstance(value, list):
        return [_substitute(v, iterator, key, item) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, iterator, key, item) for k, v in value.items()}
    if isinstance(value, str):
        match = _ITERATOR.match(value.strip())
        if match and match.group("it") == iterator:
            current = key if match.group("what") == "key" else item
            for part in re.findall(r"\.([\w-]+)|\[(\d+)\]", match.group("path")):
                if part[0] and isinstance(current, dict) and part[0] in current:
                    current = current[part[0]]
                elif part[1] and isinstance(current, list) and int(part[1]) < len(current):
                    current = current[int(part[1])]
                else:
                    return Unresolved(value)
            return current
    return value


def expand_dynamic(conf: dict[str, Any], name: str) -> tuple[list[dict[str, Any]], bool]:
    """Blocks ``name`` of a configuration, including those of ``dynamic "name"`` blocks Checkov left unexpanded.
    Returns the blocks and whether every dynamic block could be expanded."""
    found = blocks(conf, name)
    complete = True
    for dyn in flatten(conf.get("dynamic")):
        if not isinstance(dyn, dict) or name not in dyn:
            continue
        spec = dyn[name]
        if isinstance(spec, list):
            spec = spec[0] if spec and isinstance(spec[0], dict) else {}
        if not isinstance(spec, dict) or "content" not in spec:
            continue  # already expanded by Checkov (the expansion is in `found`)
        iterator = scalar(spec.get("iterator")) or name
        for_each = spec.get("for_each")
        if isinstance(for_each, list) and len(for_each) == 1 and isinstance(for_each[0], (list, dict)):
            for_each = for_each[0]
        content = [c for c in flatten(spec.get("content")) if isinstance(c, dict)]
        if isinstance(for_each, dict):
            pairs: list[tuple[Any, Any]] = [(k, v) for k, v in for_each.items() if k not in META_KEYS]
        elif isinstance(for_each, list) and not any(is_expression(i) for i in for_each if isinstance(i, str)):
            pairs = list(enumerate(for_each))
        else:
            complete = False
            continue
        for key, item in pairs:
            for body in content:
                found.append(_substitute(body, str(iterator), key, item))
    return found, complete


def document_from_policy_document(conf: dict[str, Any], source: str) -> Document:
    """A Document from an aws_iam_policy_document configuration (statement blocks, dynamic ones too)."""
    statement_blocks, complete = expand_dynamic(conf, "statement")
    statements: list[Statement] = []
    for number, stmt in enumerate(statement_blocks, 1):
        principals: list[tuple[str, Any]] = []
        not_principals: list[tuple[str, Any]] = []
        for target, key in ((principals, "principals"), (not_principals, "not_principals")):
            principal_blocks, ok = expand_dynamic(stmt, key)
            complete = complete and ok
            for p in principal_blocks:
                kind = scalar(p.get("type"))
                kind = kind if isinstance(kind, str) and not is_expression(kind) else Unresolved(str(kind))
                target += [(kind, ident) for ident in _strs(p.get("identifiers"))]
        effect = scalar(stmt.get("effect"))
        sid = scalar(stmt.get("sid"))
        statements.append(
            Statement(
                where=f"statement {number}" + (f" ({sid})" if isinstance(sid, str) and sid else ""),
                effect="Allow" if effect is None else (effect if not is_expression(effect) else None),
                actions=_strs(stmt.get("actions")),
                not_actions=_strs(stmt.get("not_actions")),
                resources=_strs(stmt.get("resources")),
                not_resources=_strs(stmt.get("not_resources")),
                principals=principals,
                not_principals=not_principals,
            )
        )
    return Document(statements, complete, source)


def _literal(text: str) -> Any:
    """Checkov's rendering of an HCL object: Python-literal-like or JSON; where it rendered a module output into
    the object, its quotes arrive escaped (``\\'``)."""
    unescaped = text.replace("\\'", "'")
    candidates = [text, unescaped]
    for candidate in list(candidates):
        relaxed = re.sub(r"\bnull\b", "None", candidate)
        candidates.append(re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", relaxed)))
    for candidate in candidates:
        for parse in (ast.literal_eval, json.loads):
            try:
                return parse(candidate)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
    return None


def _jsonencode_body(text: str) -> str | None:
    stripped = text.strip()
    if stripped.startswith("${") and stripped.endswith("}"):
        stripped = stripped[2:-1].strip()
    if stripped.startswith("jsonencode(") and stripped.endswith(")"):
        return stripped[len("jsonencode(") : -1]
    return None


@dataclass
class PolicyContext:
    """Where a policy value was found, so references in it can be followed."""

    index: GraphIndex
    vertex: Vertex | None
    attribute: str
    plan_source: Callable[[], Any] | None = None


def read_policy(value: Any, ctx: PolicyContext, depth: int = 0) -> Document | None:
    """The document a policy attribute holds, in any of its shapes; None when it cannot be known here."""
    if depth > 4:
        return None
    items = [v for v in (value if isinstance(value, list) else [value]) if v is not None]
    if len(items) != 1:
        # Absent or unknown in a plan (no reference recorded): maybe the configuration tells.
        return _from_plan_source(ctx, depth)
    item = items[0]
    if isinstance(item, dict):
        return document_from_json(item, "policy JSON")
    if not isinstance(item, str):
        return None
    text = item.strip()
    body = _jsonencode_body(text)
    if body is not None:
        parsed = _literal(body)
        return document_from_json(parsed, "jsonencode()") if parsed is not None else None
    if text.startswith("{"):
        try:
            return document_from_json(json.loads(text), "policy JSON")
        except json.JSONDecodeError:
            parsed = _literal(text)
            return document_from_json(parsed, "policy JSON") if parsed is not None else None
    ref = parse_ref(text)
    if ref is not None and ctx.vertex is not None and ref.key.startswith("data.aws_iam_policy_document."):
        docs = ctx.index.resolve(ctx.vertex, ref)
        if docs:
            return policy_document_of(docs[0], ctx.index)
    # Any other reference (a resource attribute, a module output): in a plan the value is unknown until apply,
    # typically a jsonencode() that mentions the table ARN; its configuration can still be read.
    return _from_plan_source(ctx, depth)


def policy_document_of(vertex: Vertex, index: GraphIndex) -> Document:
    """The statements of an aws_iam_policy_document, with those of the documents it merges in."""
    doc = document_from_policy_document(vertex.config, f"data.aws_iam_policy_document {vertex.rel}")
    for key in ("source_policy_documents", "override_policy_documents", "source_json", "override_json"):
        for item in flatten(vertex.config.get(key)):
            if item is None:
                continue
            nested = read_policy([item], PolicyContext(index, vertex, key), depth=1)
            if nested is None:
                doc.complete = False
            else:
                doc.statements += nested.statements
                doc.complete = doc.complete and nested.complete
    return doc


def _from_plan_source(ctx: PolicyContext, depth: int) -> Document | None:
    if ctx.plan_source is None or ctx.vertex is None or not ctx.vertex.plan:
        return None
    source_value = ctx.plan_source()
    if source_value is None:
        return None
    return read_policy([source_value], PolicyContext(ctx.index, None, ctx.attribute), depth + 1)


# --- judging statements -----------------------------------------------------------------------------------

_DYNAMODB_WIDE_ARN = re.compile(r"^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:(\*|table/\*)$", re.IGNORECASE)


def _is_dynamodb_action(action: Any) -> bool:
    return isinstance(action, str) and not is_expression(action) and action.lower().startswith("dynamodb:")


def grants_dynamodb(doc: Document) -> bool:
    """Whether a document allows any DynamoDB action (or every action)."""
    for stmt in doc.statements:
        if not stmt.allows:
            continue
        if stmt.not_actions or any(a == "*" or _is_dynamodb_action(a) for a in stmt.actions):
            return True
    return False


def wildcard_violations(doc: Document) -> list[str]:
    """What CKV_MC_3 forbids in any statement that allows something."""
    problems: list[str] = []
    for stmt in doc.statements:
        if not stmt.allows:
            continue
        where = f"{doc.source}, {stmt.where}" if doc.source else stmt.where
        if any(isinstance(a, str) and a.strip() in {"*", "*:*"} for a in stmt.actions):
            problems.append(f'{where}: Allow with Action "*"')
        wild = sorted({a for a in stmt.actions if _is_dynamodb_action(a) and ("*" in a or "?" in a)})
        if wild:
            problems.append(f"{where}: wildcard in DynamoDB action(s) {', '.join(wild)}; list the actions")
        if stmt.not_actions:
            problems.append(f"{where}: Allow with NotAction grants every other action; list the actions")
        touches_dynamodb = any(a == "*" or _is_dynamodb_action(a) for a in stmt.actions) or bool(stmt.not_actions)
        if touches_dynamodb:
            wide = sorted(
                {r for r in stmt.resources if isinstance(r, str) and (r == "*" or _DYNAMODB_WIDE_ARN.match(r))}
            )
            if wide:
                problems.append(f"{where}: DynamoDB actions on Resource {', '.join(wide)}; name the table ARN")
            if stmt.not_resources:
                problems.append(f"{where}: DynamoDB actions with NotResource; name the table ARN")
        for kind, ident in stmt.principals:
            if ident == "*" or kind == "*":
                label = '"*"' if kind == "*" else f'{{"{kind}": "*"}}'
                problems.append(f"{where}: Allow to Principal {label}; name the principals")
                break
        if stmt.not_principals:
            problems.append(f"{where}: Allow with NotPrincipal admits everyone else; name the principals")
    return problems


def trust_violations(doc: Document, allowed: Iterable[str]) -> list[str]:
    """For the trust policy of a role with table access: only the allowed service principals."""
    allowed_set = set(allowed)
    problems: list[str] = []
    for stmt in doc.statements:
        if not stmt.allows:
            continue
        where = f"{doc.source}, {stmt.where}" if doc.source else stmt.where
        for kind, ident in stmt.principals:
            if ident == "*" or kind == "*":
                continue  # reported by wildcard_violations
            if kind != "Service" or ident not in allowed_set:
                shown = ident if isinstance(ident, str) else "(unknown)"
                problems.append(
                    f"{where}: the role has table access but trusts {kind} {shown}; "
                    f"only {', '.join(sorted(allowed_set))} may assume it"
                )
        if stmt.not_principals:
            problems.append(f"{where}: the role has table access but its trust policy uses NotPrincipal")
    return problems


def undecided(doc: Document) -> bool:
    """Whether a document left out something that could hide a violation (unknown actions or effect)."""
    if not doc.complete:
        return True
    for stmt in doc.statements:
        if stmt.effect is None or any(a is None or isinstance(a, Unresolved) for a in stmt.actions):
            return True
    return False


# ---------------------------------------------------------------------------------------------------------
# Plan JSON: reading the configuration behind values unknown at plan time
# ---------------------------------------------------------------------------------------------------------


_PLAN_CACHE: dict[str, tuple[float, dict[str, Any]]] = {}
_HCL_CACHE: dict[str, dict[str, Any]] = {}


def _load_plan(path: str) -> dict[str, Any] | None:
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return None
    cached = _PLAN_CACHE.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        with open(path, encoding="utf-8") as handle:
            plan = json.load(handle)
    except (OSError, ValueError):
        return None
    _PLAN_CACHE.clear()
    _PLAN_CACHE[path] = (mtime, plan)
    return plan


def _module_dirs(root_dir: Path) -> dict[str, str]:
    manifest = root_dir / ".terraform" / "modules" / "modules.json"
    try:
        modules = json.loads(manifest.read_text())["Modules"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    dirs = {}
    for module in modules:
        if isinstance(module, dict) and "Key" in module and "Dir" in module:
            dirs[str(module["Key"])] = str(module["Dir"])
    return dirs


def _root_candidates(plan_file: str) -> list[Path]:
    candidates = [os.environ.get("CKV_MC_TF_ROOT", ""), os.path.dirname(plan_file), os.getcwd()]
    return [Path(c) for c in candidates if c and Path(c).is_dir()]


def _parse_dir(directory: Path) -> dict[str, Any]:
    key = str(directory.resolve())
    if key in _HCL_CACHE:
        return _HCL_CACHE[key]
    import hcl2  # shipped with checkov (bc-python-hcl2)

    merged: dict[str, Any] = {"resource": []}
    for tf_file in sorted(directory.glob("*.tf")):
        try:
            with tf_file.open(encoding="utf-8") as handle:
                parsed = hcl2.load(handle)
        except Exception as exc:  # the parser raises lark errors of many kinds
            LOG.info("ckv_mc: cannot parse %s: %s", tf_file, exc)
            continue
        merged["resource"] += parsed.get("resource", [])
    _HCL_CACHE[key] = merged
    return merged


def plan_configuration_value(plan_file: str, address: str, attribute: str, nested: str | None = None) -> Any:
    """The source text of an attribute of a resource in a plan, read from the Terraform configuration the
    plan was made from (the directory of plan.json, the working directory, or CKV_MC_TF_ROOT); None when
    that configuration is not there.

    ``nested``: the attribute is inside a block (``inline_policy``); the first block that has it is read.
    """
    plan = _load_plan(plan_file)
    if plan is None:
        return None
    prefix, rel = split_address(address)
    modules = re.findall(r"module\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?", prefix)
    rel = _INDEX.sub("", rel)
    if rel.startswith("data.") or "." not in rel:
        return None
    rtype, name = rel.split(".", 1)
    for root in _root_candidates(plan_file):
        directory = _module_directory(root, plan, modules)
        if directory is None or not directory.is_dir():
            continue
        for resource_block in _parse_dir(directory).get("resource", []):
            body = resource_block.get(rtype, {}).get(name) if isinstance(resource_block, dict) else None
            if not isinstance(body, dict):
                continue
            value = None
            if nested is None:
                value = scalar(body.get(attribute))
            else:
                value = next((scalar(sub.get(attribute)) for sub in blocks(body, nested) if attribute in sub), None)
            return _with_variables(value, _variables(plan, modules))
    return None


def _variables(plan: dict[str, Any], modules: list[str]) -> dict[str, Any]:
    """Values of the input variables of a module instance that the plan records as constants."""
    conf = plan.get("configuration", {}).get("root_module", {})
    values: dict[str, Any] = {k: v.get("value") for k, v in (plan.get("variables") or {}).items()}
    call: dict[str, Any] = {}
    for module in modules:
        call = conf.get("module_calls", {}).get(module, {})
        conf = call.get("module", {})
    if not modules:
        values = {**{k: v["default"] for k, v in conf.get("variables", {}).items() if "default" in v}, **values}
        return values
    values = {k: v["default"] for k, v in conf.get("variables", {}).items() if "default" in v}
    for name, expression in (call.get("expressions") or {}).items():
        if isinstance(expression, dict) and "constant_value" in expression:
            values[name] = expression["constant_value"]
        else:
            values.pop(name, None)  # set by an expression the plan does not record
    return values


def _with_variables(value: Any, variables: dict[str, Any]) -> Any:
    """Source text with ``${var.x}`` replaced by the variable's value where the plan records it."""
    if not isinstance(value, str) or "var." not in value:
        return value

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        return repr(variables[name]) if name in variables else match.group(0)

    return re.sub(r"'\$\{var\.([A-Za-z_][\w-]*)\}'", substitute, value)


def _module_directory(root: Path, plan: dict[str, Any], modules: list[str]) -> Path | None:
    if not modules:
        return root if any(root.glob("*.tf")) else None
    manifest = _module_dirs(root)
    key = ".".join(modules)
    if key in manifest:
        directory = Path(manifest[key])
        return directory if directory.is_absolute() else root / directory
    # No manifest (not initialised here): follow the local sources recorded in the plan's configuration.
    directory = root
    conf = plan.get("configuration", {}).get("root_module", {})
    for module in modules:
        call = conf.get("module_calls", {}).get(module)
        if not isinstance(call, dict):
            return None
        source = str(call.get("source", ""))
        if not source.startswith(("./", "../", "/")):
            return None
        directory = (directory / source).resolve() if not source.startswith("/") else Path(source)
        conf = call.get("module", {})
    return directory


# ---------------------------------------------------------------------------------------------------------
# Check plumbing
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Verdict:
    result: CheckResult
    details: list[str] = field(default_factory=list)

    @staticmethod
    def passed(*details: str) -> Verdict:
        return Verdict(CheckResult.PASSED, list(details))

    @staticmethod
    def failed(*details: str) -> Verdict:
        return Verdict(CheckResult.FAILED, list(details))

    @staticmethod
    def unknown(*details: str) -> Verdict:
        return Verdict(CheckResult.UNKNOWN, list(details))


def run_safely(check: Any, conf: dict[str, Any], judge: Callable[[Context], Verdict]) -> CheckResult:
    """Run ``judge`` so that no exception reaches Checkov (which would print a stack trace and drop the
    result); record the verdict's details, which Checkov shows beside the result."""
    try:
        verdict = judge(Context(check, conf))
    except Exception as exc:  # a bug or a shape never seen: say so in one line, judge nothing
        LOG.warning("%s could not judge %s: %s: %s", check.id, conf.get("__address__"), type(exc).__name__, exc)
        return CheckResult.UNKNOWN
    check.details = verdict.details
    if verdict.result == CheckResult.UNKNOWN and verdict.details:
        LOG.info("%s left %s undecided: %s", check.id, conf.get("__address__"), "; ".join(verdict.details))
    return verdict.result


class Context:
    """What a check knows about the configuration it judges: its vertex and the graph around it."""

    def __init__(self, check: Any, conf: dict[str, Any]) -> None:
        self.check = check
        self.conf = conf
        self.index = graph_index(getattr(check, "graph", None))
        self.vertex = self.index.locate(conf, scanned_file_of(getattr(check, "entity_path", "")))

    @property
    def plan(self) -> bool:
        return self.vertex.plan if self.vertex is not None else "__change_actions__" in self.conf

    def policy(self, attribute: str, value: Any = None, nested: str | None = None) -> Document | None:
        vertex = self.vertex
        plan_source = None
        if vertex is not None and vertex.plan:

            def plan_source() -> Any:
                return plan_configuration_value(vertex.file, vertex.address, attribute, nested)

        raw = self.conf.get(attribute) if value is None else value
        return read_policy(raw, PolicyContext(self.index, vertex, attribute, plan_source))
