"""Everything the CKV_MC checks take from Checkov, in one module; the checks import nothing else.

Checkov's check classes and type_forcers are public; what the checks also need is not: the graph a check is
handed (the rest of its configuration), the renderer's evaluate_terraform, the plan runner's shapes, and
cloudsplaining (shipped with Checkov) for IAM statements. SUPPORTED_CHECKOV is the range this module is written
for; tests/unit/policies/test_adapter.py fails outside it.

UNKNOWN is what a scan cannot know: in HCL what Checkov could not evaluate (it stays an expression), in a plan
what is known only after apply (after_unknown). A check that meets one answers UNKNOWN, which Checkov leaves out
of its report (the gate fails what stays undecided). Checks never raise: Checkov would drop the result.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from checkov.common.graph.graph_builder import CustomAttributes as Attr
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.common.util.type_forcers import convert_str_to_bool, force_list
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from checkov.terraform.graph_builder.variable_rendering.evaluate_terraform import evaluate_terraform
from checkov.terraform.parser_functions import handle_dynamic_values
from checkov.terraform_json import runner as json_runner
from cloudsplaining.scan.resource_policy_document import ResourceStatement
from cloudsplaining.scan.statement_detail import StatementDetail

__all__ = ["CheckCategories"]
SUPPORTED_CHECKOV = ("3.3.30", "3.4")  # at least the first, below the second
LOG = logging.getLogger("ckv_mc")
UNKNOWN: Any = type("Unknown", (), {"__repr__": lambda self: "UNKNOWN"})()  # not known here
_EXPRESSION = re.compile(
    r"\$\{|^\s*[\[{]|\s\?\s|^\s*(?:var|local|module|each|count|self|path|terraform)\.\w|^\s*[a-z]\w*\("
    r"|^\s*data\.[a-z][a-z0-9]*_[a-z0-9_]+\."  # a data source (data.aws_x.y), not a literal such as "data.platform"
    r"|^\s*[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?(?:\.|$)|^\s*\w+\.(?:key|value)\b"
)
_REF = re.compile(r"(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?")
# In JSON text: a variable, local or iterator reference Checkov left unevaluated.
_UNEVALUATED = re.compile(r'"(?:\$\{)?(?:(?:var|local|each|count)\.\w|\w+\.(?:key|value)\b)')
_REPLACE = re.compile(r'^\$\{replace\("(.*)","([^"]+)",(.+)\)\}$', re.DOTALL)  # Checkov's rendering of replace()
_META = re.compile(r"^__|^(?:start|end)_line$|^references_$")
_UNKNOWN_TEXT = "${unknown after apply}"
_MARKS = ("__startline__", "__endline__")  # lines as Checkov's Terraform JSON parser marks them
_WORST = (CheckResult.FAILED, CheckResult.UNKNOWN, CheckResult.PASSED)
_LISTS = {"actions": "Action", "not_actions": "NotAction", "resources": "Resource", "not_resources": "NotResource"}


def is_expression(value: Any) -> bool:
    # {}: Checkov's rendering of try() over an attribute a variable lacks (try(var.x.y, "*")), not its fallback.
    return value is UNKNOWN or value == {} or (isinstance(value, str) and bool(_EXPRESSION.search(value)))


def one(value: Any) -> Any:
    """The value inside Checkov's list wrapping (``[["x"]]`` -> ``"x"``)."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def strings(value: Any) -> list[Any]:
    """A list-ish attribute as a flat list (absent: empty)."""
    items = [] if one(value) in (None, []) else force_list(one(value))
    return [i for item in items for i in (strings(item) if isinstance(item, list) else [item])]


def as_bool(value: Any) -> bool | None:
    """True/False for literal booleans (also "true"/"false"); None when not a literal."""
    value = convert_str_to_bool(one(value))
    return value if isinstance(value, bool) else None


def setting(name: str, default: str) -> list[str]:
    """A comma-separated setting from the environment, read when the checks run."""
    return [v.strip() for v in (os.environ.get(name) or default).split(",") if v.strip()]


Verdict = tuple[CheckResult, tuple[str, ...]]


def passed(*details: str) -> Verdict:
    return CheckResult.PASSED, details


def failed(*details: str) -> Verdict:
    return CheckResult.FAILED, details


def undecided(*details: str) -> Verdict:
    return CheckResult.UNKNOWN, details


def _unindexed(address: str) -> str:
    return re.sub(r"\[[^\]]*\]$", "", address)


