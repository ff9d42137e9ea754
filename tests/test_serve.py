"""gloss serve: a real server on a free port, a real watcher, real edits in a temp copy of a small site.

The incremental rebuilds are compared file by file with a fresh `gloss build` after every kind of edit.
"""

from __future__ import annotations

import http.client
import io
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PATIENCE_S

from generator.build import build
from generator.serve import Preview
from generator.serve.server import for_serving, output_path, serving_policy
from generator.serve.watch import Watcher, is_scratch
from generator.site import Site

SITE = """
-- site.toml --
title = "Serve test"
base_url = "https://example.org/ed/"
-- content/first.md --
+++
title = "First article"
date = 2019-05-14
+++
Sergei Lavrov met Mike Pompeo in Sochi.

Lavrov spoke first, and [[kremlin]] listened.
-- content/second.md --
+++
title = "Second article"
date = 2019-05-15
+++
Pompeo flew home from Soch&#105;.
-- annotations/people/sergei-lavrov.md --
+++
name = "Sergei Lavrov"
aliases = ["Lavrov"]
summary = "Russia's foreign minister."
related = ["mike-pompeo"]
+++
Russia's foreign minister; he answers to the [[kremlin]].
-- annotations/people/mike-pompeo.md --
+++
name = "Mike Pompeo"
aliases = ["Pompeo"]
summary = "US Secretary of State."
+++
US Secretary of State in 2019.
-- annotations/institutions/kremlin.md --
+++
name = "Kremlin"
summary = "The seat of the Russian presidency."
+++
The seat of the presidency.
-- annotations/notes/first.toml --
[[note]]
exact = "spoke first"
body = "As the host."
"""

TIMEOUT = PATIENCE_S


def wait_for(condition: Callable[[], object], timeout: float = TIMEOUT, what: str = "the condition") -> object:
    """Poll until condition() is truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.03)


def save(path: Path, text: str) -> None:
    """Save the way editors do: write a temporary file beside it, then rename it over the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    save(path, text.replace(old, new, 1))


def fetch(preview: Preview, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    host, port = preview.server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=PATIENCE_S)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def page_text(preview: Preview, path: str) -> str:
    status, _, body = fetch(preview, path)
    return body.decode("utf-8") if status == 200 else ""


def built_files(site: Path, out: Path) -> dict[str, bytes]:
    """A fresh `gloss build`: nothing taken from a previous build's cache, rendered in one process (that the
    pool's output is the same is test_cache's; here the pool is the live site's)."""
    build(site / "site.toml", out, cache=False, jobs=1)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".gloss-build"}


@pytest.fixture
def site(make_site) -> Path:
    return make_site(SITE)


@pytest.fixture
def running(site: Path):
    """A started preview on a free port, with its terminal output captured."""
    preview = Preview(site / "site.toml", port=0, out=io.StringIO(), err=io.StringIO())
    preview.start()
    yield preview
    preview.stop()


class Events:
    """Reads the server-sent event stream in a thread and keeps every `data:` line."""

    def __init__(self, preview: Preview):
        host, port = preview.server.server_address[:2]
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.connection.request("GET", "/__gloss__/events")
        self.response = self.connection.getresponse()
        self.data: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.response.fp:
                if line.startswith(b"data: "):
                    self.data.append(line[6:].decode().strip())
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        self.connection.close()


# ------------------------------------------------------------------ incremental = full


def assert_same(live_files: dict[str, bytes] | None, site: Path, out: Path, step: str) -> None:
    assert live_files is not None, f"{step}: the live site has errors"
    expected = built_files(site, out)
    assert sorted(live_files) == sorted(expected), f"{step}: other files than gloss build"
    differ = [p for p in expected if live_files[p] != expected[p]]
    assert not differ, f"{step}: these files differ from gloss build: {differ}"


