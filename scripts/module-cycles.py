#!/usr/bin/env python3
"""Import cycles between the crate's modules, from the `crate::` paths in
src/ (use lines and paths written in code, tests included).

Usage, from the repository root:
    python3 scripts/module-cycles.py          (top-level modules: engine, stats, ...)
    python3 scripts/module-cycles.py 2        (one level deeper: engine::books, ...)
Prints every edge that lies on a cycle, grouped by strongly connected
component, and exits 1 if there is any; prints "no cycles" otherwise.
Also checks that src/rules/ stays free of random numbers and I/O (no
`rand`, `std::fs`, `std::io`): exits 1 and names the line if not.
`super::` and `self::` paths are resolved against the file's module."""
import re
import sys
from pathlib import Path

DEPTH = int(sys.argv[1]) if len(sys.argv) > 1 else 1
SRC = Path("src")


def module_of(path):
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts.pop()
    return parts


def expand(prefix, body):
    """`a::{b, c::{d}}` into ["a::b", "a::c::d"] (one path per leaf)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(body + ","):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            item = body[start:i].strip()
            start = i + 1
            if not item:
                continue
            m = re.match(r"^([\w:]*?)::\{(.*)\}$", item, re.S)
            if m:
                out += expand(prefix + [p for p in m.group(1).split("::") if p], m.group(2))
            else:
                out.append(prefix + [p for p in item.split(" as ")[0].split("::") if p])
    return out


def paths_in(text, here):
    found = []
    for m in re.finditer(r"\buse\s+((?:crate|super|self)::[^;]*);", text, re.S):
        found += expand([], m.group(1))
    for m in re.finditer(r"(?<![\w:])((?:crate|super)(?:::\w+)+)", text):
        found.append(m.group(1).split("::"))
    resolved = []
    for p in found:
        base = list(here)
        while p and p[0] in ("super", "self"):
            if p[0] == "super":
                base = base[:-1]
            p = p[1:]
        if p and p[0] == "crate":
            resolved.append(p[1:])
        else:
            resolved.append(base + p)
    return resolved


def node(path):
    return "::".join(path[:DEPTH])


edges = {}
for file in sorted(SRC.rglob("*.rs")):
    here = module_of(file)
    if not here:  # lib.rs, main.rs
        continue
    # A file's module is its own parent for `super::` in a `mod tests`
    # inside it; the approximation only ever merges a file with its parent.
    source = node(here)
    for path in paths_in(file.read_text(), here):
        target = node(path)
        if path and target != source and not source.startswith(target + "::") \
                and not target.startswith(source + "::"):
            edges.setdefault(source, set()).add(target)

# Tarjan's strongly connected components.
index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = set()
        while True:
            w = stack.pop()
            on.discard(w)
            comp.add(w)
            if w == v:
                break
        if len(comp) > 1:
            comps.append(comp)

sys.setrecursionlimit(10000)
for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
    if v not in index:
        visit(v)

impure = []
for file in sorted((SRC / "rules").rglob("*.rs")):
    for number, line in enumerate(file.read_text().splitlines(), 1):
        code = line.split("//")[0]
        if re.search(r"\brand(_\w+)?::|\bstd::(fs|io)\b", code):
            impure.append(f"{file}:{number}: {line.strip()}")
for line in impure:
    print(f"rules/ must draw no random number and do no I/O: {line}")

if not comps:
    print(f"no cycles between modules at depth {DEPTH}")
    sys.exit(1 if impure else 0)
for comp in comps:
    print("cycle among: " + ", ".join(sorted(comp)))
    for v in sorted(comp):
        for w in sorted(edges.get(v, ())):
            if w in comp:
                print(f"  {v} -> {w}")
sys.exit(1)