def _items(mapping: Any) -> list[tuple[str, Any]]:
    return [(str(k), one(v)) for k, v in (mapping.items() if isinstance(mapping, dict) else ()) if not _META.match(k)]


@dataclass(eq=False)
class Node:
    """A resource, data source or provider of the scanned configuration."""

    kind: str  # resource, data, provider
    type: str
    address: str  # as the plan spells it (module.a.aws_x.y[0], data sources with data.)
    rel: str  # the address inside its module instance
    conf: dict[str, Any]
    root: str  # the root configuration: its directory (HCL) or the plan file
    instance: str  # the module instance: "module.a.module.b" (plan) or Checkov's module chain (HCL)
    scope: Scope
    plan: dict[str, Any] | None = None  # plan scans: the resource's entry in resource_changes
    written: Any = None  # HCL: its dynamic blocks as written, for_each evaluated (see expand_blocks)
    crumbs: Any = None  # HCL: Checkov's rendering breadcrumbs, by attribute (where each value came from)
    file: str = ""

    def marks(self, *path: Any) -> Any:
        """Plan: the after_unknown marks at ``path`` (True: known only after apply)."""
        marks: Any = (self.plan or {}).get("change", {}).get("after_unknown") or {}
        for step in path:
            if isinstance(marks, dict) or (isinstance(marks, list) and isinstance(step, int) and step < len(marks)):
                marks = marks.get(step) if isinstance(marks, dict) else marks[step]
            elif marks is not True:
                return None
        return marks

    def unknown(self, *path: Any, whole: bool = False) -> bool:
        """Plan: whether the value at ``path`` (``whole``: all of it) is known only after apply. What the
        configuration does not set is the provider's default, not unknown (so a dynamic block over a value
        unknown at plan time reads as absent: plans do not record dynamic blocks)."""
        expressions = self.scope.configuration(self).get("expressions") if self.plan is not None else {}
        if self.plan is None or (path and expressions is not None and path[0] not in expressions):
            return False
        marks = self.marks(*path)
        return marks is True or (not whole and isinstance(marks, (dict, list)) and "true" in json.dumps(marks))

    def get(self, key: str) -> Any:
        """An attribute's value: None when absent (or the provider's default), UNKNOWN when not known here. In HCL
        a value set but rendered as null is not known: Checkov renders some expressions it cannot evaluate so
        (`each.value.env == "prod"` under for_each), and a literal null cannot be told from them."""
        raw = self.conf.get(key)
        value = one(raw)
        if self.unknown(key) or (self.plan is None and (is_expression(value) or (raw is not None and value is None))):
            return UNKNOWN
        if self.plan is None and self.shared_output(key):
            return UNKNOWN
        return None if self.plan is not None and self.marks(key) is True else value

    def shared_output(self, key: str) -> bool:
        """HCL: whether the value came through an output of a module called more than once (or with count or
        for_each): Checkov renders `module.a.x` with one instance's value for all of them, not always a's."""
        outputs = [c["path"] for c in (self.crumbs or {}).get(key, []) if c.get("type") == "output"]
        calls = {p: {n.instance for n in self.scope.nodes if n.file == p and n.root == self.root} for p in outputs}
        return any(p != self.file and len(instances) > 1 for p, instances in calls.items())

    def blocks(self, name: str) -> list[dict[str, Any]] | Any:
        """Nested blocks, dynamic ones expanded; UNKNOWN when they are not known here."""
        if self.unknown(name, whole=True):
            return UNKNOWN
        if self.plan is not None and self.marks(name) is True:
            return []
        return expand_blocks(self.conf, name, self.written)

    def switch(self, key: str) -> bool | None:
        """A boolean attribute: its value (absent: False, the provider's default), None when not known here."""
        value = self.get(key)
        return False if value is None else (None if value is UNKNOWN else as_bool(value))

    def replica_switches(self, key: str) -> list[tuple[str, bool | None]]:
        """Each ``replica`` block's boolean ``key`` by where it is ("replica eu-west-1"): absent is False (the
        provider's default for a replica), None is not known here; one ("replica", None) when the replicas are not
        known."""
        replicas = self.blocks("replica")
        if replicas is UNKNOWN:
            return [("replica", None)]
        found = []
        for i, replica in enumerate(replicas):
            value = one(replica.get(key))
            known = not self.unknown("replica", i, key) and (value is None or as_bool(value) is not None)
            found.append(
                (f"replica {one(replica.get('region_name')) or i + 1}", bool(as_bool(value)) if known else None)
            )
        return found

    def refs(self, key: str | None) -> list[Node]:
        """What an attribute refers to: from the plan's configuration (through module inputs; ``key`` None: any
        expression of the resource's), or in HCL from the reference text Checkov left in the value."""
        if self.plan is not None:
            by_address, addresses = self.scope.addresses(self.root), self.scope.plan_references(self, key)
            # Terraform lists `x.y` beside `x.y["k"]`: the indexed reference names one instance, not every one.
            addresses = [a for a in addresses if not any(b.startswith(f"{a}[") for b in addresses)]
            # `x.y[each.key]` (or `[count.index]`): Terraform lists `x.y` and `each.key`, and means the instance of
            # this one's key.
            own = (self.scope.configuration(self).get("expressions", {}).get(key) or {}).get("references", [])
            index = re.search(r"\[[^\]]*\]$", self.address)
            if index and len(addresses) == len([r for r in own if _REF.fullmatch(r)]) == 1:
                same = addresses[0] + index.group(0)
                by_key = {"each.key", "count.index"} & set(own) and same in by_address
                addresses = [same] if by_key else addresses
            found = [n for a in addresses for n in by_address.get(a, [])]
        else:
            texts = [i for i in strings(self.conf.get(key or "")) if isinstance(i, str)]
            found = [n for text in texts for r in _REF.findall(text) for n in self.scope.resolve(self, r)]
        return list(dict.fromkeys(found))

    def related(self, rtype: str | None = None) -> list[Node]:
        """The nodes of this root configuration (of one type) that have instances: in HCL a declaration with
        `count = 0`, or with a for_each Checkov evaluated to nothing, has none (a plan has no such node)."""
        key = ("related", self.root, rtype)
        if key not in self.scope.memo:  # asked for each reference of each resource: once per scan instead
            nodes = [n for n in self.scope.nodes if n.root == self.root and rtype in (None, n.type)]
            self.scope.memo[key] = [n for n in nodes if not n.without_instances()]
        return self.scope.memo[key]

    def without_instances(self) -> bool:
        count, each = one(self.conf.get("count")), one(self.conf.get("for_each"))
        if count == 0 or (isinstance(each, list | set | frozenset | dict) and not each and "for_each" in self.conf):
            return True
        if each in ("set()", "[set()]"):  # Checkov's text for an empty set it evaluated
            return True
        # for_each over another declaration (a policy per scalable target) has that one's instances.
        over = self.refs("for_each") if isinstance(each, str) else []
        return bool(over) and all(n.without_instances() for n in over if n is not self)

    def tags(self) -> dict[str, Any] | Any:
        """The tags AWS will see ({key: value or UNKNOWN}): the plan's tags_all (when unknown: the own tags
        over the provider's default_tags the plan records), or in HCL the own tags over the default_tags. A null
        tag value sets nothing: the provider drops it, so a default tag of that key stays (as tags_all shows); in HCL,
        on a for_each or count instance, it is unknown: Checkov renders an each.value attribute it does not find (an
        optional() default) as null."""
        if self.plan is None:
            instance = self.rel.endswith("]")
            provider = self.scope.provider_of(self)
            defaults = one(provider.conf.get("default_tags")) if provider is not None else None
            maps = [one(defaults.get("tags")) if isinstance(defaults, dict) else None, one(self.conf.get("tags"))]
            if any(m is not None and not isinstance(m, dict) for m in maps):
                return UNKNOWN
            given = [(k, v) for m in maps for k, v in _items(m) if v is not None or instance]
            return {k: UNKNOWN if is_expression(v) or v is None else v for k, v in given}
        if self.marks("tags") is True:
            return UNKNOWN
        if self.marks("tags_all") is not True:
            marks = self.marks("tags_all") or {}
            return {k: UNKNOWN if marks.get(k) is True else v for k, v in _items(one(self.conf.get("tags_all")))}
        defaults = self.scope.plan_default_tags(self)
        own = {k: UNKNOWN if self.marks("tags", k) is True else v for k, v in _items(one(self.conf.get("tags")))}
        return UNKNOWN if defaults is UNKNOWN else {**defaults, **own}


