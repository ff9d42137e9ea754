"""Hostile input (issue 7, point 4): script in every field is shown as text; raw HTML is escaped unless
site.toml allows it, and then sanitised; URLs from content are never javascript: or data:; every page
carries a Content-Security-Policy that holds under file:// (inline script and handlers, other hosts);
ids cannot write outside build/; the build refuses output folders that are not its own."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from generator.build import build
from generator.cli import main
from generator.problems import GlossError
from generator.render.pages import web_url
from generator.render.sanitize import raw_tags, sanitize_fragment, sanitize_html_block, sanitize_html_inline
from generator.write import SiteWriter

MEDIA_NAME = '"><img src=x onerror=alert(9)>.png'


def payload(field: str) -> str:
    """Script that would set window.__pwned (or open a dialog) if the field were not shown as text."""
    return (f'{field}<script>window.__pwned="{field}"</script><img src=x onerror="window.__pwned=\'{field}\'">'
            f'"\'><svg onload=alert("{field}")><a href="javascript:alert(1)">{field}</a>&lt;b&gt;')


def toml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a TOML basic string


def hostile_site(root: Path, raw_html: bool) -> Path:
    """An edition with script in every field it has. It builds without errors."""
    files = {
        "site.toml": "\n".join([
            f"title = {toml(payload('site-title'))}", f"description = {toml(payload('site-description'))}",
            f"author = {toml(payload('site-author'))}", f"raw_html = {str(raw_html).lower()}",
            "[kinds.person]", f"label = {toml(payload('kind-label'))}", f"singular = {toml(payload('kind-singular'))}",
            'fields = ["role", "country", "born"]',
            "[kinds.place]", "[strings]", f"notes = {toml(payload('strings-notes'))}", ""]),
        "content/evil.md": "\n".join([
            "+++", f"title = {toml(payload('article-title'))}", f"subtitle = {toml(payload('article-subtitle'))}",
            f"author = {toml(payload('article-author'))}", f"publication = {toml(payload('article-publication'))}",
            f"volume = {toml(payload('article-volume'))}", f"issue = {toml(payload('article-issue'))}",
            f"source = {toml('https://example.org/?q=' + payload('article-source'))}",
            f"rights = {toml(payload('article-rights'))}", f"summary = {toml(payload('article-summary'))}",
            "+++",
            "Evil Person met Evilalias in Sochi. " + payload("article-text"),
            "",
            '<div onmouseover="window.__pwned=\'block\'"><script>window.__pwned="block-script"</script>'
            '<img src=x onerror="window.__pwned=\'block-img\'"><iframe src="javascript:alert(1)"></iframe>'
            '<a href=" jav&#x09;ascript:window.__pwned=\'entity\'">entity-encoded</a>'
            '<p title="</p><img src=x onerror=window.__pwned=\'mxss\'>">mxss</p><style>*{color:red}</style></div>',
            "",
            "[js](javascript:window.__pwned='md-link') [JS](JaVaScRiPt:alert(1)) [data](data:text/html;base64,"
            "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [img-data](data:image/png;base64,AAAA) <javascript:alert(1)> "
            "[t](https://example.org \"t\\\" onmouseover=\\\"window.__pwned='title'\") "
            "![alt\" onerror=\"window.__pwned='alt'](javascript:alert(1)) `<script>code</script>`",
            "",
            f"![a picture]({'media/' + MEDIA_NAME.replace(' ', '%20').replace('>', '%3E').replace('<', '%3C').replace(chr(34), '%22')})",
            "",
            "## " + payload("heading"),
            "",
            "Sochi again, with a passage note.", ""]),
        "content/media/" + MEDIA_NAME: b"\x89PNG\r\n\x1a\n" + bytes(32),
        "annotations/people/evil-person.md": "\n".join([
            "+++", f"name = {toml('Evil Person' + payload('entity-name'))}",
            f"aliases = [\"Evil Person\", \"Evilalias\", {toml('Ev' + payload('entity-alias'))}]",
            f"summary = {toml(payload('entity-summary'))}", f"role = {toml(payload('entity-role'))}",
            f"country = {toml(payload('entity-country'))}",
            f"sources = [{{ title = {toml(payload('source-title'))}, url = {toml('https://example.org/' + payload('source-url'))} }}]",
            "+++",
            payload("gloss") + " See [[sochi|" + payload("ref-label").replace("]", "") + "]].", ""]),
        "annotations/places/sochi.md": "\n".join([
            "+++", 'name = "Sochi"', "+++", "A city. " + payload("place-gloss"), ""]),
        "annotations/notes/evil.toml": "\n".join([
            "[[note]]", 'exact = "with a passage note"', f"body = {toml(payload('passage-note'))}", ""]),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


@pytest.fixture(scope="module", params=[False, True], ids=["raw_html-off", "raw_html-on"])
def hostile(request, tmp_path_factory) -> Path:
    root = hostile_site(tmp_path_factory.mktemp("hostile") / "site", raw_html=request.param)
    report = build(root / "site.toml")
    assert not report.problems.errors
    return report.output


def pages_of(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_script_in_any_field_is_text_in_the_files(hostile: Path):
    raw_on = "raw_html = true" in (hostile.parent / "site.toml").read_text()
    seen_as_text = set()
    for page in pages_of(hostile):
        html = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        data = [s for s in soup.find_all("script") if s.get("type") == "application/ld+json"]
        assert all("<" not in s.string and json.loads(s.string) for s in data), page  # data only, nothing to run
        scripts = [s for s in soup.find_all("script") if s not in data]
        up = "../" * page.relative_to(hostile).as_posix().count("/")
        assert [s.get("src") for s in scripts] == [up + "assets/reader.js", up + "assets/gloss.js",
                                                   up + "assets/search.js"], page
        assert not any(s.string for s in scripts), f"{page.name}: inline script"
        assert not soup.find_all(["iframe", "svg", "style", "object", "embed", "form"]), page.name
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), f"{page.name}: <{tag.name} {name}=…>"
                if name in ("href", "src", "action", "formaction") and not (tag.name == "link" and "icon" in tag.get("rel", [])):
                    url = re.sub(r"[\s\x00-\x1f]", "", str(value)).lower()
                    assert not url.startswith(("javascript:", "data:", "vbscript:")), f"{page.name}: {name}={value}"
        seen_as_text.update(re.findall(r'window\.__pwned="([\w-]+)"', soup.get_text()))
    expected = {"site-title", "article-title", "article-text", "entity-name", "entity-summary", "gloss",
                "passage-note", "source-title", "article-rights", "article-source", "kind-label", "heading"}
    if raw_on:  # raw HTML is kept but sanitised: a <script> in Markdown text is dropped, not shown
        expected -= {"article-text", "gloss", "heading"}
    assert expected <= seen_as_text, expected - seen_as_text


def test_raw_html_is_escaped_unless_allowed(tmp_path):
    def body(raw: bool) -> str:
        root = tmp_path / f"raw-{raw}"
        (root / "content").mkdir(parents=True)
        (root / "site.toml").write_text(f'title = "T"\nraw_html = {str(raw).lower()}\n')
        (root / "content/a.md").write_text('+++\ntitle = "A"\n+++\nSome <b>bold</b> and <kbd>Ctrl</kbd>.\n\n'
                                           '<div class="box" onclick="x()"><em>kept</em><script>dropped()</script></div>\n')
        return (build(root / "site.toml").output / "a.html").read_text()

    off, on = body(False), body(True)
    assert "Some &lt;b&gt;bold&lt;/b&gt; and &lt;kbd&gt;Ctrl&lt;/kbd&gt;." in off and "<b>" not in off
    assert "&lt;div class=&quot;box&quot; onclick=&quot;x()&quot;&gt;" in off
    assert "Some <b>bold</b> and <kbd>Ctrl</kbd>." in on
    assert '<div class="box"><em>kept</em></div>' in on and "dropped" not in on and "onclick" not in on


@pytest.mark.parametrize("html, kept, gone", [
    ('<img src=x onerror="alert(1)">', '<img src="x">', "onerror"),
    ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>", "javascript"),
    ('<a href=" jav&#x09;ascript:alert(1)">x</a>', "<a>x</a>", "ascript"),
    ('<a href="JAVASCRIPT:alert(1)">x</a>', "<a>x</a>", "alert"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>", "data:"),
    ('<a href="https://example.org/" title="t">x</a>', '<a href="https://example.org/" title="t">x</a>', "§"),
    ('<img src="https://evil.example/p.png" alt="a">', '<img alt="a">', "evil"),
    ('<img src="//evil.example/p.png">', "<img>", "evil"),
    ('<img src="\\\\evil.example/p.png">', "<img>", "evil"),
    ('<img src="/\\evil.example/p.png">', "<img>", "evil"),
    ('<a href="/\\evil.example/">x</a>', "<a>x</a>", "evil"),
    ('<img src="media/p.png" alt="a">', '<img src="media/p.png" alt="a">', "§"),
    ("<script>alert(1)</script>after", "after", "alert"),
    ("<style>*{}</style><iframe src=x></iframe><object></object><svg onload=alert(1)></svg>ok", "ok", "svg"),
    ('<p title="</p><img src=x onerror=alert(1)>">t</p>', "<p title=", "<img"),
    ("<details open ontoggle=alert(1)><summary>s</summary></details>", "<details open=", "ontoggle"),
    ("<form action=x><input autofocus onfocus=alert(1)></form>f", "f", "onfocus"),
    ('<div style="background:url(javascript:alert(1))">d</div>', "<div>d</div>", "style"),
    ("<!-- <script>alert(1)</script> -->c", "c", "alert"),
    ("<math><mtext><script>alert(1)</script></mtext></math>m", "m", "alert"),
    ("<![x y]]><script>alert(1)</script>z", "z", "alert"),  # a marked section HTML reads as a bogus comment
])
def test_sanitize_html_block(html: str, kept: str, gone: str):
    clean = sanitize_fragment(sanitize_html_block(html))
    assert kept in clean and gone not in clean.replace("&lt;img", ""), clean
    soup = BeautifulSoup(clean, "html.parser")  # as a browser would read it: no script, no handler
    assert not soup.find_all("script") and not [a for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]


def test_raw_html_that_python_cannot_parse_is_an_edition_not_a_traceback(tmp_path, capsys):
    """`<![x …` with a keyword the standard library's parser does not know made it raise AssertionError out of
    the build; HTML reads it as a bogus comment up to the next `>`, and so does Gloss now."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "T"\nraw_html = true\n')
    (root / "content/a.md").write_text('+++\ntitle = "A"\n+++\nOne <![x y]]>two.\n\n<div>\n<![x y\n</div>\n\nAfter.\n')
    code = main(["build", "--quiet", "--site", str(root)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "AssertionError" not in err and code == 1, err
    assert "a.md:6: error: raw <div> is never closed" in err  # the bogus comment took the </div>, as HTML does
    (root / "content/a.md").write_text('+++\ntitle = "A"\n+++\nOne <![x y]]>two.\n')
    assert main(["build", "--quiet", "--site", str(root)]) == 0
    assert "One &lt;![x y]]&gt;two." in (root / "build/a.html").read_text()  # inline, CommonMark reads it as text


@given(st.text(alphabet="<>![]/-xyCDAT? \n", max_size=40))
def test_raw_html_readers_take_any_text(text: str):
    sanitize_html_block(text)
    raw_tags(text)


@pytest.mark.parametrize("tag, expected", [
    ("<b>", "<b>"), ("</b>", "</b>"), ('<a href="https://x.org" onclick="alert(1)">', '<a href="https://x.org">'),
    ('<a href="javascript:alert(1)">', "<a>"), ("<img src=x onerror=alert(1)>", '<img src="x">'),
    ("<img/src=x/onerror=alert(1)>", '<img src="x/onerror=alert(1)">'), ("<script>", ""),
    ("<SCRIPT SRC=//evil>", ""), ('<a href="javascript&colon;alert(1)">', "<a>"),
    ("<!-- x -->", ""), ('<a href="?a=1&amp;b=2">', '<a href="?a=1&amp;b=2">'),
])
def test_sanitize_html_inline(tag: str, expected: str):
    assert sanitize_html_inline(tag) == expected


@pytest.mark.parametrize("url, kept", [
    ("https://example.org/a?b=c", True), ("http://example.org", True), ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False), (" javascript:alert(1)", False), ("java\tscript:alert(1)", False),
    ("data:text/html,x", False), ("vbscript:x", False), ("//evil.example", False), ("file:///etc/passwd", False),
    ("https://", False),
])
def test_urls_from_content_are_web_addresses_only(url: str, kept: bool):
    assert (web_url(url) == url) is kept and (web_url(url) in (url, ""))


def test_markdown_links_never_carry_script_or_data(tmp_path):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "T"\n')
    (root / "content/a.md").write_text(
        '+++\ntitle = "A"\n+++\n[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](vbscript:x) '
        "[d](data:text/html,x) [e](data:image/png;base64,AAAA) ![f](data:image/png;base64,AAAA) "
        "[g](file:///etc/passwd) <javascript:alert(1)> [ok](https://example.org)\n")
    html = (build(root / "site.toml").output / "a.html").read_text()
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html[html.index('<div class="article-body">'):])
    assert "https://example.org" in hrefs
    assert not [h for h in hrefs if re.match(r"\s*(javascript|vbscript|data|file):", h, re.I)], hrefs


