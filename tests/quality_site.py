"""What the quality gates share: the two editions they run on (built once per test session), a loopback
HTTP server, the page of each kind to look at, and the tools (axe-core, the Nu HTML Checker) from npm.

Not a test module: tests/test_quality_*.py import it. Builds are cached per session by edition name, so
the gates in several modules build each edition once.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
EDITIONS = ("bundled", "fixture")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TRIGGERS = "a.mention[data-note], a.note-ref[data-note]"


@dataclass
class Edition:
    """One built edition: where its pages are, and where they are served."""

    name: str
    site: Path  # site.toml
    output: Path  # the build folder
    base_url: str = ""
    handout: Path | None = None  # handouts/<slug>.html, once `gloss handout` exists
    url: str = ""  # http://127.0.0.1:port/ once served
    pages: list[Path] = field(default_factory=list)  # every built HTML page (and the handout)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.output).as_posix() if path.is_relative_to(self.output) else path.name

    def kinds(self) -> dict[str, str]:
        """The page to look at for each kind of page: {label: path relative to the output}."""
        html = {self.rel(p): p.read_text(encoding="utf-8") for p in self.pages if p.is_relative_to(self.output)}
        chosen = {"home": "index.html", "404": "404.html"}
        for name in sorted(html):
            if name.endswith("/index.html"):
                chosen[f"index {name.split('/')[0]}"] = name
        for label, name in representative_articles(html).items():
            chosen[label] = name
        entities = [n for n in html if "/" in n and not n.endswith("/index.html")]
        # The entity page with the most to show: the longest (gloss, mentions, related, nested notes).
        chosen["entity"] = max(entities, key=lambda n: (len(html[n]), n))
        return chosen


FEATURES = {"figure": "<figure", "table": "<table", "code": "<pre", "footnotes": 'class="footnotes"',
            "passage note": 'class="note-ref"', "blockquote": "<blockquote", "list": 'class="pnum"',
            "nested notes": 'class="note-store"'}


def representative_articles(html: dict[str, str]) -> dict[str, str]:
    """Few article pages that together show every feature the theme renders (greedy set cover)."""
    articles = {n: text for n, text in html.items() if 'class="page-article"' in text}
    wanted = {f for f, mark in FEATURES.items() if any(mark in text for text in articles.values())}
    chosen: dict[str, str] = {}
    while wanted:
        best = max(sorted(articles), key=lambda n: sum(FEATURES[f] in articles[n] for f in wanted))
        covers = {f for f in wanted if FEATURES[f] in articles[best]}
        chosen[f"article ({', '.join(sorted(covers))})"] = best
        wanted -= covers
    if not chosen and articles:
        chosen["article"] = sorted(articles)[0]
    return chosen


def _load_fixture_tool():
    spec = importlib.util.spec_from_file_location("fixture_edition", ROOT / "tools" / "fixture_edition.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@functools.cache
def _built(name: str, folder: Path) -> Edition:
    if name == "bundled":
        site = ROOT / "site.toml"
    else:
        site = _load_fixture_tool().write_edition(folder / "source") / "site.toml"
    report = build(site, output=folder / "build")
    assert report.output is not None
    output = Path(report.output)
    base = re.search(r'^base_url\s*=\s*"([^"]*)"', site.read_text(encoding="utf-8"), re.M)
    edition = Edition(name, site, output, base.group(1) if base else "")
    edition.pages = sorted(output.rglob("*.html"))
    edition.handout = _handout(edition, folder / "handouts")
    if edition.handout:
        edition.pages.append(edition.handout)
    return edition


def _handout(edition: Edition, out: Path) -> Path | None:
    """The handout of the edition's first article, once generator/handout.py exists (another engineer's)."""
    if importlib.util.find_spec("generator.handout") is None:
        return None
    from generator.cli import main

    first = sorted((edition.site.parent / "content").glob("*.md"))[0].stem
    assert main(["handout", "--site", str(edition.site), first, "--out", str(out)]) == 0
    return out / f"{first}.html"


HANDOUT_MISSING = "generator/handout.py (gloss handout) does not exist yet: no handout page to check"


def edition(name: str, tmp_path_factory: pytest.TempPathFactory) -> Edition:
    """The edition `name` ("bundled" or "fixture"), built once per test session into a temp folder."""
    root = tmp_path_factory.getbasetemp() / f"quality-{name}"
    root.mkdir(exist_ok=True)
    return _built(name, root)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@functools.cache
def serve(folder: Path) -> str:
    """Serve `folder` on loopback (a stdlib server in a daemon thread) and return its URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def served(edition: Edition) -> Edition:
    if not edition.url:
        edition.url = serve(edition.output)
    return edition


def route_base_url(context, edition: Edition) -> None:
    """Pages with absolute links (404.html, built from base_url) load them from the build, not the web."""
    if not edition.base_url:
        return
    base = edition.base_url

    def fulfil(route) -> None:
        path = edition.output / route.request.url[len(base):].split("#")[0].split("?")[0]
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="not found")

    context.route(base + "**", fulfil)


def need(path: Path, what: str) -> Path:
    """A tool from npm: fail (not skip) with what to run when it is missing, like the browser fixture."""
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make test` (tools/test-deps.sh runs npm ci "
                    f"for {what})")
    return path


def axe_source() -> str:
    return need(AXE_JS, "axe-core").read_text(encoding="utf-8")


def settle(page) -> None:
    """Wait for running animations (a note fades in) so colours are measured at rest."""
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")


def run_axe(page, source: str, only: list[str] | None = None) -> list[str]:
    """axe-core's WCAG 2.1 A and AA rules on the page as it is now (or only on the elements the selectors
    `only` match, and inside them); one line per violation."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    settle(page)
    violations = page.evaluate(
        """([tags, only]) => axe.run(only ? {include: only.map(s => [s])} : document,
                                     {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                 .then(r => r.violations.map(v => ({id: v.id, help: v.help, impact: v.impact,
                   nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' '))})))""",
        [WCAG_TAGS, only])
    return [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s), e.g. " + "; ".join(v["nodes"][:3])
            for v in violations]
