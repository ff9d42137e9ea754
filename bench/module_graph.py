"""The package's module graph: each module and the package's modules it imports, with counts and cycles.

    .venv/bin/python bench/module_graph.py                    # generator/ in this tree
    .venv/bin/python bench/module_graph.py --commit 1f3452d   # generator/ as it was at a commit (git archive)

Read from the source with ast, as tests/test_structure.py reads it: an edge is an import that runs (at a module's
top or inside a function; not under `if TYPE_CHECKING:`). Edges made at a module's top are marked, since only
those can fail at import time; a `(late)` edge is an import inside a function. Cycles are the strongly connected
groups of more than one module, over all edges and over top-level edges only, and the same over folders
(generator.render.pages counts as generator.render; a module at the package's top is its own node).
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(top: Path) -> dict[str, Path]:
    """Dotted name -> file, for every .py under top/generator."""
    found = {}
    for path in sorted((top / "generator").rglob("*.py")):
        parts = path.relative_to(top).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(name: str, path: Path, known: dict[str, Path]) -> dict[str, bool]:
    """The package's modules `name` imports -> whether one of those imports is at the module's top."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for block in ast.walk(tree) if _type_only(block) for n in ast.walk(block)}
    late = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
            for n in ast.walk(f)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, bool] = {}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[:len(base) - node.level + 1]
            prefix = ".".join([*base, node.module] if node.module else base) if node.level else (node.module or "")
            targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix for a in node.names]
        for target in targets:
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target in known and target != name:
                found[target] = found.get(target, False) or id(node) not in late
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for other in children:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(edges.get(other, ())))))
                    break
                if other in on_stack:
                    low[node] = min(low[node], index[other])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        other = stack.pop()
                        on_stack.discard(other)
                        group.append(other)
                        if other == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
    return sorted(found)


def folder(name: str) -> str:
    """A module's node in the folder graph: its folder (generator.render.pages -> generator.render), or itself at
    the package's top; a command kept beside its library (names/command.py) is a node of its own, as the
    commands at the top are."""
    return name if name.endswith(".command") else ".".join(name.split(".")[:2])


def report(top: Path, title: str) -> str:
    known = modules(top)
    graph = {name: imports(name, path, known) for name, path in known.items()}
    every = {name: set(targets) for name, targets in graph.items()}
    eager = {name: {t for t, at_top in targets.items() if at_top} for name, targets in graph.items()}
    folders: dict[str, set[str]] = {}
    for name, targets in every.items():
        folders.setdefault(folder(name), set()).update(folder(t) for t in targets if folder(t) != folder(name))
    folders.pop("generator", None)  # the package's __init__: imported by all, imports nothing of its own
    lines = [f"# module graph of {title}",
             f"modules {len(known)}, folders/top-level modules {len(folders)}, "
             f"edges {sum(map(len, every.values()))} ({sum(map(len, eager.values()))} at a module's top, "
             f"{sum(map(len, every.values())) - sum(map(len, eager.values()))} late only), "
             f"lines of code {sum(len(p.read_text(encoding='utf-8').splitlines()) for p in known.values())}"]
    for label, edges in (("all edges", every), ("top-level edges only", eager), ("folders, all edges", folders)):
        groups = cycles(edges)
        lines.append(f"cycles ({label}): {len(groups)} group(s), {sum(map(len, groups))} nodes")
        lines += [f"  cycle: {' <-> '.join(group)}" for group in groups]
    lines.append("\n## modules (-> the package's modules each imports; (late) = only inside a function)")
    for name in sorted(graph):
        shown = ", ".join(t.removeprefix("generator.") + ("" if at_top else " (late)")
                          for t, at_top in sorted(graph[name].items()))
        lines.append(f"{name.removeprefix('generator.') or 'generator'} -> {shown}")
    lines.append("\n## folders (-> folders and top-level modules each imports)")
    lines += [f"{name} -> {', '.join(sorted(folders[name]))}" for name in sorted(folders)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commit", help="read generator/ as it was at this commit (default: this tree)")
    parser.add_argument("--out", type=Path, help="write the listing here (default: print it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        top = ROOT
        title = "this tree"
        if args.commit:
            top = Path(temporary)
            archive = subprocess.run(["git", "archive", args.commit, "generator"], cwd=ROOT, check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", temporary], input=archive, check=True)
            short = subprocess.run(["git", "rev-parse", "--short", args.commit], cwd=ROOT, check=True,
                                   capture_output=True, text=True).stdout.strip()
            title = f"generator/ at {short}"
        text = report(top, title)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