# ------------------------------------------------------------------------------------------------ browser


def visit_all(page, output: Path) -> list[str]:
    """Open every page, open every note (gloss.js copies a note's content into the page), and return what
    ran: dialogs, and window.__pwned."""
    ran: list[str] = []
    page.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    for path in pages_of(output):
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        for mention in page.locator("a.mention[data-note], a.note-ref[data-note]").all()[:10]:
            mention.focus()
        pwned = page.evaluate("() => window.__pwned")
        if pwned is not None:
            ran.append(f"{path.name}: {pwned}")
    return ran


@pytest.mark.browser
def test_no_script_runs_even_without_the_csp(hostile: Path, browser):
    """With the CSP switched off, escaping and sanitising alone must hold."""
    from playwright.sync_api import expect

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        assert visit_all(page, hostile) == []
        page.goto((hostile / "evil.html").as_uri())
        page.locator("a.mention[data-note]").first.focus()
        expect(page.locator(".note-popup"), "gloss.js ran and opened a note").to_have_count(1)
    finally:
        context.close()


@pytest.mark.browser
def test_no_script_runs_with_the_csp(hostile: Path, page):
    assert visit_all(page, hostile) == []


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server name)
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript" if self.path.endswith(".js") else "text/plain")
        self.end_headers()
        self.wfile.write(b"window.__pwned='remote';")

    def log_message(self, *args):
        pass


