"""The OpenAPI document as a test oracle: loads openapi.yaml, follows its
$refs, and checks real responses (status, headers, body) against what it
documents for an operation, recording which (path, method, status) triples
were seen so a suite can fail on documented-but-never-observed ones.

Used by test_contract.py (and test_docs.py for the operation list). Needs
Debian's python3-yaml and python3-jsonschema (Draft 2020-12, as OpenAPI 3.1
uses).
"""
import gzip
import json
import os
import re

import jsonschema
import yaml

from harness import SRC

OPENAPI = os.path.join(SRC, "openapi.yaml")
ROUTER = os.path.join(SRC, "src", "api", "router.c")
METHODS = ("get", "head", "options")
# The pseudo-method under which a path documents its 405 (x-method-not-allowed).
NOT_ALLOWED = "x-method-not-allowed"

# Headers every HTTP response may carry that describe the message rather
# than the resource; the document's `content` keys cover Content-Type.
TRANSPORT = {"date", "content-length", "content-type", "transfer-encoding", "keep-alive"}


def load_doc():
    with open(OPENAPI, encoding="utf-8") as f:
        return yaml.safe_load(f)


DOC = load_doc()
RESOLVER = jsonschema.RefResolver(base_uri="", referrer=DOC)


def pointer(ref):
    assert ref.startswith("#/"), "only local $refs are used: " + ref
    node = DOC
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def deref(node):
    """Follows $ref chains of a parameter/response/header/example object."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        node = pointer(node["$ref"])
        seen += 1
        assert seen < 20, "$ref loop"
    return node


def validator(schema):
    return jsonschema.Draft202012Validator(schema, resolver=RESOLVER)


def validate(instance, schema, what):
    errors = sorted(validator(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        loc = "/".join(str(p) for p in e.absolute_path)
        raise AssertionError(f"{what}: {len(errors)} schema error(s); first at /{loc}: {e.message[:400]}")


def operations():
    """[(path, method, operation)] for every documented GET/HEAD/OPTIONS."""
    ops = []
    for path, item in DOC["paths"].items():
        for m in METHODS:
            if m in item:
                ops.append((path, m, item[m]))
    return ops


def documented_triples():
    out = set()
    for path, m, op in operations():
        for st in op["responses"]:
            out.add((path, m, st))
    for path, item in DOC["paths"].items():
        if NOT_ALLOWED in item:
            out.add((path, NOT_ALLOWED, "405"))
    return out


def op_parameters(path, method):
    """Parameters of an operation, path-level ones included, by (in, name)."""
    item = DOC["paths"][path]
    params = {}
    for p in item.get("parameters", []) + item[method].get("parameters", []):
        p = deref(p)
        params[(p["in"], p["name"])] = p
    return params


def router_rows():
    """[(pattern, params)] from the route table in src/api/router.c, with
    the LIST macro expanded; "name*" marks a repeatable parameter."""
    src = open(ROUTER, encoding="utf-8").read()
    macros = dict(re.findall(r'#define\s+(\w+)\s+"([^"]*)"', src))
    table = src[src.index("routes[] = {"):]
    table = table[:table.index("};")]
    rows = []
    for m in re.finditer(r'\{\s*"([^"]+)"\s*,\s*([^,]+?)\s*,\s*((?:\w+\s*)?(?:"[^"]*"\s*)*)\s*,\s*(\w+)\s*\}', table):
        pattern, params_expr = m.group(1), m.group(3)
        params = ""
        for tok in re.findall(r'"([^"]*)"|(\w+)', params_expr):
            params += tok[0] if tok[0] or not tok[1] else macros[tok[1]]
        rows.append((pattern, [p for p in params.split(",") if p]))
    assert rows, "no route rows found in router.c"
    return rows


def media_type(ct):
    """'text/plain; version=0.0.4; charset=utf-8' -> 'text/plain; version=0.0.4'."""
    parts = [p.strip() for p in (ct or "").split(";")]
    return "; ".join([parts[0].lower()] + [p for p in parts[1:] if p and not p.lower().startswith("charset=")])


class Observer:
    """Sends requests and checks each answer against the document."""

    def __init__(self):
        self.seen = set()

    def check(self, server, method, path_tmpl, url, want=None, headers=None, body_check=None):
        method = method.lower()
        r = server.request(method.upper() if method != NOT_ALLOWED else "POST", url, headers=headers)
        st = str(r.status)
        where = f"{method.upper()} {url} -> {r.status}"
        if want is not None:
            assert r.status == want, f"{where}, want {want}: {r.body[:300]!r}"
        item = DOC["paths"][path_tmpl]
        if method == NOT_ALLOWED:
            resp = deref(item[NOT_ALLOWED])
        else:
            op = item[method]
            assert st in op["responses"], f"{where}: status {st} is not documented for this operation"
            resp = deref(op["responses"][st])
        self.check_headers(r, resp, where)
        self.check_body(r, resp, method, where)
        self.seen.add((path_tmpl, method, st))
        if body_check and r.status == 200 and method == "get":
            body_check(r.json())
        return r

    def not_allowed(self, server, path_tmpl, url, verb):
        r = server.request(verb, url)
        where = f"{verb} {url} -> {r.status}"
        assert r.status == 405, where
        resp = deref(DOC["paths"][path_tmpl][NOT_ALLOWED])
        self.check_headers(r, resp, where)
        self.check_body(r, resp, verb.lower(), where)
        self.seen.add((path_tmpl, NOT_ALLOWED, "405"))
        return r

    @staticmethod
    def check_headers(r, resp, where):
        documented = {k.lower(): deref(v) for k, v in (resp.get("headers") or {}).items()}
        for name, h in documented.items():
            vals = r.headers_all(name)
            if h.get("required"):
                assert vals, f"{where}: documented header {name} is missing"
            for v in vals:
                validate(v, h.get("schema", {}), f"{where}: header {name}: {v!r}")
        for k, _ in r.headers:
            k = k.lower()
            assert k in TRANSPORT or k in documented, f"{where}: header {k} is not documented for this response"

    @staticmethod
    def check_body(r, resp, method, where):
        content = resp.get("content")
        if method == "head" or r.status in (204, 304) or not content:
            assert r.body == b"", f"{where}: a body where none is documented ({len(r.body)} bytes)"
            if method != "head" and r.status not in (204, 304):
                assert content, where
            return
        ct = r.header("Content-Type")
        mt = media_type(ct)
        keys = {media_type(k): v for k, v in content.items()}
        assert mt in keys, f"{where}: Content-Type {ct!r} is not documented ({sorted(keys)})"
        schema = keys[mt].get("schema")
        body = r.body
        if r.header("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        if "json" in mt:
            inst = json.loads(body.decode("utf-8"))
            if schema is not None:
                validate(inst, schema, where)
        elif schema is not None and schema.get("type") == "string" and "charset=utf-8" in (ct or ""):
            body.decode("utf-8")  # a charset is claimed: it must hold

    def missing(self):
        return sorted(documented_triples() - self.seen)
