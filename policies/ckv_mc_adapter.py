"""Everything the CKV_MC checks take from Checkov, in one module; the checks import nothing else.

Checkov's check API (BaseResourceCheck, BaseDataCheck) is public, but what the checks also need is not: the
graph a check is handed (the other resources of its configuration), the renderer's evaluate_terraform, the
plan runner's shapes, and cloudsplaining (shipped with Checkov) for IAM statements. SUPPORTED_CHECKOV is the
range this module is written for; tests/unit/policies/test_adapter.py fails outside it.

HCL scans (checkov -d) hand over Checkov's rendering of the source: what it could not evaluate stays an
expression string. Plan scans (checkov -f plan.json) hand over Terraform's planned values: what is known only
after apply is absent or replaced by a reference, and the plan's after_unknown says which. Both are UNKNOWN
here; a check that meets one answers UNKNOWN, which Checkov leaves out of its report, and the gate fails what
stays undecided. Checks never raise: an exception would print a stack trace and drop the result.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from checkov.common.graph.graph_builder import CustomAttributes as Attr
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.common.util.type_forcers import force_list
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from checkov.terraform.graph_builder.variable_rendering.evaluate_terraform import evaluate_terraform
from cloudsplaining.scan.resource_policy_document import ResourceStatement
from cloudsplaining.scan.statement_detail import StatementDetail

SUPPORTED_CHECKOV = ("3.3.30", "3.4")  # at least the first, below the second
LOG = logging.getLogger("ckv_mc")
PASSED, FAILED, UNDECIDED = CheckResult.PASSED, CheckResult.FAILED, CheckResult.UNKNOWN


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()  # a value Checkov could not evaluate, or Terraform knows only after apply
_EXPRESSION = re.compile(
    r"\$\{|^\s*[\[{]|\s\?\s|^\s*(?:var|local|module|data|each|count|self|path|terraform)\.\w"
    r"|^\s*[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?(?:\.|$)|^\s*[a-z]\w*\(|^\s*\w+\.(?:key|value)\b"
)
_REF = re.compile(r"(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?")
_MODULES = re.compile(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*")
_PLAIN_REF = re.compile(_REF.pattern + r"(?:\.[\w-]+)?")
_REPLACE = re.compile(r'^\$\{replace\("(.*)","([^"]+)",(.+)\)\}$', re.DOTALL)  # Checkov's rendering
_META = re.compile(r"^__|^(?:start|end)_line$|^references_$")


def is_expression(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, str) and bool(_EXPRESSION.search(value)))


def one(value: Any) -> Any:
    """The value inside Checkov's list wrapping (``[["x"]]`` -> ``"x"``)."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def strings(value: Any) -> list[Any]:
    """A list-ish attribute as a flat list; expressions stay strings, unknowns UNKNOWN."""
    value = one(value)
    if value is None or value == []:
        return []
    out: list[Any] = []
    for item in force_list(value):
        out += strings(item) if isinstance(item, list) else [item]
    return out


