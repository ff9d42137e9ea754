"""GitHub Pages (issue 6, point 1): the build served under a project subpath (/repo/) by a loopback server
that behaves like Pages — unknown paths get 404.html with status 404 — crawled link by link; and the
build's shape: relative links everywhere but 404.html, sitemap, canonical links, .nojekyll, modes."""

from __future__ import annotations

import mimetypes
import os
import stat
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import PATIENCE_S

from generator.build import build
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/repo/"
ASSET_TAGS = {"link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}


class PagesServer(ThreadingHTTPServer):
    """Serves one folder under /repo/ the way GitHub Pages does: a folder means its index.html, and a
    missing file gets 404.html with status 404, whatever its depth."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), PagesHandler)
        self.folder = Path()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{PREFIX}"


class PagesHandler(BaseHTTPRequestHandler):
    server: PagesServer

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        folder = self.server.folder.resolve()
        path = unquote(urlsplit(self.path).path)
        target = None
        if path.startswith(PREFIX):
            target = (folder / path[len(PREFIX):]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if folder not in target.parents or not target.is_file():
                target = None
        status, target = (200, target) if target else (404, folder / "404.html")
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Iterator[PagesServer]:
    """The bundled edition built for the server's own address, served under /repo/."""
    server = PagesServer()
    report = build(ROOT / "site.toml", tmp_path_factory.mktemp("pages") / "build", base_url=server.base_url)
    server.folder = report.output
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=PATIENCE_S) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def references(soup: BeautifulSoup) -> Iterator[tuple[str, str, str]]:
    """(what, attribute, URL) of every link and asset in a page; `what` is "a", "canonical" or the asset's tag."""
    for tag in soup.find_all(["a", "link", "script", "img", "source", "iframe", "area"]):
        what = "canonical" if tag.name == "link" and "canonical" in tag.get("rel", []) else tag.name
        what = "a" if what == "area" else what
        for attribute in ("href", "src"):
            if tag.has_attr(attribute) and not tag[attribute].startswith("data:"):  # inline: fetches nothing
                yield what, attribute, tag[attribute]


# ------------------------------------------------------------------------------------- the build's shape

def test_build_for_pages_is_relative_except_404_and_has_the_right_files(pages):
    out, base = pages.folder, pages.base_url
    assert (out / ".nojekyll").is_file()
    html_files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert "404.html" in html_files and "index.html" in html_files
    for path in out.rglob("*"):
        rel = path.relative_to(out)
        assert not path.is_symlink(), f"{rel} is a symlink"
        assert not any(part.startswith("_") for part in rel.parts), f"{rel}: Pages hides paths starting with _"
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), f"{rel} has mode {oct(mode)}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755

    for name in html_files:
        soup = BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")
        for tag, attribute, url in references(soup):
            if url.startswith("#"):
                continue
            if name == "404.html":
                assert url.startswith(base), f"404.html: {tag} {attribute}={url} is not absolute on base_url"
                continue
            if tag == "canonical":
                continue
            assert not url.startswith("/"), f"{name}: {tag} {attribute}={url} is root-absolute or protocol-relative"
            if tag != "a":
                assert not urlsplit(url).scheme, f"{name}: the asset {url} is not in the build"
        if name != "404.html":
            canonical = soup.find("link", rel="canonical")
            assert canonical and canonical["href"] == base + name, f"{name}: canonical link"
        else:
            assert soup.find("link", rel="canonical") is None

    tree = ElementTree.parse(out / "sitemap.xml")
    locations = sorted(e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"))
    assert locations == sorted(base + name for name in html_files if name not in ("404.html", "search.html"))


def test_base_url_comes_from_site_toml_and_the_command_line_overrides_it(make_site):
    root = make_site("""
        -- site.toml --
        title = "Subpath"
        base_url = "https://user.github.io/repo/"
        -- content/a.md --
        +++
        title = "A"
        +++
        Text.
        """)
    build(root / "site.toml")
    not_found = (root / "build" / "404.html").read_text(encoding="utf-8")
    assert 'href="https://user.github.io/repo/assets/gloss.css"' in not_found
    assert 'src="https://user.github.io/repo/assets/gloss.js"' in not_found
    assert "https://user.github.io/repo/a.html" in (root / "build" / "sitemap.xml").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://user.github.io/repo/a.html">' in (
        root / "build" / "a.html").read_text(encoding="utf-8")

    assert main(["build", "--quiet", "--site", str(root), "--base-url", "https://example.org/reading"]) == 0
    for name in ("404.html", "sitemap.xml", "a.html"):
        text = (root / "build" / name).read_text(encoding="utf-8")
        assert "user.github.io" not in text and "https://example.org/reading/" in text, name