@pytest.mark.parametrize("pool", [False, True], ids=["one process", "process pool"])
def test_every_kind_of_edit_rebuilds_to_exactly_what_gloss_build_writes(site: Path, tmp_path: Path, monkeypatch,
                                                                         pool: bool):
    if pool:  # what an edition of many articles gets: bodies and pages rendered in gloss build's pool
        import generator.pool

        monkeypatch.setattr(generator.pool, "PARALLEL_FROM", 1)
        monkeypatch.setattr(generator.pool, "may_fork", lambda: True)
    gloss_site = Site(site / "site.toml")
    out = tmp_path / "fresh"
    outcome = gloss_site.update()
    assert_same(outcome.files, site, out, "first build")
    total = outcome.rendered
    first, people = site / "content/first.md", site / "annotations/people"

    def step(name: str, changed: list[Path], change: Callable[[], None]) -> object:
        change()
        result = gloss_site.update(changed)
        assert_same(result.files, site, out, name)
        return result

    second_body = gloss_site.live.bodies["second"].rendered
    result = step("article text", [first], lambda: edit(first, "spoke first", "spoke first and at length"))
    assert 0 < result.rendered < total, "an article edit renders only the pages it reaches"
    assert gloss_site.live.bodies["second"].rendered is second_body, "the other article's body is not rendered again"
    assert "first.html" in result.changed and "second.html" not in result.changed
    step("new entity whose name the text uses", [], lambda: save(
        site / "annotations/places/sochi.md", '+++\nname = "Sochi"\nsummary = "A resort."\n+++\nOn the Black Sea.\n'))
    assert 'href="places/sochi.html"' in gloss_site.live.good["second.html"].decode()  # "Soch&#105;" is Sochi too
    step("entity renamed: [[id]] labels change", [], lambda: edit(
        site / "annotations/institutions/kremlin.md", 'name = "Kremlin"', 'name = "The Kremlin"'))
    step("summary shown in notes", [], lambda: edit(people / "mike-pompeo.md", "US Secretary of State.",
                                                     "America's top diplomat, see [[sergei-lavrov]]."))
    step("alias removed", [], lambda: edit(people / "sergei-lavrov.md", 'aliases = ["Lavrov"]', "aliases = []"))
    step("alias added", [], lambda: edit(people / "sergei-lavrov.md", "aliases = []",
                                         'aliases = ["Lavrov", "Sergei Lavrov"]'))
    step("gloss refers to another entity", [], lambda: edit(
        site / "annotations/institutions/kremlin.md", "The seat of the presidency.",
        "The seat of the presidency, where [[sergei-lavrov]] reports."))
    step("title (home, 404, neighbours, mention lists)", [], lambda: edit(first, "First article", "Opening article"))
    step("date reorders the articles", [], lambda: edit(first, "2019-05-14", "2019-05-16"))
    step("new article", [], lambda: save(site / "content/third.md",
                                         '+++\ntitle = "Third"\n+++\nMike Pompeo and the Kremlin.\n'))
    step("article renamed", [], lambda: os.rename(site / "content/third.md", site / "content/fourth.md"))
    step("article deleted", [], lambda: os.remove(site / "content/fourth.md"))
    step("passage note", [], lambda: edit(site / "annotations/notes/first.toml", "As the host.", "As *host*."))
    step("entity changes kind", [], lambda: os.rename(
        site / "annotations/places/sochi.md", site / "annotations/institutions/sochi.md"))
    step("related", [], lambda: edit(people / "sergei-lavrov.md", 'related = ["mike-pompeo"]', "related = []"))
    step("entity deleted", [], lambda: os.remove(site / "annotations/institutions/sochi.md"))
    step("draft", [], lambda: edit(site / "content/second.md", "+++\n", '+++\ndraft = true\n'))
    step("media file", [], lambda: save(site / "content/media/a.txt", "attached"))
    step("site.toml", [], lambda: edit(site / "site.toml", 'title = "Serve test"', 'title = "Serve test 2"'))
    step("a theme of the site's own", [], lambda: (
        save(site / "themes/mine/templates/home.html",
             '{% extends "base.html" %}{% block main %}<h1>{{ site.title }}</h1>{% for a in articles %}'
             "<p>{{ a.title }}</p>{% endfor %}{% endblock %}\n"),
        edit(site / "site.toml", 'title = "Serve test 2"', 'title = "Serve test 2"\ntheme = "mine"')))
    step("template", [], lambda: edit(site / "themes/mine/templates/home.html", "<h1>", "<h1 class=x>"))
    step("theme static file", [], lambda: save(site / "themes/mine/static/extra.css", "p { color: red }\n"))