def expand_blocks(conf: dict[str, Any], name: str, written: Any = None) -> list[dict[str, Any]] | Any:
    """Blocks ``name``: the literal ones, and each ``dynamic`` one expanded over its for_each. ``written``: the
    dynamic blocks as written, with the for_each Checkov evaluated (the graph's attributes, HCL). Checkov's own
    expansion in ``conf`` is used only without them: it makes one block of an empty collection, and takes a
    condition it cannot evaluate as true."""
    found = [b for b in force_list(conf.get(name) or []) if b not in ([], None)]
    if not all(isinstance(b, dict) for b in found):
        return UNKNOWN  # an expression where blocks belong (`statement = flatten(var.x, [])`)
    specs = [one(d[name]) for d in force_list(conf.get("dynamic") or []) if isinstance(d, dict) and name in d]
    unexpanded = [s for s in specs if isinstance(s, dict) and "content" in s]
    if written is not None and specs:
        made = [b for s in specs for b in force_list(s["content"] if s in unexpanded else s)]
        found = [b for b in found if b not in made]
        unexpanded = [d[name] for d in force_list(written) if isinstance(d, dict) and isinstance(d.get(name), dict)]
    else:  # Checkov copies an unexpanded block's content in as one block, which is not there
        found = [b for b in found if not any(b in force_list(s["content"]) for s in unexpanded)]
    for spec in unexpanded:
        prefix, items = f"{one(spec.get('iterator')) or name}.", spec.get("for_each")
        items = items if written is not None else one(items)
        items = [items] if isinstance(items, (str, int, float)) and not is_expression(items) else items  # ["x"]
        items = {v: v for v in sorted(items, key=str)} if isinstance(items, (set, frozenset)) else items  # key = value
        pairs = list(items.items()) if isinstance(items, dict) else list(enumerate(items or []))
        evaluated = isinstance(items, (dict, list)) and not _UNEVALUATED.search(json.dumps(items, default=str))
        if not evaluated or any(is_expression(v) for _, v in pairs):
            return UNKNOWN
        found += [_substitute(body, prefix, pair) for pair in pairs for body in force_list(spec["content"])]
    return found


