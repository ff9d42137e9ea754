"""The package's shape: no import cycles (each module imports alone; the graph of its imports has no cycle,
between modules or between the folders that show the pipeline), the pipeline's HTML written under render/
only, and no module reading another object's private names."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from bench.module_graph import cycles, folder, imports
from bench.module_graph import modules as package_modules

ROOT = Path(__file__).resolve().parent.parent


def modules() -> dict[str, Path]:
    return package_modules(ROOT)


def graph() -> dict[str, set[str]]:
    """Each module -> the package's modules it imports when it runs (bench/module_graph.py reads them, at any
    commit; the same reading here)."""
    known = modules()
    return {name: set(imports(name, path, known)) for name, path in known.items()}


def test_no_module_imports_itself_through_others():
    assert cycles(graph()) == []


def test_no_two_folders_import_each_other():
    """Every folder (load, match, render, export, names, search …) and every module beside them, each one node:
    no cycle between them (config <-> load and match <-> render were). A command kept in the folder of its
    library (names/command.py, export/command.py: each builds a Site) is a node of its own, as the commands
    beside the folders (check.py, handout.py) are."""
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