@pytest.fixture
def other_host():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_the_csp_holds_under_file_urls(built, page, other_host):
    """Inline script, inline handlers and anything from another host are blocked by the pages' CSP when the
    site is opened from disk, while the page's own gloss.js still runs. The hostile markup is put into a built
    page by hand: the generator itself would never write it."""
    output = built("""
        -- site.toml --
        title = "T"
        raw_html = true
        -- content/a.md --
        +++
        title = "A"
        +++
        Sergei Lavrov spoke. <b onclick="window.__pwned='sanitised-away'">bold</b>
        -- annotations/people/sergei-lavrov.md --
        +++
        name = "Sergei Lavrov"
        +++
        A minister.
        """)
    article = output / "a.html"
    html = article.read_text()
    assert "onclick" not in html  # the sanitiser took it out; now put in what it never lets through
    injected = (f'<img src="x" onerror="window.__pwned=\'onerror\'"><script>window.__pwned="inline"</script>'
                f'<a id="click" href="#" onclick="window.__pwned=\'onclick\'">c</a>'
                f'<script src="{other_host}/evil.js"></script><img src="{other_host}/pixel.png">'
                f'<link rel="stylesheet" href="{other_host}/x.css"><iframe src="{other_host}/frame"></iframe>'
                f'<form action="{other_host}/post"><button id="send">send</button></form>')
    article.write_text(html.replace("</main>", injected + "</main>"))
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(article.as_uri())
    page.wait_for_load_state("load")
    page.click("#click")
    page.click("#send", no_wait_after=True)
    # Whatever the clicks could set off has had its turn: two animation frames, then a settled page.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__pwned") is None
    assert _Recorder.hits == [], _Recorder.hits
    assert violations, "Chromium reported no CSP violation: was the policy applied?"
    page.goto(article.as_uri())
    page.locator("a.mention[data-note]").first.focus()
    page.wait_for_selector(".note-popup")  # gloss.js ran under the same policy


