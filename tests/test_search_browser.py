"""Offline search in Chromium (issue 15, point 4): the bundled edition opened from disk (file://) and over
HTTP under a subpath (as GitHub Pages serves a project site): an alias finds its entity first, a phrase from
the middle of a paragraph finds that ¶ and its link scrolls to it, an accent-less query finds an accented
name, a query with no hit says so, the keyboard works, axe-core finds nothing; the handout and the print
stylesheet leave search out; only script files are loaded, and only from the build."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from quality_site import axe_source, run_axe

from generator.build import build
from generator.handout import find_article, make_handout
from generator.problems import Problems
from generator.site import Site
from tests.conftest import parse_site, write_site

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "putin-and-lavrov-rebuff-pompeos-overtures-in-sochi.html"
BOX = ".site-search input[role=combobox]"
OPTIONS = ".site-search [role=option]"
STATUS = ".site-search [role=status]"

ACCENTED = """
-- site.toml --
title = "Accents"
-- content/alpha.md --
+++
title = "Alpha"
+++
Abdullah Öcalan founded the party; Öcalan has been jailed since 1999.

The lighthouse of Işık Burnu stands north of İstanbul.

Istanbul restaurants serve ıstakoz from Łódź? No: from the Aegean.
-- annotations/people/abdullah-ocalan.md --
+++
name = "Abdullah Öcalan"
aliases = ["Öcalan"]
summary = "Founder of the PKK."
+++
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, str]:
    """The bundled edition's build: its file:// URL, and its URL over HTTP under /repo/."""
    top = tmp_path_factory.mktemp("search")
    out = build(ROOT / "site.toml", top / "repo", cache=False).output
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(top)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"disk": out.as_uri() + "/", "http": f"http://127.0.0.1:{server.server_address[1]}/repo/"}
    server.shutdown()


@pytest.fixture(params=["disk", "http"])
def site(request, sites) -> str:
    return sites[request.param]


def watch(page) -> list[str]:
    """Requests other than the build's own files, and failed ones (none may happen)."""
    odd: list[str] = []
    page.on("requestfailed", lambda r: odd.append(f"failed: {r.url}"))
    page.on("request", lambda r: odd.append(f"{r.resource_type}: {r.url}")
            if r.resource_type not in ("document", "stylesheet", "script", "image") else None)
    return odd


def type_query(page, text: str) -> None:
    page.keyboard.press("/")
    expect(page.locator(BOX)).to_be_focused()
    page.keyboard.type(text)


def paragraph_text(page, number: int) -> str:
    return page.evaluate(f"""() => {{ const p = document.getElementById('p{number}').cloneNode(true);
        p.querySelectorAll('.pnum, .note-ref').forEach(e => e.remove()); return p.textContent.trim(); }}""")


def test_an_alias_finds_its_entity_first(page, site):
    odd = watch(page)
    page.goto(site + ARTICLE)
    type_query(page, "Lavrov")
    first = page.locator(OPTIONS).first
    expect(first).to_have_attribute("data-href", "people/sergei-lavrov.html")
    expect(first).to_contain_text("Person")
    expect(first).to_contain_text("Russia's foreign minister")  # the one-line summary
    expect(page.locator(STATUS)).to_contain_text("entries")
    # Passages follow, grouped by page: the bundled article's paragraphs, with the word marked.
    expect(page.locator(f'{OPTIONS}[data-anchor^="p"]').first.locator("mark")).to_have_text(re.compile("Lavrov"))
    assert not page.errors and not odd, page.errors + odd


def test_a_phrase_from_mid_paragraph_finds_its_paragraph_and_the_link_scrolls_there(page, site):
    page.goto(site + ARTICLE)
    text = paragraph_text(page, 5)
    words = text.split()
    phrase = " ".join(words[len(words) // 2: len(words) // 2 + 5])
    type_query(page, f'"{phrase}"')
    hit = page.locator(f'{OPTIONS}[data-anchor="p5"]')
    expect(hit).to_have_count(1)
    expect(hit.locator("mark").first).to_be_visible()
    page.goto(site + "index.html")  # from another page: the link opens the article at that paragraph
    type_query(page, f'"{phrase}"')
    expect(page.locator(f'{OPTIONS}[data-anchor="p5"]')).to_have_count(1)
    while page.locator(BOX).get_attribute("aria-activedescendant") != \
            page.locator(f'{OPTIONS}[data-anchor="p5"]').get_attribute("id"):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(ARTICLE) + "#p5$"))
    expect(page.locator("#p5")).to_be_in_viewport()
    assert not page.errors, page.errors


