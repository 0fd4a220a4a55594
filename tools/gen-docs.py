#!/usr/bin/env python3
"""Renders openapi.yaml as one self-contained HTML page (served at /docs).

    gen-docs.py openapi.yaml docs.html

Build-time only (Debian's python3-yaml); the page has no scripts and loads
nothing from elsewhere (inline CSS, system fonts), so it reads the same with
no network. Every operation gets an element with id "op-<method>-<path>"
and a heading "<METHOD> <path>", its parameters, responses (status, media
type, headers, schema) and examples.
"""
import html
import json
import re
import sys

import yaml

METHODS = ("get", "head", "options")


def esc(s):
    return html.escape(str(s), quote=True)


class Doc:
    def __init__(self, doc):
        self.doc = doc

    def ptr(self, ref):
        node = self.doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.ptr(node["$ref"])
        return node


def inline_md(text):
    """The small part of Markdown the document uses: `code` and **bold**."""
    t = esc(text)
    t = re.sub(r"`([^`]+)`", r"<code>\1</code>", t)
    t = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", t)
    return t


def md(text):
    if not text:
        return ""
    paras = [p.strip() for p in str(text).strip().split("\n\n") if p.strip()]
    return "".join(f"<p>{inline_md(' '.join(p.split()))}</p>" for p in paras)


def anchor(kind, name):
    return kind + "-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


def schema_type(d, s):
    """A short type description with links to named schemas."""
    if s is True or s is None:
        return "any"
    if "$ref" in s:
        name = s["$ref"].rsplit("/", 1)[-1]
        return f'<a href="#{anchor("schema", name)}">{esc(name)}</a>'
    for comb in ("oneOf", "anyOf", "allOf"):
        if comb in s:
            sep = " &amp; " if comb == "allOf" else " | "
            base = sep.join(schema_type(d, x) for x in s[comb])
            return base
    if "const" in s:
        return f"<code>{esc(json.dumps(s['const']))}</code>"
    if "enum" in s:
        return "one of " + ", ".join(f"<code>{esc(json.dumps(v))}</code>" for v in s["enum"])
    t = s.get("type", "object" if "properties" in s else "any")
    if isinstance(t, list):
        t = " | ".join(t)
    if t == "array":
        return f"array of {schema_type(d, s.get('items'))}"
    extra = []
    for k, label in (("minimum", "≥"), ("maximum", "≤")):
        if k in s:
            extra.append(f"{label} {s[k]}")
    if "default" in s:
        extra.append(f"default <code>{esc(s['default'])}</code>")
    if "pattern" in s:
        extra.append(f"pattern <code>{esc(s['pattern'])}</code>")
    return esc(t) + (f" ({', '.join(extra)})" if extra else "")


def properties_table(d, s):
    props = s.get("properties") or {}
    if not props:
        return ""
    req = set(s.get("required") or [])
    rows = []
    for name, p in props.items():
        desc = p.get("description", "") if isinstance(p, dict) else ""
        if isinstance(p, dict) and "$ref" in p and not desc:
            desc = d.deref(p).get("description", "")
        rows.append(f"<tr><td><code>{esc(name)}</code>{' <small>required</small>' if name in req else ''}</td>"
                    f"<td>{schema_type(d, p)}</td><td>{inline_md(desc)}</td></tr>")
    closed = "; no other fields" if s.get("additionalProperties") is False else ""
    return (f"<table><caption>fields{closed}</caption><tr><th>name</th><th>type</th><th>meaning</th></tr>"
            + "".join(rows) + "</table>")


def example_block(value):
    text = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
    return f"<pre>{esc(text)}</pre>"


def render_operation(d, path, method, op, item):
    oid = anchor("op", f"{method}-{path}")
    out = [f'<section class="op" id="{oid}" data-method="{method.upper()}" data-path="{esc(path)}">',
           f'<h3><span class="m m-{method}">{method.upper()}</span> <code class="path">{esc(path)}</code></h3>',
           f"<p class=\"sum\">{inline_md(op.get('summary', ''))}</p>", md(op.get("description"))]
    params = [d.deref(p) for p in item.get("parameters", []) + op.get("parameters", [])]
    if params:
        out.append("<table><caption>parameters</caption><tr><th>name</th><th>in</th><th>type</th><th>meaning</th></tr>")
        for p in params:
            rep = ""
            if p.get("schema", {}).get("type") == "array":
                rep = (" <small>repeatable</small>" if p.get("explode", True) and p.get("style", "form") == "form"
                       else " <small>comma-separated</small>")
            ex = f"<br>example: <code>{esc(p['example'])}</code>" if "example" in p else ""
            out.append(f"<tr><td><code>{esc(p['name'])}</code>{' <small>required</small>' if p.get('required') else ''}"
                       f"{rep}</td><td>{esc(p['in'])}</td><td>{schema_type(d, p.get('schema', {}))}</td>"
                       f"<td>{inline_md(' '.join(str(p.get('description', '')).split()))}{ex}</td></tr>")
        out.append("</table>")
    out.append('<div class="responses">')
    for st, r in op["responses"].items():
        r = d.deref(r)
        out.append(f'<div class="resp"><h4><span class="st st{st[0]}">{esc(st)}</span> '
                   f'{inline_md(" ".join(str(r.get("description", "")).split()))}</h4>')
        hs = r.get("headers") or {}
        if hs:
            out.append("<p class=\"hdrs\">headers: " + ", ".join(
                f"<code>{esc(k)}</code>{'' if d.deref(v).get('required') else '?'}" for k, v in hs.items()) + "</p>")
        for mt, media in (r.get("content") or {}).items():
            out.append(f"<p>body <code>{esc(mt)}</code>: {schema_type(d, media.get('schema'))}</p>")
            if "example" in media:
                out.append(example_block(media["example"]))
            for name, ex in (media.get("examples") or {}).items():
                ex = d.deref(ex)
                out.append(f"<details><summary>example: {esc(ex.get('summary', name))}</summary>"
                           f"{example_block(ex['value'])}</details>")
        out.append("</div>")
    out.append("</div></section>")
    return "\n".join(out)


CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1c1e21;background:#fff}
header{background:#123;color:#fff;padding:1em 2em}header h1{margin:0}
nav{position:fixed;top:0;bottom:0;left:0;width:19em;overflow:auto;background:#f4f5f7;padding:1em;border-right:1px solid #ddd}
nav ul{list-style:none;padding-left:0;margin:.2em 0 1em}nav li{white-space:nowrap;font-size:13px}
nav a{text-decoration:none;color:#123}main{margin-left:21em;padding:0 2em 4em;max-width:60em}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:13px}
pre{background:#f6f8fa;padding:.7em;overflow:auto;border-radius:4px;max-height:30em}
table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600;padding:.3em 0}
.op{border-top:2px solid #dde;padding-top:.5em;margin-top:1.5em}
.m{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;color:#fff;font-size:13px;padding:0 .3em}
.m-get{background:#1a7f37}.m-head{background:#6f42c1}.m-options{background:#57606a}
.st{font-family:monospace;padding:0 .3em;border-radius:3px;background:#eee}.st2{background:#dafbe1}.st3{background:#ddf4ff}.st4{background:#fff8c5}.st5{background:#ffebe9}
h4{margin:.6em 0 .2em;font-weight:500}.hdrs{font-size:13px;color:#444}small{color:#666}
"""


def render(doc):
    d = Doc(doc)
    info = doc["info"]
    paths = doc["paths"]
    tags = [t["name"] for t in doc.get("tags", [])]
    by_tag = {t: [] for t in tags}
    for path, item in paths.items():
        for m in METHODS:
            if m in item:
                tag = (item[m].get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append((path, m, item[m], item))
    nav, body = [], []
    for tag, ops in by_tag.items():
        if not ops:
            continue
        tdesc = next((t.get("description", "") for t in doc.get("tags", []) if t["name"] == tag), "")
        nav.append(f'<h3>{esc(tag)}</h3><ul>' + "".join(
            f'<li><a href="#{anchor("op", m + "-" + p)}">{m.upper()} {esc(p)}</a></li>' for p, m, _, _ in ops) + "</ul>")
        body.append(f'<h2 id="{anchor("tag", tag)}">{esc(tag)}</h2>{md(tdesc)}')
        for p, m, op, item in ops:
            body.append(render_operation(d, p, m, op, item))
        # the 405 every path of this tag shares
    na = [p for p, item in paths.items() if "x-method-not-allowed" in item]
    if na:
        r = d.deref(next(iter(paths[p] for p in na))["x-method-not-allowed"])
        body.append('<h2 id="other-methods">Other methods</h2>'
                    f"<p>On every path above, any other method answers <span class=\"st st4\">405</span> "
                    f"{inline_md(r.get('description', ''))} (an <code>application/problem+json</code> "
                    "<a href=\"#schema-Problem\">Problem</a>, with <code>Allow: GET, HEAD, OPTIONS</code>).</p>")
    nav.append('<h3>schemas</h3><ul>' + "".join(
        f'<li><a href="#{anchor("schema", n)}">{esc(n)}</a></li>' for n in doc["components"]["schemas"]) + "</ul>")
    body.append("<h2 id=\"schemas\">Schemas</h2>")
    for name, s in doc["components"]["schemas"].items():
        parts = [f'<section class="schema" id="{anchor("schema", name)}"><h3>{esc(name)}</h3>', md(s.get("description"))]
        parts.append(f"<p>type: {schema_type(d, {k: v for k, v in s.items() if k != 'description'} if 'properties' not in s else {'type': 'object'})}</p>")
        for comb in ("allOf",):
            for sub in s.get(comb, []):
                if "$ref" in sub:
                    parts.append(f"<p>extends {schema_type(d, sub)}</p>")
        if s.get("required") and "properties" not in s:
            parts.append("<p>required: " + ", ".join(f"<code>{esc(r)}</code>" for r in s["required"]) + "</p>")
        parts.append(properties_table(d, s))
        parts.append("</section>")
        body.append("\n".join(parts))
    title = f"{info['title']} {info['version']} API reference"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{CSS}</style></head>
<body><nav><strong>{esc(info['title'])} {esc(info['version'])}</strong>{''.join(nav)}</nav>
<main><header><h1>{esc(title)}</h1><p>{inline_md(info.get('summary', ''))}</p></header>
{md(info.get('description'))}
<p>Machine-readable: <a href="openapi.yaml">openapi.yaml</a>, <a href="openapi.json">openapi.json</a>.</p>
{''.join(body)}
</main></body></html>
"""


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    page = render(doc)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