def test_the_first_build_takes_bodies_from_the_build_cache(site: Path, tmp_path: Path, monkeypatch):
    """`gloss serve` starts from the bodies `gloss build` cached: none is rendered again, and the site is
    still byte for byte a fresh build; a save afterwards renders that one article, as before."""
    import generator.bodies

    rendered: list[str] = []

    def counted(render):
        def render_body(article, *args):
            rendered.append(article.slug)
            return render(article, *args)
        return render_body

    build(site / "site.toml", tmp_path / "cached")  # fills .gloss-cache/
    monkeypatch.setattr(generator.bodies, "render_article", counted(generator.bodies.render_article))
    gloss_site = Site(site / "site.toml")
    outcome = gloss_site.update()
    assert rendered == [], "the first build rendered bodies the cache held"
    assert_same(outcome.files, site, tmp_path / "fresh", "first build from the cache")  # (renders: a fresh build)
    first = site / "content/first.md"
    rendered.clear()
    edit(first, "spoke first", "spoke first and at length")
    after_save = gloss_site.update([first])
    assert rendered == ["first"]
    assert_same(after_save.files, site, tmp_path / "fresh", "a save after it")


def test_errors_keep_the_last_good_site_and_recover(site: Path, tmp_path: Path):
    gloss_site = Site(site / "site.toml")
    good = gloss_site.update().files
    first = site / "content/first.md"
    edit(first, "[[kremlin]]", "[[kremlinn]]")
    broken = gloss_site.update([first])
    assert broken.files is None
    assert any(p.path == "content/first.md" and p.line == 7 and "kremlinn" in p.message for p in broken.problems.errors)
    assert gloss_site.live.good is good
    edit(first, "[[kremlinn]]", "[[kremlin]]")
    assert_same(gloss_site.update([first]).files, site, tmp_path / "fresh", "fixed")


# ------------------------------------------------------------------ over HTTP