def as_bool(value: Any) -> bool | None:
    """True/False for literal booleans (also "true"/"false"); None when not a literal."""
    value = one(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value if isinstance(value, bool) else None


def references(value: Any) -> list[str]:
    """Resource and data source references a value mentions (``table/${aws_dynamodb_table.t.name}``)."""
    return [m.group(0) for item in strings(value) if isinstance(item, str) for m in _REF.finditer(item)]


@dataclass
class Verdict:
    result: CheckResult
    details: tuple[str, ...] = ()


def passed(*details: str) -> Verdict:
    return Verdict(PASSED, details)


def failed(*details: str) -> Verdict:
    return Verdict(FAILED, details)


def undecided(*details: str) -> Verdict:
    return Verdict(UNDECIDED, details)


# ---------------------------------------------------------------------------------------------------------
# The configuration around a resource: Checkov's graph, and in plan scans the plan file itself
# ---------------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    """A resource, data source or provider of the scanned configuration."""

    kind: str  # resource, data, provider
    type: str
    address: str  # as Checkov reports it (module.a.aws_x.y[0]); data sources with their data. prefix
    rel: str  # the address inside its module instance
    conf: dict[str, Any]
    root: str  # the root configuration: its directory (HCL) or the plan file
    instance: str  # the module instance: "module.a.module.b" (plan) or Checkov's module chain (HCL)
    scope: Scope
    plan: dict[str, Any] | None = None  # the resource's entry in the plan's resource_changes

    def marks(self, *path: Any) -> Any:
        """Plan: the after_unknown marks at ``path`` (True: known only after apply)."""
        marks: Any = (self.plan or {}).get("change", {}).get("after_unknown") or {}
        for step in path:
            if marks is True:
                return True
            ok = isinstance(marks, dict) or (isinstance(marks, list) and isinstance(step, int) and step < len(marks))
            marks = marks[step] if ok and (isinstance(marks, list) or step in marks) else None
        return marks

    def unknown(self, *path: Any, whole: bool = False) -> bool:
        """Plan: whether the value at ``path`` (``whole``: all of it, else any part) is known only after apply.
        What the configuration does not set is the provider's default, not unknown (a dynamic block over a
        value unknown at plan time reads as absent: the plan does not record dynamic blocks)."""
        expressions = self.scope.configuration(self).get("expressions") if self.plan is not None else {}
        if self.plan is None or (path and expressions is not None and path[0] not in expressions):
            return False
        marks = self.marks(*path)
        return marks is True or (not whole and isinstance(marks, (dict, list)) and "true" in json.dumps(marks))

    def get(self, key: str) -> Any:
        """An attribute's value: None when absent, UNKNOWN when not known here."""
        value = one(self.conf.get(key))
        if self.unknown(key) or (self.plan is None and is_expression(value)):
            return UNKNOWN
        return None if self.plan is not None and self.marks(key) is True else value

    def blocks(self, name: str) -> list[dict[str, Any]] | Any:
        """Nested blocks ``name`` with Checkov's partly expanded ``dynamic`` blocks finished; UNKNOWN when a
        dynamic block iterates over a value Checkov could not evaluate."""
        if self.unknown(name, whole=True):
            return UNKNOWN
        return [] if self.plan is not None and self.marks(name) is True else expand_blocks(self.conf, name)

    def refs(self, key: str) -> list[Node]:
        """What an attribute refers to: resolved in the plan's configuration (plan scans, through module
        inputs), or from the reference text Checkov left in the value (HCL)."""
        if self.plan is not None:
            found = [n for a in self.scope.plan_references(self, key) for n in self.scope.at(self.root, a)]
        else:
            found = [n for r in references(self.conf.get(key)) for n in self.scope.resolve(self, r)]
        return list(dict.fromkeys(found))  # each node once, in order

    def related(self, rtype: str) -> list[Node]:
        return [n for n in self.scope.nodes if n.root == self.root and n.type == rtype]

    def tags(self) -> tuple[dict[str, Any], bool] | Any:
        """The tags AWS will see ({key: value or UNKNOWN}) and whether that map is complete (a key it lacks
        is absent, not unknown): the plan's tags_all (when unknown: the provider's default_tags recorded in
        the plan under the own tags), or in HCL the provider's default_tags under the own tags."""
        if self.plan is not None:
            if self.marks("tags") is True:
                return UNKNOWN
            own = {
                k: UNKNOWN if self.marks("tags", k) is True else one(v) for k, v in _items(one(self.conf.get("tags")))
            }
            if self.marks("tags_all") is not True:
                marks = self.marks("tags_all")
                all_tags = _items(one(self.conf.get("tags_all")))
                return {
                    k: UNKNOWN if isinstance(marks, dict) and marks.get(k) is True else one(v) for k, v in all_tags
                }, True
            plan_defaults = self.scope.plan_default_tags(self)
            return UNKNOWN if plan_defaults is UNKNOWN else ({**plan_defaults, **own}, True)
        own = _tag_map(self.conf.get("tags"))
        provider = self.scope.provider_of(self)
        defaults: Any = {}
        if provider is not None and isinstance(one(provider.conf.get("default_tags")), dict):
            defaults = _tag_map(one(provider.conf["default_tags"]).get("tags"))
        if own is UNKNOWN or defaults is UNKNOWN:
            return UNKNOWN
        return {**defaults, **own}, True


def _unindexed(address: str) -> str:
    return re.sub(r"\[[^\]]*\]$", "", address)


def _items(mapping: Any) -> Iterator[tuple[str, Any]]:
    return ((str(k), v) for k, v in (mapping.items() if isinstance(mapping, dict) else ()) if not _META.match(k))


def _tag_map(value: Any) -> dict[str, Any] | Any:
    value = one(value)
    if value is None:
        return {}
    if not isinstance(value, dict):
        return UNKNOWN
    return {k: UNKNOWN if is_expression(one(v)) else one(v) for k, v in _items(value)}


def expand_blocks(conf: dict[str, Any], name: str) -> list[dict[str, Any]] | Any:
    written = [b for b in force_list(conf.get(name) or []) if b not in ([], None)]
    if not all(isinstance(b, dict) for b in written):
        return UNKNOWN  # an expression where blocks belong (`statement = flatten(var.x, [])`)
    found = list(written)
    for dynamic in force_list(conf.get("dynamic") or []):
        spec = one(dynamic.get(name)) if isinstance(dynamic, dict) else None
        if not isinstance(spec, dict) or "content" not in spec:
            continue  # none, or already expanded by Checkov into `found`
        iterator, items = one(spec.get("iterator")) or name, one(spec.get("for_each"))
        pairs = list(items.items()) if isinstance(items, dict) else list(enumerate(items or []))
        if not isinstance(items, (dict, list)) or any(is_expression(v) for _, v in pairs):
            return UNKNOWN
        for key, item in pairs:
            for body in force_list(spec["content"]):
                found.append(_substitute(body, f"{iterator}.", key, item))
    return found


def _substitute(value: Any, prefix: str, key: Any, item: Any) -> Any:
    """A dynamic block's content with ``<iterator>.key`` / ``<iterator>.value`` of one for_each item."""
    if isinstance(value, list):
        return [_substitute(v, prefix, key, item) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, prefix, key, item) for k, v in value.items()}
    if value == f"{prefix}key":
        return key
    if value == f"{prefix}value":
        return item
    return value