def test_every_page_carries_the_policy(hostile: Path):
    for path in pages_of(hostile):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path.name
        policy = {part.split()[0]: part.split()[1:] for part in meta["content"].split(";") if part.strip()}
        assert policy["default-src"] == ["'none'"] and policy["script-src"] == ["'self'"], policy
        assert not any("unsafe" in v or "http" in v or v == "*" for values in policy.values() for v in values), policy
        assert soup.head.contents.index(meta) < soup.head.contents.index(soup.find("script")), "CSP before scripts"


# ------------------------------------------------------------------------------------------------ the disk


@pytest.mark.parametrize("path", ["../escape.html", "a/../../escape.html", "/tmp/escape.html", "people/../../x.html",
                                  "..", "media/../../../x"])
def test_ids_cannot_write_outside_the_build(tmp_path, path):
    writer = SiteWriter(tmp_path / "build", forbidden=[])
    try:
        with pytest.raises(GlossError, match="escapes the build folder"):
            writer.write(path, "x")
    finally:
        writer.abandon()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if ".gloss-cache" in path.parts:
            continue
        h.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def project(make_site) -> Path:
    return make_site("""
        -- site.toml --
        title = "T"
        theme = "mine"
        -- content/a.md --
        +++
        title = "A"
        +++
        Text.
        -- content/media/x.txt --
        media
        -- annotations/people/x-y.md --
        +++
        name = "X Y"
        +++
        Gloss.
        -- themes/mine/templates/home.html --
        {% extends "base.html" %}{% block main %}Home{% endblock %}
        -- notes/keep.txt --
        my own notes
        """)


