"""Quality gates on the built files: valid HTML (the Nu HTML Checker) and no broken internal link or
anchor, from file:// and over HTTP, on the bundled edition and on the fixture edition."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from conftest import JAVA_SHORT_RUN, PATIENCE_S
from quality_site import EDITIONS, VNU_JAR, Edition, edition, need, served

# ------------------------------------------------------------------------------------------ Nu checker


BAD_PAGE = ('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
            '<p id="a">one</p><p id="a">two</p><li>stray</li></body></html>')


@pytest.fixture(scope="module")
def vnu_messages(tmp_path_factory) -> dict[str, list[str]]:
    """One Nu HTML Checker run over every page (and the theme's CSS) of both editions, and over a page with
    errors (the gate must be able to fail): {edition or "bad page": errors}. One JVM for all of it."""
    jar = need(VNU_JAR, "vnu-jar")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `make test` (tools/test-deps.sh installs default-jre-headless)")
    editions = [edition(name, tmp_path_factory) for name in EDITIONS]
    bad = tmp_path_factory.mktemp("nu") / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    files = [p for e in editions for p in e.pages] + [p for e in editions for p in sorted(e.output.glob("assets/*.css"))]
    run = subprocess.run([java, *JAVA_SHORT_RUN, "-Xss4m", "-jar", str(jar), "--errors-only", "--also-check-css",
                          "--format", "json", *map(str, files), str(bad)], capture_output=True, text=True, timeout=600)
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    found: dict[str, list[str]] = {e.name: [] for e in editions} | {"bad page": []}
    for message in report["messages"]:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        if path == bad:
            found["bad page"].append(message["message"])
            continue
        owner = next((e for e in editions if path.is_relative_to(e.output) or path == e.handout), editions[0])
        where = f"{owner.rel(path)}:{message.get('lastLine', 0)}:{message.get('firstColumn', 0)}"
        found[owner.name].append(f"{where}: {message['type']}: {message['message']} — {message.get('extract', '')!r}")
    assert run.returncode in (0, 1), run.stderr[-2000:]
    return found


@pytest.mark.gates
@pytest.mark.parametrize("name", EDITIONS)
def test_every_page_is_valid_html(name: str, vnu_messages) -> None:
    assert vnu_messages[name] == [], "\n".join(vnu_messages[name])


@pytest.mark.gates
def test_the_nu_checker_finds_errors_when_there_are_some(vnu_messages) -> None:
    """The gate can fail: a page with a duplicate id and an li outside a list is reported (in the same run)."""
    messages = vnu_messages["bad page"]
    assert any("Duplicate ID" in m for m in messages) and any("li" in m for m in messages), messages


# ------------------------------------------------------------------------------------------------ links


class PageLinks(HTMLParser):
    """The ids a page defines and the URLs it refers to (href of a and link, src of img and script)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (tag, url)
        self.notes: list[str] = []  # data-note values: the id of the note a mention opens

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        if values.get("data-note"):
            self.notes.append(values["data-note"] or "")
        for key in ("href", "src"):
            if values.get(key) is not None and tag in ("a", "link", "img", "script", "area", "source"):
                self.refs.append((tag, values[key] or ""))


def parse(html: str) -> PageLinks:
    parser = PageLinks()
    parser.feed(html)
    return parser


def internal(url: str, base_url: str) -> bool:
    """Links to this edition: relative ones, and absolute ones under base_url (404.html's)."""
    scheme = urlsplit(url).scheme
    return not scheme or bool(base_url and url.startswith(base_url))


def check_on_disk(ed: Edition) -> tuple[list[str], int]:
    """Resolve every internal link of every page as a browser does from file:// and look on disk."""
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    checked = 0

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = parse(path.read_text(encoding="utf-8")).ids
        return ids[path]

    for page in ed.pages:
        found = parse(page.read_text(encoding="utf-8"))
        ids[page] = found.ids
        for note in sorted(set(found.notes) - found.ids):
            problems.append(f"{ed.rel(page)}: a mention opens note {note!r}, which is not on the page")
        for tag, url in found.refs:
            if not internal(url, ed.base_url):
                continue
            checked += 1
            if ed.base_url and url.startswith(ed.base_url):
                target_url = (ed.output.as_uri() + "/") + url[len(ed.base_url):]
            else:
                target_url = urljoin(page.as_uri(), url)
            address, fragment = urldefrag(target_url)
            fragment = fragment.split(":~:", 1)[0]  # a text directive (entity pages' mention rows) is not an id
            target = Path(unquote(urlsplit(address).path))
            where = f"{ed.rel(page)}: <{tag}> {url!r}"
            if not target.exists():
                problems.append(f"{where}: no file {target}")
            elif target.is_dir():
                problems.append(f"{where}: points at a folder (offline readers get a file listing or nothing)")
            elif not target.is_relative_to(ed.output) and target != page:
                problems.append(f"{where}: leaves the build folder")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in ids_of(target):
                problems.append(f"{where}: no id {fragment!r} in {ed.rel(target)}")
    return problems, checked


@pytest.mark.parametrize("name", EDITIONS)
def test_every_internal_link_and_anchor_resolves_from_disk(name: str, tmp_path_factory) -> None:
    ed = edition(name, tmp_path_factory)
    problems, checked = check_on_disk(ed)
    assert checked > 10 * len(ed.pages), "the crawler found too few links: is it reading the pages?"
    assert problems == [], "\n".join(problems[:50])


@pytest.mark.parametrize("name", EDITIONS)
def test_every_page_is_reached_over_http_from_the_home_page(name: str, tmp_path_factory) -> None:
    """Crawl from / over loopback HTTP following links: every URL answers 200, every #fragment exists,
    and every page of the build (but 404.html) is reachable from the home page."""
    ed = served(edition(name, tmp_path_factory))
    seen: dict[str, PageLinks | None] = {}
    problems: list[str] = []
    queue = [(ed.url + "index.html", "start")]
    while queue:
        url, referrer = queue.pop()
        address, fragment = urldefrag(url)
        fragment = fragment.split(":~:", 1)[0]  # a text directive (entity pages' mention rows) is not an id
        if address not in seen:
            try:
                with urllib.request.urlopen(address, timeout=PATIENCE_S) as response:
                    body = response.read()
                    kind = response.headers.get_content_type()
            except urllib.error.HTTPError as exc:
                problems.append(f"{referrer}: {address[len(ed.url):]} answers {exc.code}")
                seen[address] = None
                continue
            seen[address] = parse(body.decode("utf-8")) if kind == "text/html" else None
            links = seen[address]
            if links is not None:
                for _tag, ref in links.refs:
                    if not internal(ref, ed.base_url):
                        continue
                    if ed.base_url and ref.startswith(ed.base_url):
                        ref = ed.url + ref[len(ed.base_url):]
                    queue.append((urljoin(address, ref), address[len(ed.url):]))
        links = seen[address]
        if fragment and links is not None and unquote(fragment) not in links.ids:
            problems.append(f"{referrer}: {url[len(ed.url):]}: no such anchor")
    assert problems == [], "\n".join(sorted(set(problems))[:50])
    reached = {address[len(ed.url):] for address in seen}
    built = {ed.rel(p) for p in ed.pages if p.is_relative_to(ed.output)} - {"404.html"}
    assert built - reached == set(), "pages no link leads to"
    # 404.html is served at any depth: its links (absolute from base_url, else relative) must work too.
    with urllib.request.urlopen(ed.url + "404.html", timeout=PATIENCE_S) as response:
        assert response.status == 200


def test_the_crawler_reports_a_broken_anchor_and_a_folder_link(built) -> None:
    """The link gate can fail: a missing #anchor and a link to a bare folder are both reported."""
    output = built("""
        -- content/a.md --
        +++
        title = "A"
        +++
        See the text.
        """)
    page = output / "a.html"  # gloss build refuses these links itself (generator/check.py): put them in by hand
    page.write_text(page.read_text().replace(
        "See the text.", 'See <a href="#no-such-place">nowhere</a> and <a href="people/">the people</a>.'))
    ed = Edition("tiny", output.parent / "site.toml", output, pages=sorted(output.rglob("*.html")))
    problems, _ = check_on_disk(ed)
    assert any("no id 'no-such-place'" in p for p in problems), problems
    assert any("points at a folder" in p for p in problems), problems


@pytest.mark.browser
@pytest.mark.parametrize("name", EDITIONS)
def test_pages_opened_from_disk_load_their_style_and_script(name: str, tmp_path_factory, browser) -> None:
    """From file:// (a USB stick) the CSP's 'self' must still let gloss.css and gloss.js load, and every link
    the browser resolves stays on disk."""
    ed = edition(name, tmp_path_factory)
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda msg: failed.append(msg.text) if msg.type == "error" else None)
    try:
        for label, rel in ed.kinds().items():
            if rel == "404.html" and ed.base_url:
                continue  # its links are absolute (https://…/assets/gloss.css): it is only ever served
            page.goto((ed.output / rel).as_uri())
            styled = page.evaluate("() => getComputedStyle(document.body).fontFamily")
            assert "serif" in styled, f"{label}: gloss.css did not apply from file:// ({styled!r})"
            hrefs = page.evaluate("() => [...document.links].map(a => a.href)")
            assert hrefs and all(h.startswith(("file://", "http://", "https://", "mailto:")) for h in hrefs)
            local = [h for h in hrefs if h.startswith("file://")]
            assert all(Path(unquote(urlsplit(h).path)).is_file() for h in local), label
            if page.locator("a.mention[data-note]").count():
                assert page.get_attribute("a.mention[data-note]", "aria-expanded") == "false", \
                    f"{label}: gloss.js did not run from file://"
    finally:
        context.close()
    assert failed == [], failed
