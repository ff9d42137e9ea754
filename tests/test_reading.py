"""Reading (issue 16), what the build writes: 'Often mentioned with', text fragments on entity pages' mention
rows, the small defects (quotation marks, lang on excerpts, plurals through the theme's strings, separators,
the empty edition, a figure whose image is not reproduced). What a reader's browser does is in
tests/test_reading_browser.py."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from generator.build import build
from generator.cli import main
from generator.comentions import often_mentioned_with, paragraph_groups
from generator.render.pages import plural, text_fragment

ROOT = Path(__file__).resolve().parent.parent

SITE = """
-- site.toml --
title = "Reading test"
-- content/alpha.md --
+++
title = "Alpha"
publication = "The Monitor"
date = 2019-05-03
order = 1
+++
::: figure
Ada Lovelace at the engine (Source: London archive)
:::

Ada Lovelace met Charles Babbage in London. Babbage showed her the engine.

“It is flexible,” Babbage said of the engine in London.

London was busy. Babbage wrote to Lovelace.
-- content/beta.md --
+++
title = "Beta"
author = "A. Writer"
language = "es"
order = 2
+++
Charles Babbage vivió en Londres con Ada Lovelace.
-- annotations/people/ada-lovelace.md --
+++
name = "Ada Lovelace"
aliases = ["Lovelace"]
+++
-- annotations/people/charles-babbage.md --
+++
name = "Charles Babbage"
aliases = ["Babbage"]
+++
-- annotations/places/london.md --
+++
name = "London"
aliases = ["Londres"]
+++
-- annotations/events/exhibition.md --
+++
name = "Great Exhibition"
+++
"""


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_often_mentioned_with_counts_shared_paragraphs(built):
    out = built(SITE)
    section = soup(out / "people" / "ada-lovelace.html").find("section", class_="together")
    assert section is not None and section.h2.get_text() == "Often mentioned with"
    items = [(li.a.get_text(), li.find(class_="count").get_text()) for li in section.find_all("li")]
    # London: the caption, ¶1 and ¶3 of alpha, ¶1 of beta; Babbage: the same but the caption
    assert items == [("London", "4 paragraphs together"), ("Charles Babbage", "3 paragraphs together")]
    # an entity no paragraph shares gets no section
    assert soup(out / "events" / "exhibition.html").find("section", class_="together") is None


def test_comentions_from_rows_and_ranking():
    rows = {"a": [("p1", 1, "", "A", "", True, 1), ("p1", 1, "", "A", "", False, 1), ("p2", 2, "", "A", "", False, 2)],
            "b": [("p1", 1, "", "B", "", True, 1), ("p3", 3, "", "B", "", True, 3)],
            "c": [("p2", 2, "", "C", "", True, 2), ("p1", 1, "", "C", "", True, 1)]}
    groups = paragraph_groups(rows)
    assert groups == [("a", "b", "c"), ("a", "c")]

    class E:
        def __init__(self, key):
            self.sort_key = (key, key)

    entities = {k: E(k) for k in "abc"}
    ranked = often_mentioned_with(groups + [("a", "gone")], entities)
    assert ranked["a"] == [("c", 2), ("b", 1)]
    assert ranked["b"] == [("a", 1), ("c", 1)]
    assert "gone" not in ranked


def test_rebuild_updates_often_mentioned_with(make_site):
    """A page taken from the previous build must not keep an old list: the co-mentions are in its fingerprint."""
    root = make_site(SITE)
    build(root / "site.toml")
    page = root / "build" / "places" / "london.html"
    assert "Great Exhibition" not in page.read_text(encoding="utf-8")
    beta = root / "content" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("vivió en Londres", "vivió en Londres (Great Exhibition)"),
                    encoding="utf-8")
    build(root / "site.toml")
    together = soup(page).find("section", class_="together")
    assert "Great Exhibition" in together.get_text()


def test_mention_rows_link_with_text_fragments(built):
    out = built(SITE)
    page = soup(out / "people" / "charles-babbage.html")
    hrefs = [a["href"] for a in page.select(".mention-place")]
    assert hrefs[0] == "../alpha.html#p1:~:text=Ada%20Lovelace%20met-,Charles%20Babbage,-in%20London."
    assert all(re.fullmatch(r"\.\./(alpha|beta)\.html#(p\d+|fig\d+):~:text=[^ ]+", h) for h in hrefs), hrefs
    # every fragment finds its own words first in the article's text (what a browser highlights)
    for a in page.select(".mention-place"):
        path, _, fragment = a["href"].partition("#")
        anchor, _, directive = fragment.partition(":~:text=")
        article = soup(out / path[3:])
        first = first_match(article, directive)
        assert first == anchor, (a["href"], first)


def first_match(article: BeautifulSoup, directive: str) -> str | None:
    """The id of the ¶ (or figure) holding the first match of a text directive in the article's text, matched
    as Chromium does it closely enough for these texts (whitespace collapsed, prefix and suffix adjacent)."""
    terms = directive.split(",")
    prefix = unquote(terms.pop(0)[:-1]) if terms[0].endswith("-") else ""
    suffix = unquote(terms.pop()[1:]) if terms and terms[-1].startswith("-") else ""
    text = unquote(terms[0])
    pattern = (re.escape(prefix) + r"\s*" if prefix else "") + f"({re.escape(text)})" + (
        r"\s*" + re.escape(suffix) if suffix else "")
    blocks = article.select(".article-body [id^=p], .article-body figure[id]")
    for block in blocks:
        words = " ".join(block.get_text().split())
        if re.search(pattern, words):
            return block["id"]
    return None


def test_text_fragment_encoding():
    assert text_fragment("Pompeo and ", "Lavrov", " held a press conference") == (
        ":~:text=Pompeo%20and-,Lavrov,-held%20a%20press")
    # a possessive is one word for the browser: taken into the text; , - & and spaces are percent-encoded,
    # letters that a URL fragment may hold (’ é …) are left as they are
    assert text_fragment("", "Russia", "’s top-level talks, then") == ":~:text=Russia’s,-top%2Dlevel%20talks%2C%20then"
    assert text_fragment('said "a <b>', "C", "#1 [x] 100%") == (
        ":~:text=said%20%22a%20%3Cb%3E-,C,-%231%20%5Bx%5D%20100%25")
    assert text_fragment("…said that ", "A & B", "") == ":~:text=said%20that-,A%20%26%20B"


def test_quotes_are_not_doubled_and_excerpts_carry_their_language(built):
    out = built(SITE)
    rows = soup(out / "people" / "charles-babbage.html").select(".mention-list li")
    quoted = [li.q for li in rows if li.q.get_text().startswith("“It is")]
    assert len(quoted) == 1 and quoted[0].get("class") == ["quoted"]  # no second “ from the page's own quotes
    assert [li.q.get("lang") for li in rows] == [None] * (len(rows) - 1) + ["es"]
    heading = [h3.a for h3 in soup(out / "people" / "charles-babbage.html").select(".mentions h3")]
    assert [a.get("lang") for a in heading] == [None, "es"]


def test_counts_go_through_the_theme_plural_strings(built, make_site):
    out = built(SITE)
    home = soup(out / "index.html")
    counts = {li.a.get_text(): li.find(class_="count").get_text() for li in home.select(".index-list li")}
    assert counts["Events"] == "1 entry" and counts["People"] == "2 entries"
    assert soup(out / "events" / "index.html").find(class_="count").get_text() == "1 entry"
    strings = {"entries_one": "{n} entrada", "entries_other": "{n} entradas"}
    assert plural(strings, "es", 1, "entries") == "1 entrada"
    assert plural({"entries_one": "{n} запись", "entries_few": "{n} записи", "entries_many": "{n} записей",
                   "entries_other": "{n} записи"}, "ru", 5, "entries") == "5 записей"
    assert plural({"entries": "entries"}, "en", 3, "entries") == "3 entries"  # a theme with the older string


def test_article_meta_has_no_stray_separators(built):
    out = built(SITE)
    metas = [p.get_text() for p in soup(out / "index.html").select(".article-meta")]
    assert metas == ["The Monitor · 3 May 2019", "A. Writer"]


def test_empty_edition_says_so(built):
    out = built("-- site.toml --\ntitle = \"Empty\"\n")
    home = soup(out / "index.html")
    assert home.find("ol", class_="article-list") is None
    assert home.find(class_="empty").get_text() == "This edition has no articles yet."


def test_figure_without_its_image_says_it_is_not_reproduced(built, make_site):
    out = built(SITE)
    figure = soup(out / "alpha.html").find("figure")
    assert "figure-not-reproduced" in figure["class"]
    assert figure.find(class_="figure-absent").get_text() == "Image not reproduced in this edition."
    assert figure.figcaption is not None
    # an edition in another language words it through [strings]
    root = make_site(SITE.replace('title = "Reading test"',
                                  'title = "Reading test"\n[strings]\nimage_not_reproduced = "Imagen no reproducida."'),
                     folder="other")
    report = build(root / "site.toml")
    assert soup(report.output / "alpha.html").find(class_="figure-absent").get_text() == "Imagen no reproducida."


def test_figure_with_an_image_has_no_absent_block(built):
    site = SITE.replace("::: figure\n", "::: figure\n![Ada at the engine](media/ada.svg)\n\n")
    site += "-- content/media/ada.svg --\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>\n"
    out = built(site)
    figure = soup(out / "alpha.html").find("figure")
    assert figure.find(class_="figure-absent") is None and figure.img is not None


IMAGES = SITE.replace('''-- annotations/places/london.md --
+++
name = "London"
aliases = ["Londres"]
+++''', '''-- annotations/places/london.md --
+++
name = "London"
aliases = ["Londres"]
image = "thames.svg"
image_alt = "The Thames at Westminster, drawn"
image_credit = "Drawing by the editors, CC0"
+++''') + '''-- annotations/media/thames.svg --
<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>
'''


def test_entity_image_is_shown_with_credit_and_alt_on_the_page_and_small_in_the_note(built):
    out = built(IMAGES)
    figure = soup(out / "places" / "london.html").find("figure", class_="entity-image")
    assert figure.img["src"] == "../media/thames.svg" and figure.img["alt"] == "The Thames at Westminster, drawn"
    assert figure.figcaption.get_text() == "Image: Drawing by the editors, CC0"
    assert (out / "media" / "thames.svg").is_file()  # annotations/media/ is published under media/
    assert "thames.svg" not in soup(out / "places" / "london.html").find(class_="entity-header").get_text()
    note = soup(out / "alpha.html").find("li", id="note-london")
    img = note.find(class_="note-image").img
    assert img["src"] == "media/thames.svg" and img["alt"] == "The Thames at Westminster, drawn"


@pytest.mark.parametrize(("front", "message"), [
    ('image = "missing.svg"\nimage_alt = "Nothing"', "image 'missing.svg' is not in annotations/media/ or content/media/"),
    ('image = "thames.svg"', "the image 'thames.svg' has no alt text"),
    ('image = "thames.svg"\nimage_alt = "  "', "the image 'thames.svg' has no alt text"),
    ('image = "https://example.org/t.jpg"\nimage_alt = "A view"', "is not a file of the edition"),
    ('image = "../../site.toml"\nimage_alt = "A view"', "is not in annotations/media/ or content/media/"),
])
def test_gloss_check_reports_a_missing_image_file_or_alt_text(front, message, make_site, capsys):
    root = make_site(IMAGES.replace('image = "thames.svg"\nimage_alt = "The Thames at Westminster, drawn"', front))
    assert main(["check", "--site", str(root)]) == 1
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if message in x)
    assert re.match(r"annotations/places/london\.md:\d+(:\d+)?: error: ", line), line
    assert " — " in line  # and what to do