class Scope:
    """Every resource, data source and provider of one Checkov graph (one scan), built once per scan."""

    _last: ClassVar[tuple[Any, Scope] | None] = None

    def __init__(self, graph: Any) -> None:
        self.nodes: list[Node] = []
        self.by_conf: dict[int, Node] = {}
        self.plans: dict[str, dict[str, Any]] = {}
        self.memo: dict[Any, Any] = {}
        for attrs in _graph_attributes(graph):
            node = self._node(attrs)
            if node is not None:
                self.nodes.append(node)
                self.by_conf[id(node.conf)] = node

    @classmethod
    def of(cls, graph: Any) -> Scope:
        if cls._last is None or cls._last[0] is not graph:
            cls._last = (graph, cls(graph))
        return cls._last[1]

    def _node(self, attrs: dict[str, Any]) -> Node | None:
        kind, config = attrs.get(Attr.BLOCK_TYPE), attrs.get(Attr.CONFIG)
        if kind not in ("resource", "data", "provider") or not isinstance(config, dict) or not config:
            return None
        rtype, body = next(iter(config.items()))
        conf = next(iter(body.values()), None) if kind != "provider" and isinstance(body, dict) else body
        if not isinstance(conf, dict):
            return None
        file = str(attrs.get(Attr.FILE_PATH) or "")
        address = str(attrs.get(Attr.TF_RESOURCE_ADDRESS) or attrs.get(Attr.BLOCK_NAME) or "")
        prefix = _MODULES.match(address).group(0)  # type: ignore[union-attr]
        rel = address[len(prefix) :]
        if kind == "data" and not rel.startswith("data."):
            rel = f"data.{rel}"  # HCL reports data sources without it
        address = prefix + rel
        if file.endswith(".json"):  # a plan
            change = self._plan(file).get(address, {}) if kind != "provider" else {}
            return Node(kind, rtype, address, rel, conf, file, prefix.rstrip("."), self, change)
        chain: list[tuple[Any, Any, Any]] = []
        module = attrs.get(Attr.SOURCE_MODULE_OBJECT)
        while module is not None and getattr(module, "name", None) is not None:
            chain.insert(0, (module.name, module.foreach_idx, module.path))
            module = module.nested_tf_module
        root = os.path.dirname(chain[0][2]) if chain else os.path.dirname(file)
        instance = "/".join(f"{name}[{idx}]" for name, idx, _ in chain)
        return Node(kind, rtype, address, rel, conf, root, instance, self)

    def _plan(self, file: str) -> dict[str, dict[str, Any]]:
        if file not in self.plans:
            with open(file, encoding="utf-8") as handle:
                plan = json.load(handle)
            self.plans[file] = {c["address"]: c for c in plan.get("resource_changes", [])}
            self.plans[file][""] = plan.get("configuration", {}).get("root_module", {})
            self.plans[file]["providers"] = plan.get("configuration", {}).get("provider_config", {})
        return self.plans[file]

    def node_of(self, conf: dict[str, Any]) -> Node | None:
        return self.by_conf.get(id(conf))

    def at(self, root: str, address: str) -> list[Node]:
        """Plan: the nodes at an address; without an instance index, every instance."""
        return [n for n in self.nodes if n.root == root and address in (n.address, _unindexed(n.address))]

    def resolve(self, origin: Node, ref: str) -> list[Node]:
        """HCL: the nodes a reference made in ``origin`` names. Module inputs arrive rendered with the
        caller's text, so enclosing module instances are searched too, innermost first."""
        found = _REF.search(ref)
        exact, instance = (found.group(0) if found else ""), origin.instance
        while exact:
            same = [n for n in self.nodes if n.root == origin.root and n.instance == instance and n.kind != "provider"]
            hits = [n for n in same if n.rel == exact] or [n for n in same if _unindexed(n.rel) == _unindexed(exact)]
            if hits or not instance:
                return hits
            instance = instance.rsplit("/", 1)[0] if "/" in instance else ""
        return []

    def configuration(self, node: Node) -> dict[str, Any]:
        """Plan: the configuration block of a planned resource (its expressions, its provider)."""
        key = ("configuration", id(node))
        if key not in self.memo:
            modules = self._modules(node)
            rel = re.sub(r"\[[^\]]*\]", "", node.rel)
            self.memo[key] = next((r for r in modules[-1].get("resources", []) if r.get("address") == rel), {})
        return self.memo[key]

    def _modules(self, node: Node) -> list[dict[str, Any]]:
        modules = [self._plan(node.root)[""]]
        for call in re.findall(r"module\.([^.\[]+)", node.instance):
            modules.append(modules[-1].get("module_calls", {}).get(call, {}).get("module", {}))
        return modules

    def plan_references(self, origin: Node, key: str) -> list[str]:
        """Plan: the addresses an attribute's expression refers to, from the plan's configuration; references
        to module inputs are followed to the caller's expression."""
        refs = (self.configuration(origin).get("expressions", {}).get(key) or {}).get("references", [])
        return self._absolute(refs, re.findall(r"module\.([^.\[]+)", origin.instance), self._modules(origin))

    def plan_default_tags(self, node: Node) -> dict[str, Any] | Any:
        """Plan: the default_tags of the provider configuration a resource uses (inherited from the caller
        where the module has none of its own); UNKNOWN when they are not constants."""
        providers = self._plan(node.root)["providers"]
        key = self.configuration(node).get("provider_config_key", "aws")
        while key in providers and "expressions" not in providers[key] and ":" in key:
            module, name = key.rsplit(":", 1)
            parent = module.rsplit(".module.", 1)[0] if ".module." in module else ""
            key = f"{parent}:{name}" if parent else name
        blocks = force_list(providers.get(key, {}).get("expressions", {}).get("default_tags") or [])
        tags = blocks[0].get("tags", {}) if blocks else {}
        return tags.get("constant_value", UNKNOWN) if tags else {}

    def _absolute(self, refs: list[str], calls: list[str], modules: list[dict[str, Any]]) -> list[str]:
        prefix = "".join(f"module.{c}." for c in calls)
        out: list[str] = []
        for ref in refs:
            if ref.startswith("var.") and calls:
                parent_call = modules[-2].get("module_calls", {}).get(calls[-1], {})
                expression = parent_call.get("expressions", {}).get(ref.split(".")[1], {})
                out += self._absolute(expression.get("references", []), calls[:-1], modules[:-1])
            elif _REF.fullmatch(ref):
                out.append(prefix + ref)
        return out

    def provider_of(self, node: Node) -> Node | None:
        wanted = str(node.conf.get("__provider_address__") or "aws.default")
        providers = [n for n in self.nodes if n.kind == "provider" and n.root == node.root and n.address == wanted]
        return next((p for p in providers if p.instance == node.instance), providers[0] if providers else None)


