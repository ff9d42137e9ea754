"""The package's shape: no import cycles (each module imports alone; the graph of its imports has no cycle,
between modules or between the folders that show the pipeline), the pipeline's HTML written under render/
only, and no module reading another object's private names."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _type_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules `name` imports when it runs (at the top or inside a function; not those under
    `if TYPE_CHECKING:`, which never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for block in ast.walk(tree) if _type_only(block) for n in ast.walk(block)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
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
            targets = [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in known else prefix for alias in node.names]
        for target in targets:
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target in known and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others():
    assert cycles(graph()) == []


def test_no_two_folders_import_each_other():
    """Every folder (load, match, render, export, names, search …) and every module beside them, each one node:
    no cycle between them (config <-> load and match <-> render were). A command kept in the folder of its
    library (names/command.py, export/command.py: each builds a Site) is a node of its own, as the commands
    beside the folders (check.py, handout.py) are."""
    def folder(name: str) -> str:
        return name if name.endswith(".command") else ".".join(name.split(".")[:2])

    edges: dict[str, set[str]] = {}
    for name, targets in graph().items():
        edges.setdefault(folder(name), set()).update(folder(t) for t in targets if folder(t) != folder(name))
    edges.pop("generator", None)  # the package's __init__ (its version) is imported by all, imports nothing
    assert cycles(edges) == []



def test_each_module_imports_alone():
    """In a fresh interpreter, each module imported first (every other generator module forgotten before it)."""
    names = sorted(name for name in modules() if name != "generator.__main__")  # (it runs the command)
    script = ("import importlib, sys\n"
              f"for name in {names!r}:\n"
              "    for loaded in [m for m in sys.modules if m == 'generator' or m.startswith('generator.')]:\n"
              "        del sys.modules[loaded]\n"
              "    importlib.import_module(name)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


_HTML = re.compile(r"[\"'](?:<|</)(?:a|span|p|div|li|ol|ul|sup|figure|figcaption|section|h[1-6]|img|pre|code)[ >]")


def test_the_pipelines_html_is_written_under_render_only():
    """Loading, matching, resolving, checking and writing handle data; render/ turns it into HTML. (serve/
    writes the dev server's own error overlay, never part of a build; the exporters — handout, reader, EPUB —
    write their own documents around rendered pages; importer/, search/ and export/text.py read HTML.)"""
    allowed = ("generator/render/", "generator/serve/", "generator/importer/", "generator/search/", "generator/handout.py",
               "generator/reader.py", "generator/epub.py", "generator/export/text.py")
    writers = [str(path.relative_to(ROOT)) for path in modules().values()
               if not str(path.relative_to(ROOT)).startswith(allowed) and _HTML.search(path.read_text(encoding="utf-8"))]
    assert writers == []


def test_no_module_reaches_into_another_objects_private_names():
    """A command or stage uses what another module offers, not its private parts (`site.pages._ctx`): a name
    with a leading underscore is read only on `self`, `cls` or `super()` (os._exit is the standard library's)."""
    found = []
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and ast.unparse(node.value) not in ("self", "cls", "super()", "os")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []
