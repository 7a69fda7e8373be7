#!/usr/bin/env python3
"""Import circles between the modules of the library and of the CLI: a graph of the `crate::`, `super::` and
`self::` paths each file names (test modules left out), and its strongly connected parts.
A child naming its parent's items (`super::SIZE_BODY` in `docx/paragraph.rs`) is no circle;
siblings naming each other are. Prints each circle with its edges; exit 1 when there is one.
Usage: scripts/import-circles.py [SRC]   (default src)"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "src"
mods = {}
for d, _, files in os.walk(root):
    for f in files:
        if f.endswith(".rs"):
            rel = os.path.relpath(os.path.join(d, f), root)[:-3].split(os.sep)
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            mods[tuple(rel)] = os.path.join(d, f)


def resolve(cur, path):
    """The module file a path lands in: the longest prefix that is a module."""
    parts = path.split("::")
    if parts[0] == "crate":
        base, parts = [], parts[1:]
    elif parts[0] in ("super", "self"):
        base = list(cur)
        if parts[0] == "self":
            parts = parts[1:]
        while parts and parts[0] == "super":
            base, parts = base[:-1], parts[1:]
    else:
        return None
    best = tuple(base) if tuple(base) in mods else None
    for p in parts:
        base = base + [p]
        if tuple(base) not in mods:
            break
        best = tuple(base)
    return best


path_re = re.compile(r"\b((?:crate|super|self)(?:::[A-Za-z_]\w*)+)")
group_re = re.compile(r"\b((?:crate|super|self)(?:::[A-Za-z_]\w*)*)::\{([^}]*)\}")
edges = {}
for m, p in mods.items():
    text = re.split(r"#\[cfg\(test\)\]\s*mod tests", open(p, encoding="utf-8").read())[0]
    for line in text.splitlines():
        if line.strip().startswith("//"):
            continue
        paths = path_re.findall(line)
        for prefix, inner in group_re.findall(line):
            paths += [prefix + "::" + i.strip().split(" as ")[0] for i in inner.split(",") if i.strip() not in ("", "self")]
        for u in paths:
            t = resolve(m, u)
            # An ancestor's items (constants in `mod.rs`) are no circle.
            if t is not None and t != m and m[: len(t)] != t:
                edges.setdefault(m, set()).add(t)

index, low, stack, on, circles = {}, {}, [], set(), []
sys.setrecursionlimit(10000)


def connect(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            connect(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        part = []
        while True:
            w = stack.pop()
            on.discard(w)
            part.append(w)
            if w == v:
                break
        if len(part) > 1:
            circles.append(sorted(part))


for v in sorted(mods):
    if v not in index:
        connect(v)
name = "/".join
for part in circles:
    print(", ".join(name(x) for x in part))
    for a in part:
        for b in sorted(edges.get(a, ())):
            if b in part:
                print(f"    {name(a)} -> {name(b)}")
print(f"{len(circles)} import circles")
sys.exit(1 if circles else 0)