def _graph_attributes(graph: Any) -> Iterator[dict[str, Any]]:
    if graph is None:
        return
    try:
        nodes = graph.nodes(data=True)  # networkx
    except TypeError:
        nodes = graph.nodes()  # rustworkx
    for node in nodes:
        attrs = node[1] if isinstance(node, tuple) and len(node) == 2 else node
        if isinstance(attrs, dict):
            yield attrs


# ---------------------------------------------------------------------------------------------------------
# IAM documents, in every shape Terraform writes them, read with cloudsplaining
# ---------------------------------------------------------------------------------------------------------

_UNKNOWN_TEXT = "${unknown after apply}"
_FIELDS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


@dataclass
class Statement:
    """One IAM statement: cloudsplaining's reading of it, and what it left for us (principals, expressions)."""

    where: str
    json: dict[str, Any]

    @property
    def allows(self) -> bool:
        return str(self.json.get("Effect")).lower() != "deny"

    def values(self, key: str) -> list[Any]:
        return strings(self.json.get(key))

    @property
    def detail(self) -> StatementDetail | None:
        """cloudsplaining's StatementDetail (wildcards expanded), or None while an action is an expression."""
        if any(not isinstance(a, str) or is_expression(a) for a in self.values("Action") + self.values("NotAction")):
            return None
        return StatementDetail({**self.json, "Effect": "Deny" if not self.allows else "Allow"})

    def principals(self, key: str = "Principal") -> list[Any]:
        return (
            ResourceStatement({"Effect": "Allow", "Principal": self.json.get(key)}).principals
            if self.json.get(key)
            else []
        )