def test_an_accentless_query_finds_the_accented_name(page, make_site, tmp_path):
    root = make_site(ACCENTED)
    out = build(root / "site.toml", tmp_path / "out").output
    page.goto((out / "alpha.html").as_uri())
    type_query(page, "ocalan")
    expect(page.locator(OPTIONS).first).to_have_attribute("data-href", "people/abdullah-ocalan.html")
    expect(page.locator(f'{OPTIONS}[data-anchor="p1"] mark')).to_have_text(["Öcalan", "Öcalan"])
    page.locator(BOX).fill("OCAL")  # prefix while typing, any case
    expect(page.locator(OPTIONS).first).to_have_attribute("data-href", "people/abdullah-ocalan.html")
    # Turkish dotted and dotless i and Polish ł fold as slugs spell them, in the query and in the text alike.
    for query, marked in [("Istanbul", {"p2": ["İstanbul"], "p3": ["Istanbul"]}),
                          ("İSTANBUL", {"p2": ["İstanbul"], "p3": ["Istanbul"]}),
                          ("isik", {"p2": ["Işık"]}), ("IŞIK", {"p2": ["Işık"]}), ("ışık", {"p2": ["Işık"]}),
                          ("istakoz lodz", {"p3": ["ıstakoz", "Łódź"]})]:
        page.locator(BOX).fill(query)
        for anchor, words in marked.items():
            expect(page.locator(f'{OPTIONS}[data-anchor="{anchor}"] mark')).to_have_text(words)
        expect(page.locator(f'{OPTIONS}[data-anchor^="p"]')).to_have_count(len(marked))


def test_a_query_with_no_hit_says_so_and_the_keyboard_works(page, site):
    page.goto(site + "people/index.html")
    type_query(page, "zqxwvj")
    expect(page.locator(STATUS)).to_have_text("No results for “zqxwvj”.")
    expect(page.locator(BOX)).to_have_attribute("aria-expanded", "false")
    page.locator(BOX).fill("")
    page.keyboard.type("putin")
    expect(page.locator(BOX)).to_have_attribute("aria-expanded", "true")
    expect(page.locator(OPTIONS).first).to_have_attribute("data-href", "../people/vladimir-putin.html")
    page.keyboard.press("ArrowDown")
    first = page.locator(OPTIONS).first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(page.locator(BOX)).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.keyboard.press("Escape")
    expect(page.locator(BOX)).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".site-search [role=listbox]")).to_be_hidden()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"people/vladimir-putin\.html$"))


def test_the_search_page_lists_results_and_works_without_javascript(browser, sites):
    page = browser.new_page()
    page.goto(sites["disk"] + "search.html?q=sochi")
    expect(page.locator(".search-page [role=option]").first).to_be_visible()
    expect(page.locator(".search-fallback")).to_be_hidden()
    page.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sites["disk"] + ARTICLE)
    page.locator(".search-link").click()
    expect(page.locator(".search-fallback a", has_text="People")).to_be_visible()
    context.close()


def test_axe_finds_nothing_with_results_open(browser, sites):
    context = browser.new_context(bypass_csp=True)  # axe is injected into the page
    page = context.new_page()
    source = axe_source()
    page.goto(sites["http"] + ARTICLE)
    type_query(page, "sochi")
    expect(page.locator(OPTIONS).first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"{OPTIONS}[aria-selected=true]")).to_have_count(1)
    found = run_axe(page, source)
    page.goto(sites["http"] + "search.html?q=lavrov")
    expect(page.locator(".search-page [role=option]").first).to_be_visible()
    found += run_axe(page, source)
    context.close()
    assert not found, "\n".join(found)


def test_the_handout_and_print_leave_search_out(page, sites, tmp_path):
    page.goto(sites["disk"] + ARTICLE)
    expect(page.locator(BOX)).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-search")).to_be_hidden()
    site = Site.load(ROOT / "site.toml", Problems(), drafts=True).analyse()
    handout = make_handout(site, find_article(site, ARTICLE[:-5]))
    soup = BeautifulSoup(handout, "html.parser")
    assert not soup.select(".site-search, .search-page, script[src], a[href*='search']")
    assert all("GlossSearch" not in (script.string or "") for script in soup.find_all("script"))


def test_search_needs_no_server(tmp_path):
    """The whole index is script files that call GlossSearch.add: nothing a page fetches."""
    root = write_site(tmp_path / "s", parse_site(ACCENTED))
    out = build(root / "site.toml").output
    for path in (out / "search").rglob("*.js"):
        assert path.read_text(encoding="utf-8").startswith("GlossSearch.add("), path
