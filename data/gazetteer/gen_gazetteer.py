#!/usr/bin/env python3
"""Turn data/gazetteer/people.tsv into src/people/gazetteer.c.

The binary must not depend on data files at run time, so the gazetteer is
compiled in. Run from the repository root after editing the TSV:
    python3 data/gazetteer/gen_gazetteer.py
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "data", "gazetteer", "people.tsv")
DST = os.path.join(ROOT, "src", "people", "gazetteer.c")


def c_str(s):
    if not s:
        return "NULL"
    out = []
    for ch in s.encode("utf-8"):
        if ch in (0x22, 0x5C):
            out.append("\\" + chr(ch))
        elif 0x20 <= ch < 0x7F:
            out.append(chr(ch))
        else:
            out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'


def main():
    rows = []
    with open(SRC, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 5 or not cols[0]:
                sys.exit("%s:%d: want 5 tab-separated columns" % (SRC, ln))
            rows.append(cols)
    rows.sort(key=lambda r: r[0])
    with open(DST, "w", encoding="utf-8") as f:
        f.write("/* gazetteer.c — GENERATED from data/gazetteer/people.tsv by\n"
                " * data/gazetteer/gen_gazetteer.py; do not edit by hand.\n"
                " *\n"
                " * Well-known people: canonical English name, other spellings, Wikidata\n"
                " * id (only where verified), country served and main role. The module\n"
                " * finds people without it; it only supplies canonical forms and lets a\n"
                " * misspelling join a known person when the role agrees. */\n"
                "#include \"people_int.h\"\n\n"
                "const cd_gz_entry cd_gz_table[] = {\n")
        for name, var, wd, country, role in rows:
            f.write("  {%s, %s, %s, %s, %s},\n" % (
                c_str(name), c_str(var) if var else '""', c_str(wd), c_str(country), c_str(role)))
        f.write("};\n\nconst size_t cd_gz_count = sizeof cd_gz_table / sizeof cd_gz_table[0];\n")


if __name__ == "__main__":
    main()