def policy(node: Node, key: str, value: Any = None, depth: int = 0) -> list[Statement] | Any:
    """The statements of the policy an attribute holds: JSON, jsonencode(), heredoc, replace() over a heredoc,
    an aws_iam_policy_document's json; UNKNOWN when it cannot be read here."""
    raw = one(node.conf.get(key) if value is None else value)
    if node.plan is not None and value is None and node.unknown(key):
        documents = [n for n in node.refs(key) if n.type == "aws_iam_policy_document"]
        return document(documents[0], depth + 1) if len(documents) == 1 and depth < 4 else UNKNOWN
    if node.plan is None and isinstance(raw, str) and _PLAIN_REF.fullmatch(raw.strip()):
        documents = [n for n in node.scope.resolve(node, raw.strip()) if n.type == "aws_iam_policy_document"]
        return document(documents[0], depth + 1) if len(documents) == 1 and depth < 4 else UNKNOWN
    if isinstance(raw, str):
        raw = _parse(raw, node.plan is None)
    items = raw.get("Statement", []) if isinstance(raw, dict) else None
    if items is None or isinstance(items, str) or not all(isinstance(s, dict) for s in force_list(items)):
        return UNKNOWN  # not a document, or Statement is an expression Checkov could not evaluate
    return [Statement(f"{key} statement {i}", s) for i, s in enumerate(force_list(items), 1)]


def _parse(text: str, hcl: bool) -> Any:
    """JSON text; in HCL also Checkov's rendering of jsonencode() (module outputs arrive with their quotes
    escaped) and of replace() over a heredoc template."""
    for candidate in (text, text.replace("\\'", "'")) if hcl else (text,):
        replaced = _REPLACE.match(candidate.strip())
        if replaced:
            candidate = replaced.group(1).replace(replaced.group(2), replaced.group(3))
        try:
            return json.loads(candidate)
        except ValueError:
            rendered = evaluate_terraform(candidate.strip()) if hcl else None
            if isinstance(rendered, dict):
                return rendered
    return UNKNOWN