def test_a_base_url_without_a_scheme_is_reported(make_site, capsys):
    root = make_site("""
        -- site.toml --
        title = "Subpath"
        -- content/a.md --
        Text.
        """)
    assert main(["build", "--quiet", "--site", str(root), "--base-url", "user.github.io/repo/"]) == 2
    err = capsys.readouterr().err
    assert "--base-url: error: `user.github.io/repo/` must start with http:// or https://" in err
    assert not (root / "build").exists()


def test_the_workflow_deploys_with_the_official_pages_actions():
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    for needed in ("actions/checkout@", "actions/setup-python@", "actions/configure-pages@",
                   "actions/upload-pages-artifact@", "actions/deploy-pages@", "pages: write", "id-token: write",
                   "contents: read", "group: pages", "cancel-in-progress: false", "path: build",
                   "environment:", "github-pages"):
        assert needed in text, needed
    # The address Pages gives reaches the build through env:, never as an expression inside the script.
    assert "BASE_URL: ${{ steps.pages.outputs.base_url }}" in text
    assert 'make build BASE_URL="$BASE_URL/"' in text
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(if $(BASE_URL),--base-url" in makefile


# ------------------------------------------------------------------------------------- served under /repo/

def test_every_link_and_asset_works_under_the_subpath(pages):
    base = pages.base_url
    status, kind, _ = fetch(base)
    assert (status, kind) == (200, "text/html")
    queue, seen, ids = [base + "index.html"], set(), {}
    wanted: list[tuple[str, str]] = []  # (page that links, URL with a fragment)
    broken: list[str] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, kind, body = fetch(url)
        if status != 200:
            broken.append(f"{url}: {status}")
            continue
        if kind != "text/html":
            continue
        soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
        ids[url] = {tag["id"] for tag in soup.find_all(id=True)}
        for tag, _attribute, ref in references(soup):
            target = urljoin(url, ref)
            if not target.startswith(base):
                assert tag == "a", f"{url}: the {tag} {ref} is not on this site"
                continue
            page_url, fragment = urldefrag(target)
            if fragment:
                wanted.append((url, target))
            queue.append(page_url)
    assert broken == []
    missing = [f"{source} -> {target}" for source, target in wanted  # (a text directive after :~: is not an id)
               if urldefrag(target)[1].split(":~:")[0] not in ids.get(urldefrag(target)[0], set())]
    assert missing == [], "links to an id that is not in the page"
    built = {base + p.relative_to(pages.folder).as_posix() for p in pages.folder.rglob("*.html")}
    assert built - {base + "404.html"} <= seen, "every page is reachable from the home page"


@pytest.mark.browser
def test_a_deep_missing_url_gets_a_working_404_page(pages, page):
    base = pages.base_url
    deep = base + "a/b/c/missing.html"
    status, kind, body = fetch(deep)
    assert status == 404 and kind == "text/html" and b"Page not found" in body

    failures: list[str] = []
    origin_favicon = urljoin(base, "/favicon.ico")  # the browser asks the host's root; not the edition's
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.location['url']}: {m.text}")
            if m.type == "error" and m.location["url"] not in (deep, origin_favicon) else None)
    page.on("requestfailed", lambda r: failures.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: failures.append(f"{r.url}: {r.status}") if r.status >= 400 and r.url != deep
            else None)
    response = page.goto(deep)
    assert response is not None and response.status == 404
    page.wait_for_load_state("load")
    assert failures == []
    # The stylesheet applied (its custom properties and layout), and the script ran without errors.
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--measure').trim()") == "65ch"
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "flex"
    assert errors == []
    assert [e for e in page.errors if not e.startswith("Failed to load resource")] == []  # no script errors
    links = page.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    assert len(links) >= 5
    for link in links:
        target = urldefrag(link)[0] or deep
        if target == deep:
            continue
        assert target.startswith(base), link
        assert fetch(target)[0] == 200, link
    page.click("text=Go to the edition's home page")
    page.wait_for_url(base + "index.html")
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--measure').trim()") == "65ch"


def test_pages_server_serves_folders_like_pages(pages):
    """The test server itself: a folder is its index.html; a path outside /repo/ is a 404."""
    assert fetch(pages.base_url + "people/")[0] == 200
    assert fetch(pages.base_url.replace(PREFIX, "/other/"))[0] == 404
    assert os.path.basename(urlsplit(pages.base_url).path.rstrip("/")) == "repo"
