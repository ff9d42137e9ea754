"""Offline (issue 6, point 2): the bundled edition opened from disk (file://) in Chromium, every page
reached by following links: no failed request, no console error, notes open on hover, the "In this
article" panel and the indexes lead where they say; and nothing that needs a server or the network
(fetch/XHR, ES modules, workers, service workers) — by reading the files and by watching the browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
from bs4 import BeautifulSoup

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent

# What a page or script would need a server or the network for.
NETWORK_JS = {
    "fetch": r"\bfetch\s*\(", "XMLHttpRequest": r"\bXMLHttpRequest\b", "dynamic import": r"\bimport\s*\(",
    "import statement": r"^\s*import\s", "export statement": r"^\s*export\s", "Worker": r"\bWorker\s*\(",
    "SharedWorker": r"\bSharedWorker\b", "service worker": r"\bserviceWorker\b", "EventSource": r"\bEventSource\b",
    "WebSocket": r"\bWebSocket\b", "sendBeacon": r"\bsendBeacon\b", "importScripts": r"\bimportScripts\b",
}
LOCAL_RESOURCES = {"document", "stylesheet", "script", "image", "font", "media"}
PAGE_FACTS = """() => {
  const hrefs = sel => Array.from(document.querySelectorAll(sel), a => a.href);
  const panel = document.querySelector('aside.in-this-article');
  return {
    measure: getComputedStyle(document.documentElement).getPropertyValue('--measure').trim(),
    kind: document.body.className, links: hrefs('a[href]'),
    ids: Array.from(document.querySelectorAll('[id]'), e => e.id),
    noted: document.querySelectorAll('main a.mention[data-note]').length,
    entries: document.querySelectorAll('main li a').length,
    panel: panel && { visible: panel.getClientRects().length > 0 && getComputedStyle(panel).visibility === 'visible',
                      listed: hrefs('aside.in-this-article li a'), mentioned: hrefs('.article-body a.mention') },
  };
}"""


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> Path:
    """The bundled edition as `make build` makes it (no base_url), built into a temp folder."""
    return build(ROOT / "site.toml", tmp_path_factory.mktemp("offline") / "build").output


def test_no_page_or_script_needs_a_server(offline):
    scripts = sorted(offline.rglob("*.js"))
    assert scripts, "the theme's script is in the build"
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        for what, pattern in NETWORK_JS.items():
            assert not re.search(pattern, text, re.M), f"{script.name} uses {what}"
    for page in offline.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":  # schema.org data: the browser runs nothing
                json.loads(script.string)
                continue
            assert script.get("type") in (None, "text/javascript"), f"{page.name}: <script type={script['type']}>"
            assert script.get("src") and not script.string, f"{page.name}: inline script"
        for link in soup.find_all("link"):
            rel = set(link.get("rel", []))
            assert not rel & {"modulepreload", "manifest", "preload", "prefetch", "serviceworker"}, page.name
        folder = soup.find(attrs={"href": re.compile(r"^(?![a-z][a-z0-9+.-]*:)(.*/)?$")})
        assert folder is None, f"{page.name} links to a bare folder: {folder}"


@pytest.mark.browser
def test_every_page_works_from_disk(offline, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    kinds: set[str] = set()
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("request", lambda r: kinds.add(r.resource_type) if r.url.startswith(("file:", "data:"))
            else problems.append(f"network: {r.url}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"error: {e}"))
    page.on("worker", lambda w: problems.append(f"worker: {w.url}"))
    context.on("serviceworker", lambda w: problems.append(f"service worker: {w.url}"))

    start = (offline / "index.html").as_uri()
    queue, seen = [start], set()
    fragments: dict[str, set[str]] = {}
    hovered = panels = indexes = 0
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        before = len(problems)
        page.goto(url)
        found = page.evaluate(PAGE_FACTS)
        assert found["measure"] == "65ch", f"{url}: the stylesheet did not apply"
        fragments[url] = set(found["ids"])
        for link in found["links"]:
            if link.startswith("file:"):
                target, _ = urldefrag(link)
                assert not target.endswith("/"), f"{url} links to a folder: {link}"
                if not target.endswith(".html"):  # a download (the Cite control's BibTeX, RIS, CSL-JSON)
                    assert Path(unquote(target[len("file://"):])).is_file(), f"{url} links to a missing file: {link}"
                    continue
                queue.append(target)
        # Notes open on every article page, and on a few entity pages (hovering is the slow part).
        if found["noted"] and (found["kind"] != "page-entity" or hovered < 6):
            page.locator("main a.mention[data-note]").first.hover()
            popup = page.locator(".note-popup")
            popup.wait_for(state="visible")
            assert popup.inner_text().strip(), f"{url}: an empty note"
            page.mouse.move(0, 0)
            hovered += 1
        if found["panel"] is not None:
            assert found["panel"]["visible"] and found["panel"]["listed"], f"{url}: the panel is empty or hidden"
            assert set(found["panel"]["listed"]) == set(found["panel"]["mentioned"]), \
                f"{url}: the panel lists exactly the entities the text mentions"
            panels += 1
        if found["kind"] == "page-index":
            assert found["entries"] >= 1, f"{url}: an empty index"
            indexes += 1
        assert problems[before:] == [], url
    context.close()

    built = {p.as_uri() for p in offline.rglob("*.html") if p.name != "404.html"}
    assert built <= seen, f"pages no link leads to: {sorted(built - seen)}"
    assert kinds <= LOCAL_RESOURCES, f"requests of kinds {kinds - LOCAL_RESOURCES}"
    assert hovered >= 2 and panels >= 1 and indexes >= 4
    # Every #fragment a page links to exists in the page it names.
    broken = [f"{source} -> {target}#{fragment}" for source, target, fragment in _fragment_links(offline)
              if fragment not in fragments.get(target, set())]
    assert broken == []


def _fragment_links(offline: Path) -> list[tuple[str, str, str]]:
    """(page, target page, fragment) of every link with a #fragment, read from the files."""
    found = []
    for page in offline.rglob("*.html"):
        if page.name == "404.html":
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            target, fragment = urldefrag(link["href"])
            fragment = fragment.split(":~:", 1)[0]  # a text fragment directive (#p9:~:text=…) names the id before it
            if fragment and not re.match(r"^[a-z][a-z0-9+.-]*:", target):
                path = (page.parent / target).resolve() if target else page
                found.append((page.as_uri(), path.as_uri(), fragment))
    return found