def _substitute(value: Any, prefix: str, pair: tuple[Any, Any]) -> Any:
    if isinstance(value, list):
        return [_substitute(v, prefix, pair) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, prefix, pair) for k, v in value.items()}
    if isinstance(value, str) and value.startswith(f"{prefix}value.") and isinstance(pair[1], dict):
        return pair[1].get(value.removeprefix(f"{prefix}value."), value)  # an attribute of an object item
    return {f"{prefix}key": pair[0], f"{prefix}value": pair[1]}.get(value, value) if isinstance(value, str) else value


@dataclass
class Scope:
    """Every resource, data source and provider of one Checkov graph (one scan), built once per scan."""

    nodes: list[Node] = field(default_factory=list)
    by_conf: dict[int, Node] = field(default_factory=dict)
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    memo: dict[Any, Any] = field(default_factory=dict)
    last: ClassVar[tuple[Any, Scope] | None] = None

    @classmethod
    def of(cls, graph: Any) -> Scope:
        if cls.last is None or cls.last[0] is not graph:
            scope = cls()
            try:
                vertices = graph.nodes(data=True)  # networkx
            except TypeError:
                vertices = graph.nodes()  # rustworkx
            for vertex in vertices if graph is not None else []:
                node = scope._node(vertex[1] if isinstance(vertex, tuple) else vertex)
                if node is not None:
                    scope.nodes.append(node)
                    scope.by_conf[id(node.conf)] = node
            cls.last = (graph, scope)
        return cls.last[1]

    def _node(self, attrs: Any) -> Node | None:
        kind, config = (attrs.get(Attr.BLOCK_TYPE), attrs.get(Attr.CONFIG)) if isinstance(attrs, dict) else (None, None)
        if kind not in ("resource", "data", "provider") or not isinstance(config, dict) or not config:
            return None
        rtype, body = next(iter(config.items()))
        conf = next(iter(body.values()), None) if kind != "provider" and isinstance(body, dict) else body
        file = str(attrs.get(Attr.FILE_PATH) or "")
        address = str(attrs.get(Attr.TF_RESOURCE_ADDRESS) or attrs.get(Attr.BLOCK_NAME) or "")
        prefix = re.match(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*", address).group(0)  # type: ignore[union-attr]
        rel = address[len(prefix) :]
        rel = f"data.{rel}" if kind == "data" and not rel.startswith("data.") else rel  # HCL omits data.
        if not isinstance(conf, dict):
            return None
        if file.endswith(".tf.json") and kind == "resource":
            handle_dynamic_values(conf)  # what Checkov does in place to an HCL resource's configuration
        if file.endswith(".json") and not file.endswith(".tf.json"):  # a plan
            change = self._plan(file).get(prefix + rel, {}) if kind != "provider" else {}
            return Node(kind, rtype, prefix + rel, rel, conf, file, prefix.rstrip("."), self, change)
        chain: list[tuple[Any, Any, Any]] = []
        module = attrs.get(Attr.SOURCE_MODULE_OBJECT)
        while module is not None and getattr(module, "name", None) is not None:
            chain.insert(0, (module.name, module.foreach_idx, module.path))
            module = module.nested_tf_module
        root = os.path.dirname(chain[0][2]) if chain else os.path.dirname(file)
        instance = "/".join(f"{n}[{i}]" for n, i, _ in chain)
        crumbs = {"written": attrs.get("dynamic"), "crumbs": attrs.get(Attr.RENDERING_BREADCRUMBS), "file": file}
        return Node(kind, rtype, prefix + rel, rel, conf, root, instance, self, **crumbs)

    def _plan(self, file: str) -> dict[str, Any]:
        if file not in self.plans:
            with open(file, encoding="utf-8") as handle:
                plan = json.load(handle)
            self.plans[file] = {c["address"]: c for c in plan.get("resource_changes", [])}
            self.plans[file][""] = plan.get("configuration", {})
        return self.plans[file]

    def addresses(self, root: str) -> dict[str, list[Node]]:
        """Plan: the nodes of a root by address, indexed resources also under their address without index."""
        if ("addresses", root) not in self.memo:
            index: dict[str, list[Node]] = {}
            for node in self.nodes:
                if node.root == root:
                    for address in dict.fromkeys((node.address, _unindexed(node.address))):
                        index.setdefault(address, []).append(node)
            self.memo[("addresses", root)] = index
        return self.memo[("addresses", root)]

    def resolve(self, origin: Node, ref: str) -> list[Node]:
        """HCL: the nodes a reference made in ``origin`` names. Module inputs arrive rendered with the
        caller's text, so enclosing module instances are searched too, innermost first; module outputs with
        the module's, so then the other modules (below, or a sibling whose output the caller passed in), when
        one module call holds the reference."""
        nodes = [n for n in self.nodes if n.root == origin.root and n.kind != "provider"]
        instance = origin.instance
        while True:
            same = [n for n in nodes if n.instance == instance]
            hits = [n for n in same if n.rel == ref] or [n for n in same if _unindexed(n.rel) == _unindexed(ref)]
            if hits:
                return hits
            if not instance:
                break
            instance = instance.rsplit("/", 1)[0] if "/" in instance else ""
        others = [n for n in nodes if n.instance != origin.instance and _unindexed(n.rel) == _unindexed(ref)]
        return others if len({re.sub(r"\[[^\]]*\]", "", n.instance) for n in others}) == 1 else []

    def _module(self, root: str, calls: list[str]) -> dict[str, Any]:
        """Plan: the configuration of the module reached from the root through ``calls``."""
        module = self._plan(root)[""].get("root_module", {})
        for call in calls:
            module = module.get("module_calls", {}).get(call, {}).get("module", {})
        return module

    def configuration(self, node: Node) -> dict[str, Any]:
        """Plan: a planned resource's configuration block (its expressions, its provider)."""
        if ("configuration", id(node)) not in self.memo:
            rel = re.sub(r"\[[^\]]*\]", "", node.rel)
            module = self._module(node.root, re.findall(r"module\.([^.\[]+)", node.instance))
            found = (r for r in module.get("resources", []) if r.get("address") == rel)
            self.memo[("configuration", id(node))] = next(found, {})
        return self.memo[("configuration", id(node))]

    def plan_references(self, origin: Node, key: str | None) -> list[str]:
        """Plan: the addresses an attribute's expression refers to (``key`` None: any of the resource's, nested
        blocks included); a module input is followed to the caller's expression for it, a module output into
        the module to the output's expression."""
        expressions = self.configuration(origin).get("expressions", {})
        refs = _references(expressions) if key is None else (expressions.get(key) or {}).get("references", [])
        pending = [(ref, re.findall(r"module\.([^.\[]+)", origin.instance)) for ref in refs]
        out: list[str] = []
        while pending:
            ref, calls = pending.pop(0)
            output = re.fullmatch(r"module\.([^.\[]+)\.([^.\[]+)", ref)
            if ref.startswith("var.") and calls:
                call = self._module(origin.root, calls[:-1]).get("module_calls", {}).get(calls[-1], {})
                found = (call.get("expressions", {}).get(ref.split(".")[1]) or {}).get("references", [])
                pending = [(r, calls[:-1]) for r in found] + pending
            elif output:
                child = self._module(origin.root, [*calls, output[1]])
                found = ((child.get("outputs", {}).get(output[2]) or {}).get("expression") or {}).get("references", [])
                pending = [(r, [*calls, output[1]]) for r in found] + pending
            elif _REF.fullmatch(ref):
                out.append("".join(f"module.{c}." for c in calls) + ref)
        return out

    def plan_default_tags(self, node: Node) -> dict[str, Any] | Any:
        """Plan: the default_tags of the provider configuration a resource uses (inherited from the caller
        where a module has none of its own); UNKNOWN when they are not constants."""
        providers = self._plan(node.root)[""].get("provider_config", {})
        key = self.configuration(node).get("provider_config_key", "aws")
        while key in providers and "expressions" not in providers[key] and ":" in key:
            module, name = key.rsplit(":", 1)
            key = f"{module.rsplit('.module.', 1)[0]}:{name}" if ".module." in module else name
        blocks = force_list(providers.get(key, {}).get("expressions", {}).get("default_tags") or [])
        tags = blocks[0].get("tags", {}) if blocks else {}
        return tags.get("constant_value", UNKNOWN) if tags else {}

    def provider_of(self, node: Node) -> Node | None:
        wanted = str(node.conf.get("__provider_address__") or "aws.default")
        providers = [n for n in self.nodes if n.kind == "provider" and n.root == node.root and n.address == wanted]
        return next((p for p in providers if p.instance == node.instance), providers[0] if providers else None)


@dataclass
class Statement:
    """One IAM statement (JSON); cloudsplaining reads its actions and principals."""

    where: str
    json: dict[str, Any]

    @property
    def allows(self) -> bool:
        return str(self.json.get("Effect")).lower() != "deny"

    def values(self, key: str) -> list[Any]:
        return strings(self.json.get(key))

    @property
    def detail(self) -> StatementDetail | None:
        """cloudsplaining's reading (wildcards expanded), or None while an action is not known here."""
        if any(not isinstance(a, str) or is_expression(a) for a in self.values("Action") + self.values("NotAction")):
            return None
        # cloudsplaining reads a NotAction statement's services from its resource ARNs and raises on one not known
        # here (a reference, an expression): read that as "*", every service, which only widens a NotAction.
        resources: dict[str, list[Any]] = {
            key: [r if isinstance(r, str) and (r == "*" or r.startswith("arn:")) else "*" for r in self.values(key)]
            for key in ("Resource", "NotResource")
            if key in self.json
        }
        return StatementDetail({**self.json, **resources, "Effect": "Allow" if self.allows else "Deny"})

    def principals(self, key: str = "Principal") -> list[Any]:
        """Every principal the statement names: cloudsplaining's reading (AWS, Federated, Service), plus
        CanonicalUser, the one type of IAM's Principal element it leaves out."""
        principal = self.json.get(key)
        if not principal:
            return []
        canonical = strings(principal.get("CanonicalUser")) if isinstance(principal, dict) else []
        return ResourceStatement({"Effect": "Allow", "Principal": principal}).principals + canonical


def policy(node: Node, key: str, value: Any = None, depth: int = 0) -> list[Statement] | Any:
    """The statements of the policy an attribute holds: JSON, jsonencode(), heredoc, replace() over a
    heredoc, an aws_iam_policy_document's json; UNKNOWN when it cannot be read here."""
    raw = one(node.conf.get(key) if value is None else value)
    if value is None and node.plan is None and node.shared_output(key):
        return UNKNOWN
    ref = raw.strip().rsplit(".", 1)[0] if node.plan is None and isinstance(raw, str) else ""
    if (value is None and node.unknown(key)) or _REF.fullmatch(ref):
        found = node.refs(key) if value is None else node.scope.resolve(node, ref)
        documents = [n for n in found if n.type == "aws_iam_policy_document"]
        return document(documents[0], depth + 1) if len(documents) == 1 and depth < 4 else UNKNOWN
    raw = _parse(raw, node.plan is None) if isinstance(raw, str) else raw
    items = raw.get("Statement", []) if isinstance(raw, dict) else None
    if items is None or isinstance(items, str) or not all(isinstance(s, dict) for s in force_list(items)):
        return UNKNOWN  # not a document, or Statement is an expression Checkov could not evaluate
    return [Statement(f"{key} statement {i}", s) for i, s in enumerate(force_list(items), 1)]


def _parse(text: str, hcl: bool) -> Any:
    """JSON text; in HCL also Checkov's rendering of jsonencode() (a module output's quotes arrive escaped)
    and of replace() over a heredoc."""
    for candidate in [text, text.replace("\\'", "'")] if hcl else [text]:
        if replaced := _REPLACE.match(candidate.strip()):
            candidate = replaced.group(1).replace(replaced.group(2), replaced.group(3))
        try:
            return json.loads(candidate)
        except ValueError:
            rendered = evaluate_terraform(candidate.strip()) if hcl else None
            if isinstance(rendered, dict):
                return rendered
    return UNKNOWN


def document(node: Node, depth: int = 0) -> list[Statement] | Any:
    """An aws_iam_policy_document as IAM statements, merged as the provider merges: the source documents, then
    its own statements, then the override documents; a statement replaces the one before it with its Sid."""
    blocks, own = node.blocks("statement"), []
    if blocks is UNKNOWN:
        return UNKNOWN
    for index, block in enumerate(blocks):
        stmt: dict[str, Any] = {"Effect": one(block.get("effect")) or "Allow"}
        for tf, iam in _LISTS.items():
            values = [_UNKNOWN_TEXT] if node.unknown("statement", index, tf) else strings(block.get(tf))
            stmt.update({iam: [_UNKNOWN_TEXT if v is None else v for v in values]} if values else {})
        for tf, iam in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            principals = UNKNOWN if node.unknown("statement", index, tf) else expand_blocks(block, tf)
            # Not known: neither its type nor its identifiers, so read as a service not known here (CKV_MC_3 takes
            # an AWS, Federated or CanonicalUser principal for one that is surely no service).
            for p in [{"type": "Service", "identifiers": _UNKNOWN_TEXT}] if principals is UNKNOWN else principals:
                stmt.setdefault(iam, {}).setdefault(str(one(p.get("type"))), []).extend(strings(p.get("identifiers")))
            if "*" in stmt.get(iam, {}):  # type "*" renders as "Principal": "*"
                stmt[iam] = "*"
        sid = one(block.get("sid"))
        stmt.update({"Sid": sid} if isinstance(sid, str) and sid and not is_expression(sid) else {})
        own.append(Statement(f"{node.rel} statement {index + 1}" + (f" ({sid})" if isinstance(sid, str) else ""), stmt))
    parts: dict[str, list[Statement]] = {}
    for key in ("source_policy_documents", "override_policy_documents"):
        items = [] if depth > 4 else strings(node.conf.get(key))
        found = [policy(node, key, item, depth + 1) for item in items if node.plan is None or not is_expression(item)]
        if node.plan is not None and node.unknown(key) and depth <= 4:
            # Known only after apply (a document naming the table ARN): the documents the plan references.
            documents = [n for n in node.refs(key) if n.type == "aws_iam_policy_document"]
            found = [*(document(d, depth + 1) for d in documents), *found] if documents else [UNKNOWN]
        for nested in found:
            if nested is UNKNOWN:
                return UNKNOWN
            parts.setdefault(key, []).extend(nested)
    merged: dict[Any, Statement] = {}  # a later statement with a Sid takes the earlier one's place
    for i, s in enumerate(
        [*parts.get("source_policy_documents", []), *own, *parts.get("override_policy_documents", [])]
    ):
        sid = s.json.get("Sid")
        merged[sid if isinstance(sid, str) and sid else i] = s
    return list(merged.values())


def _references(value: Any) -> list[str]:
    """Every address a plan's expression tree lists as referenced, nested blocks included."""
    if isinstance(value, list):
        return [r for item in value for r in _references(item)]
    if not isinstance(value, dict):
        return []
    return [*value.get("references", []), *(r for k, v in value.items() if k != "references" for r in _references(v))]


def _unmarked(value: Any) -> Any:
    if isinstance(value, list):
        return [_unmarked(v) for v in value]
    found = {k: _unmarked(v) for k, v in value.items() if k not in _MARKS} if isinstance(value, dict) else value
    if isinstance(found, dict) and isinstance(found.get("dynamic"), list):  # {"ttl": [spec]}: HCL has the spec
        found["dynamic"] = [{k: one(v) for k, v in d.items()} if isinstance(d, dict) else d for d in found["dynamic"]]
    return found


def _bodies(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict) and _MARKS[0] in value:
        return [value]
    return [b for item in (value.values() if isinstance(value, dict) else force_list(value)) for b in _bodies(item)]


def _json_definitions(*args: Any) -> Any:
    """Terraform JSON in the shapes Checkov's graph takes from its HCL parser, which marks lines only on a
    block's top level, and a provider's as hcl2 names them: else the graph leaves providers out, and Checkov's
    expansion of a dynamic block raises on the marks in it."""
    definitions, raw, errors = _UNPATCHED["definitions"](*args)
    for block_type, blocks in (item for conf in definitions.values() for item in conf.items()):
        for body in _bodies(blocks):
            body.update({k: _unmarked(v) for k, v in body.items() if k not in _MARKS})
            lines = {"__start_line__": body[_MARKS[0]], "__end_line__": body[_MARKS[1]]}
            body.update(lines if block_type == "provider" else {})
    return definitions, raw, errors


def _json_checks(runner: Any, *args: Any, **kwargs: Any) -> Any:
    """Checkov's runner of Terraform JSON (`*.tf.json`, as CDKTF writes it) builds a graph but hands its checks
    none: without it they cannot see the rest of the configuration (providers, roles, autoscaling)."""
    for registry in runner.block_type_registries.values():
        registry.graph = runner.graph_manager.db_connector.graph
    return _UNPATCHED["checks"](runner, *args, **kwargs)


# Each Checkov run loads this module again: patch the originals once.
_UNPATCHED = vars(json_runner).setdefault(
    "ckv_mc_unpatched",
    {"definitions": json_runner.create_definitions, "checks": json_runner.TerraformJsonRunner.add_python_check_results},
)
json_runner.create_definitions, json_runner.TerraformJsonRunner.add_python_check_results = (
    _json_definitions,
    _json_checks,
)


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
    """Make ``cls`` a Checkov check: a resource check, and a data check for its data sources."""
    CHECKS[cls.id] = cls
    judge = cls().judge

    def scan(check: Any, conf: dict[str, Any]) -> CheckResult:
        # Terraform JSON: Checkov hands the check a copy of the graph's configuration, once per declaration; its
        # file, type and name (a root's files declare each address once) find the nodes, one per instance.
        where, rtype, name = [*str(getattr(check, "entity_path", "")).rsplit(":", 2), "", ""][:3]
        folder, address = os.path.dirname(where).rstrip("/") + "/", conf.get("__address__") or f"{rtype}.{name}"
        try:  # Checkov's base classes already answered UNKNOWN for `count = 0`
            scope = Scope.of(check.graph)
            node = scope.by_conf.get(id(conf)) or next((n for n in scope.nodes if n.conf == conf), None)
            placed = (n for n in scope.nodes if n.type == rtype and _unindexed(n.rel).endswith(f".{name}"))
            nodes = [node] if node else [n for n in placed if n.kind != "provider" and f"{n.root}/".endswith(folder)]
            verdicts: list[tuple[Node | None, Verdict]] = [(n, judge(n)) for n in nodes]
            verdicts = verdicts or [(None, undecided("not in Checkov's graph"))]
            result, details = min((v for _, v in verdicts), key=lambda v: _WORST.index(v[0]))  # the declaration's
            if len(nodes) > 1:
                details = tuple(f"{n.address}: {d}" for n, (r, ds) in verdicts if n and r == result for d in ds)
        except Exception as exc:  # a shape never seen: one log line, no verdict
            LOG.warning("%s could not judge %s: %s: %s", cls.id, address, type(exc).__name__, exc)
            return CheckResult.UNKNOWN
        check.details = list(details)
        if result == CheckResult.UNKNOWN:
            LOG.info("%s left %s undecided: %s", cls.id, address, "; ".join(details))
        return result

    types = [r for r in cls.resources if not r.startswith("data.")]
    data = [r.removeprefix("data.") for r in cls.resources if r.startswith("data.")]
    for base, entities, method in (
        (BaseResourceCheck, types, "scan_resource_conf"),
        (BaseDataCheck, data, "scan_data_conf"),
    ):
        if entities:
            type(f"{cls.__name__}{base.__name__}", (base,), {method: scan})(
                cls.name, cls.id, (cls.category,), entities, guideline=cls.guideline
            )
    return cls