def test_serves_the_edition_under_its_base_path(running: Preview):
    assert running.server.server_address[0] == "127.0.0.1"
    assert running.url.endswith("/ed/")
    status, headers, _ = fetch(running, "/")
    assert status == 302 and headers["location"] == "/ed/"
    status, headers, _ = fetch(running, "/ed")
    assert status == 302 and headers["location"] == "/ed/"
    status, headers, body = fetch(running, "/ed/")
    assert status == 200 and headers["content-type"].startswith("text/html") and b"First article" in body
    status, headers, body = fetch(running, "/ed/people/")
    assert status == 200 and b"Sergei Lavrov" in body
    status, headers, body = fetch(running, "/ed/first.html", "HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    assert fetch(running, "/ed/assets/gloss.css")[1]["content-type"].startswith("text/css")
    status, _, body = fetch(running, "/ed/no-such-page.html")
    assert status == 404 and b'href="/ed/' in body  # 404.html, its absolute links made local
    assert fetch(running, "/first.html")[0] == 404  # outside the base path
    for method in ("POST", "PUT", "DELETE"):
        status, headers, _ = fetch(running, "/ed/first.html", method)
        assert status == 405 and headers["allow"] == "GET, HEAD"


def test_served_pages_carry_the_reload_script_and_builds_never_do(running: Preview, site: Path, tmp_path: Path):
    body = page_text(running, "/ed/first.html")
    assert '<script src="/__gloss__/reload.js"' in body
    assert body.index("/__gloss__/reload.js") < body.rindex("</body>")
    policy = body.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert "connect-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "'none'" in policy  # default-src stays 'none'
    script = fetch(running, "/__gloss__/reload.js")
    assert script[0] == 200 and b"EventSource" in script[2]
    for path, content in built_files(site, tmp_path / "out").items():
        assert b"__gloss__" not in content and b"reload.js" not in content, path
        assert b"connect-src 'self'" not in content, path


def test_the_served_site_is_byte_for_byte_what_gloss_build_writes(running: Preview, site: Path, tmp_path: Path):
    version = running.snapshot.version
    edit(site / "content/first.md", "met Mike Pompeo", "met Secretary Mike Pompeo")
    wait_for(lambda: running.snapshot.version != version, what="a rebuild")
    wait_for(lambda: "met Secretary" in page_text(running, "/ed/first.html"), what="the edit to be served")
    expected = built_files(site, tmp_path / "fresh")
    assert sorted(running.snapshot.files) == sorted(expected)
    snapshot = running.snapshot
    for path, content in expected.items():
        status, _, body = fetch(running, "/ed/" + path)
        assert status == 200, path
        assert body == (for_serving(content, snapshot) if path.endswith(".html") else content), path


def test_a_save_is_served_and_signalled(running: Preview, site: Path):
    events = Events(running)
    try:
        wait_for(lambda: events.data == [running.snapshot.version], what="the current version on connect")
        edit(site / "annotations/people/sergei-lavrov.md", "Russia's foreign minister.", "Foreign minister since 2004.")
        wait_for(lambda: "Foreign minister since 2004." in page_text(running, "/ed/first.html"), what="the new note")
        wait_for(lambda: len(events.data) >= 2 and events.data[-1] == running.snapshot.version,
                 what="the reload signal")
        assert "reload.js" in page_text(running, "/ed/first.html")
        # (the terminal line is written just after the new pages are published)
        wait_for(lambda: "people/sergei-lavrov.md" in running.out.getvalue(), what="the saved file named")
    finally:
        events.close()


def test_new_deleted_and_renamed_files_are_picked_up(running: Preview, site: Path):
    save(site / "content/third.md", '+++\ntitle = "Third article"\n+++\nThe Kremlin said nothing.\n')
    wait_for(lambda: "Kremlin" in page_text(running, "/ed/third.html"), what="the new article")
    os.rename(site / "content/third.md", site / "content/fourth.md")
    wait_for(lambda: fetch(running, "/ed/fourth.html")[0] == 200 and fetch(running, "/ed/third.html")[0] == 404,
             what="the renamed article")
    os.remove(site / "content/fourth.md")
    wait_for(lambda: fetch(running, "/ed/fourth.html")[0] == 404, what="the deleted article to go")
    os.makedirs(site / "annotations/places")
    save(site / "annotations/places/sochi.md", '+++\nname = "Sochi"\n+++\nA resort.\n')  # in a new folder
    wait_for(lambda: fetch(running, "/ed/places/sochi.html")[0] == 200, what="the entity in a new folder")


@pytest.mark.parametrize("break_it, where", [
    (("content/first.md", 'title = "First article"', 'title = "First article'), "content/first.md:2"),
    (("content/first.md", "[[kremlin]]", "[[kremlim]]"), "content/first.md:7"),
    (("annotations/people/mike-pompeo.md", 'name = "Mike Pompeo"', 'name = = "Mike Pompeo"'),
     "annotations/people/mike-pompeo.md:2"),
])
def test_a_broken_edit_shows_its_error_and_fixing_it_recovers(running: Preview, site: Path, break_it, where):
    name, old, new = break_it
    edit(site / name, old, new)
    wait_for(lambda: running.snapshot.errors, what="the error")
    body = page_text(running, "/ed/first.html")
    assert 'id="gloss-errors"' in body and where in body, body[-1500:]
    assert "Sergei Lavrov" in body  # the last good page is still served underneath
    assert where in running.err.getvalue()
    edit(site / name, new, old)
    wait_for(lambda: not running.snapshot.errors, what="the recovery")
    assert 'id="gloss-errors"' not in page_text(running, "/ed/first.html")


def test_a_template_error_names_the_template_line(make_site):
    site = make_site(SITE + '-- themes/mine/templates/home.html --\n{% extends "base.html" %}\n'
                     "{% block main %}<h1>{{ site.title }}</h1>{% endblock %}\n")
    edit(site / "site.toml", 'title = "Serve test"', 'title = "Serve test"\ntheme = "mine"')
    preview = Preview(site / "site.toml", port=0, out=io.StringIO(), err=io.StringIO())
    preview.start()
    try:
        assert "<h1>Serve test</h1>" in page_text(preview, "/ed/")
        edit(site / "themes/mine/templates/home.html", "{{ site.title }}", "{{ site.title | nosuchfilter }}")
        wait_for(lambda: preview.snapshot.errors, what="the template error")
        assert "home.html:2" in page_text(preview, "/ed/") and "home.html:2" in preview.err.getvalue()
        edit(site / "themes/mine/templates/home.html", "{{ site.title | nosuchfilter }}", "{{ site.title }}!")
        wait_for(lambda: "<h1>Serve test!</h1>" in page_text(preview, "/ed/"), what="the fixed template")
        assert not preview.snapshot.errors
    finally:
        preview.stop()


def test_an_edition_broken_from_the_start_shows_an_error_page_until_fixed(make_site):
    site = make_site(SITE)
    edit(site / "content/first.md", "[[kremlin]]", "[[nobody]]")
    preview = Preview(site / "site.toml", port=0, out=io.StringIO(), err=io.StringIO())
    preview.start()
    try:
        status, _, body = fetch(preview, "/ed/first.html")
        assert status == 500 and b"content/first.md:7" in body and b"/__gloss__/reload.js" in body
        edit(site / "content/first.md", "[[nobody]]", "[[kremlin]]")
        wait_for(lambda: fetch(preview, "/ed/first.html")[0] == 200, what="the fixed edition")
    finally:
        preview.stop()


def test_requests_cannot_leave_the_site(running: Preview, site: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    (site / "content/media").mkdir()
    (site / "content/media/link.txt").symlink_to(secret)
    (site / "content/media/folder").symlink_to(tmp_path)
    save(site / "content/media/real.txt", "public")
    wait_for(lambda: fetch(running, "/ed/media/real.txt")[0] == 200, what="the media file")
    attempts = ["/ed/../site.toml", "/ed/%2e%2e/site.toml", "/ed/%2E%2E%2Fsite.toml", "/ed/..%2fsite.toml",
                "/ed/people/%2e%2e/%2e%2e/site.toml", "/ed/%252e%252e/site.toml", "//etc/passwd", "/ed//etc/passwd",
                "/ed/%2fetc%2fpasswd", "/ed/%5c..%5csite.toml", "/ed/content/first.md", "/ed/site.toml",
                "/ed/.gloss-build", "/ed/media/link.txt", "/ed/media/folder/secret.txt", "/ed/%00",
                "/ed/media/../../secret.txt", "/__gloss__/../site.toml", "/__gloss__/live.py",
                "/ed/people/..", "/ed/%c0%ae%c0%ae/site.toml"]
    for path in attempts:
        status, _, body = fetch(running, path)
        assert status == 404, path
        assert b"TOP SECRET" not in body and b"Serve test" not in body.split(b"<title>")[0], path
    for method in ("GET", "HEAD"):
        assert fetch(running, "/ed/../../../../etc/passwd", method)[0] == 404


def test_output_paths_and_the_policy():
    assert output_path("") == "index.html"
    assert output_path("people/") == "people/index.html"
    assert output_path("media/a%20b.png") == "media/a b.png"
    for bad in ("..", "a/../b", "%2e%2e/x", "/etc/passwd", "a//b", "a\\b", "%00", "%ff"):
        assert output_path(bad) is None, bad
    policy = serving_policy("default-src 'none'; script-src 'self'; connect-src 'none'")
    assert policy == "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'"
    assert "connect-src 'self'" in serving_policy("default-src 'none'")
    assert serving_policy("default-src 'self'") == "default-src 'self'"


def test_editor_scratch_files_and_outputs_are_not_watched(site: Path):
    watcher = Watcher(site, lambda paths: None)
    for name in (".first.md.swp", "first.md~", "#first.md#", ".#first.md", "4913", "first.md.tmp"):
        assert is_scratch(name), name
        assert not watcher.relevant(str(site / "content" / name)), name
    for path in ("build/index.html", ".gloss-cache/x", ".git/index", "README.md", "notes.txt"):
        assert not watcher.relevant(str(site / path)), path
    for path in ("site.toml", "content/first.md", "annotations/people/x.md", "content", "themes/mine/x.html"):
        assert watcher.relevant(str(site / path)), path


def test_the_port_in_use_is_reported(running: Preview, capsys):
    from generator.serve import serve

    port = running.server.server_address[1]
    assert serve(running.site_file, port=port) == 1
    assert "already in use" in capsys.readouterr().err