@pytest.mark.parametrize("out, message", [
    (".", "holds the edition's own files"), ("content", "holds the edition's own files"),
    ("annotations", "holds the edition's own files"), ("content/media", "holds the edition's own files"),
    ("annotations/people/new", "holds the edition's own files"), ("themes/mine", "holds the edition's own files"),
    ("..", "holds the edition's own files"), ("notes", "does not look like a Gloss build"),
    ("content/a.md", "holds the edition's own files"), ("site.toml", "the output path is a file"),
])
def test_the_build_refuses_folders_that_are_not_its_own(project, out, message, capsys, monkeypatch):
    monkeypatch.chdir(project)
    before = tree_digest(project.parent)
    assert main(["build", "--quiet", "--out", out]) == 1
    assert message in capsys.readouterr().err
    assert tree_digest(project.parent) == before


@pytest.mark.parametrize("out", ["build", "elsewhere/new", "empty"])
def test_the_build_writes_where_it_may(project, out, monkeypatch):
    monkeypatch.chdir(project)
    (project / "empty").mkdir()
    assert main(["build", "--quiet", "--out", out]) == 0
    assert (project / out / "index.html").is_file() and (project / out / ".gloss-build").is_file()
    (project / out / "index.html").write_text("stale")
    assert main(["build", "--quiet", "--out", out]) == 0  # a previous build is replaced
    assert "Home" in (project / out / "index.html").read_text()