def document(node: Node, depth: int = 0) -> list[Statement] | Any:
    """An aws_iam_policy_document as IAM statements (dynamic statements expanded), with the documents it
    merges in (source_policy_documents, override_policy_documents)."""
    blocks = node.blocks("statement")
    if blocks is UNKNOWN:
        return UNKNOWN
    out: list[Statement] = []
    for index, block in enumerate(blocks):
        effect = one(block.get("effect"))
        stmt: dict[str, Any] = {"Effect": "Allow" if effect is None else effect}
        for tf, iam in _FIELDS:
            unknown = node.plan is not None and node.unknown("statement", index, tf)
            values = [_UNKNOWN_TEXT] if unknown else [_UNKNOWN_TEXT if v is None else v for v in strings(block.get(tf))]
            if values:
                stmt[iam] = values
        for tf, iam in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            principal_blocks = expand_blocks(block, tf)
            if principal_blocks is UNKNOWN or (node.plan is not None and node.unknown("statement", index, tf)):
                stmt[iam] = {"AWS": [_UNKNOWN_TEXT]}
                continue
            for p in principal_blocks:
                stmt.setdefault(iam, {}).setdefault(str(one(p.get("type"))), []).extend(strings(p.get("identifiers")))
        if is_expression(stmt["Effect"]):
            stmt["Effect"] = _UNKNOWN_TEXT
        out.append(Statement(f"{node.rel} statement {index + 1}" + _sid(block), stmt))
    for key in ("source_policy_documents", "override_policy_documents"):
        for item in strings(node.conf.get(key)):
            nested = policy(node, key, item, depth + 1) if depth < 4 and item is not None else []
            if nested is UNKNOWN:
                return UNKNOWN
            out += nested
    return out


def _sid(block: dict[str, Any]) -> str:
    sid = one(block.get("sid"))
    return f" ({sid})" if isinstance(sid, str) and sid and not is_expression(sid) else ""


# ---------------------------------------------------------------------------------------------------------
# Checks: metadata, and the bridge to Checkov's check classes
# ---------------------------------------------------------------------------------------------------------


class Check:
    """A CKV_MC check: its metadata (the gate, the README index and SARIF rules derive from it) and judge().
    ``resources`` names data sources as ``data.<type>``; ``guideline`` is how to fix, shown by Checkov."""

    id: ClassVar[str]
    name: ClassVar[str]
    resources: ClassVar[tuple[str, ...]]
    rule: ClassVar[str]
    why: ClassVar[str]
    guideline: ClassVar[str]
    category: ClassVar[CheckCategories] = CheckCategories.GENERAL_SECURITY

    def judge(self, node: Node) -> Verdict:
        raise NotImplementedError


CHECKS: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Make ``cls`` a Checkov check (a resource check, and a data check for its data sources)."""
    CHECKS[cls.id] = cls
    judge = cls().judge
    kinds = (
        (_ResourceCheck, [r for r in cls.resources if not r.startswith("data.")]),
        (_DataCheck, [r.removeprefix("data.") for r in cls.resources if r.startswith("data.")]),
    )
    for kind, types in kinds:
        if types:
            kind(cls, types, judge)
    return cls


def _run(check: Any, conf: dict[str, Any], judge: Callable[[Node], Verdict]) -> CheckResult:
    try:
        if one(conf.get("count")) == 0:
            return UNDECIDED  # count evaluated to 0: the resource is not created
        scope = Scope.of(check.graph)
        node = scope.node_of(conf) or next((n for n in scope.nodes if n.conf == conf), None)
        if node is None:
            return UNDECIDED
        verdict = judge(node)
    except Exception as exc:  # a shape never seen: one log line, no verdict
        LOG.warning("%s could not judge %s: %s: %s", check.id, conf.get("__address__"), type(exc).__name__, exc)
        return UNDECIDED
    check.details = list(verdict.details)
    if verdict.result == UNDECIDED:
        LOG.info("%s left %s undecided: %s", check.id, conf.get("__address__"), "; ".join(verdict.details))
    return verdict.result


class _ResourceCheck(BaseResourceCheck):
    def __init__(self, cls: type[Check], types: list[str], judge: Callable[[Node], Verdict]) -> None:
        self.judge = judge
        super().__init__(cls.name, cls.id, (cls.category,), types, guideline=cls.guideline)

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return _run(self, conf, self.judge)


class _DataCheck(BaseDataCheck):
    def __init__(self, cls: type[Check], types: list[str], judge: Callable[[Node], Verdict]) -> None:
        self.judge = judge
        super().__init__(cls.name, cls.id, (cls.category,), types, guideline=cls.guideline)

    def scan_data_conf(self, conf: dict[str, Any]) -> CheckResult:
        return _run(self, conf, self.judge)


def setting(name: str, default: str) -> list[str]:
    """A comma-separated setting from the environment (read when the checks run)."""
    return [v.strip() for v in (os.environ.get(name) or default).split(",") if v.strip()]
