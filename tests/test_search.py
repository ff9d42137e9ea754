"""Offline search (issue 15): the index `gloss build` writes into search/ — what is in it, that it is
deterministic and rebuilt only where an article changed, and that pages load it only as <script> files."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator import search
from generator.build import build
from generator.search.index import SHARD_BYTES
from generator.search.text import fold, markdown_text, paragraphs

ROOT = Path(__file__).resolve().parent.parent

# A small edition with an accented name, words that share a stem, a list, a passage note and a gloss.
SITE = """
-- site.toml --
title = "Search test"
-- content/alpha.md --
+++
title = "Alpha talks"
order = 1
+++
Abdullah Öcalan was named in the sanctions debate.

The ministers sanctioned nobody; the sanctioning body met at noon.

- a list item about Kerch
  - a nested item about Azov

A misspelling: Babbadge wrote it.
-- content/beta.md --
+++
title = "Beta"
order = 2
+++
Nothing about the strait here, only weather.
-- annotations/people/abdullah-ocalan.md --
+++
name = "Abdullah Öcalan"
aliases = ["Öcalan"]
summary = "Founder of the *PKK*."
+++
Jailed on İmralı island since 1999; see also [[babbage|the engineer]].
-- annotations/people/babbage.md --
+++
name = "Charles Babbage"
aliases = ["Babbadge"]
+++
-- annotations/notes/alpha.toml --
[[note]]
exact = "at noon"
body = "Twelve o'clock, by the *ministry's* clock."
"""


def load(path: Path) -> tuple[str, object]:
    """A search file's name and data: each is one call GlossSearch.add(name, data)."""
    text = path.read_text(encoding="utf-8")
    match = re.fullmatch(r'GlossSearch\.add\(("[^"]+"),(.*)\);\n', text, re.S)
    assert match, f"{path.name} is not one GlossSearch.add call"
    return json.loads(match.group(1)), json.loads(match.group(2))


def test_folding_and_plain_text():
    assert fold("Öcalan İstanbul Ştefan ﬁve") == "ocalan istanbul stefan five"
    # The dotless ı and the other Latin letters NFKD leaves alone fold as slugs spell them, whatever the case.
    assert fold("Işık IŞIK ışık ıstakoz İstanbul ISTANBUL") == "isik isik isik istakoz istanbul istanbul"
    assert fold("Łódź Straße STRASSE Øresund Þórður Đukić Ħamrun œuvre") == \
        "lodz strasse strasse oresund thordur dukic hamrun oeuvre"
    html = ('<p id="p1"><a class="pnum" href="#p1" aria-label="Paragraph 1">1</a> A <a class="mention" '
            'href="x.html">Lavrov</a>&rsquo;s <span class="passage" id="pass1">word</span><a class="note-ref" '
            'href="#pn1"><sup>1</sup></a>.</p>\n<h2 id="x">Heading</h2>\n<ul>\n<li id="p2"><a class="pnum" '
            'href="#p2">2</a> outer\n<ul>\n<li id="p3"><a class="pnum" href="#p3">3</a> inner</li>\n</ul>\n</li>\n</ul>')
    assert paragraphs(html) == [(1, "A Lavrov’s word."), (2, "outer"), (3, "inner")]
    assert markdown_text("See [[a-b|the man]], [[c]] and [a link](https://x) in *italics*.", {"c": "Cee"}) == \
        "See the man, Cee and a link in italics."


def test_the_index_holds_entities_paragraphs_notes_and_glosses(built):
    out = built(SITE)
    search = out / "search"
    _, index = load(search / "index.js")
    docs = index["docs"]
    assert docs[0] == ["alpha.html", "Alpha talks", ""] and docs[1] == ["beta.html", "Beta", ""]
    assert ["people/abdullah-ocalan.html", "Abdullah Öcalan", "Person"] in docs  # the gloss is a document
    _, entities = load(search / "entities.js")
    assert ["Abdullah Öcalan", ["Öcalan"], "Person", "Founder of the PKK.", "people/abdullah-ocalan.html"] in entities
    passages: dict[int, list] = {}
    for file in sorted((search / "d").glob("*.js")):
        passages.update({int(k): v for k, v in load(file)[1].items()})
    alpha = dict(map(tuple, passages[0]))
    assert alpha[""] == "Alpha talks"
    assert alpha["p1"] == "Abdullah Öcalan was named in the sanctions debate."
    assert alpha["p3"] == "a list item about Kerch" and alpha["p4"] == "a nested item about Azov"
    assert alpha["pn2"] == "Twelve o'clock, by the ministry's clock."  # passage note 2 (note 1: Öcalan), as plain text
    gloss = passages[docs.index(["people/abdullah-ocalan.html", "Abdullah Öcalan", "Person"])]
    assert gloss == [["", "Jailed on İmralı island since 1999; see also the engineer."]]
    # Words are folded and grouped by stem: "sanctions", "sanctioned", "sanctioning" share one.
    words: dict[str, list] = {}
    for key, size in index["shards"]:
        number = index["shards"].index([key, size])
        name, shard = load(search / "t" / f"{number}.js")
        assert name == f"t/{number}" and len((search / "t" / f"{number}.js").read_bytes()) == size
        assert all(word.startswith(key) for word in shard)
        words.update({w: [key, *entry] for w, entry in shard.items()})
    assert "ocalan" in words and "öcalan" not in words and "imrali" in words  # İmralı
    stems = {words[w][0] + str(words[w][1]) for w in ("sanctions", "sanctioned", "sanctioning")}
    assert len(stems) == 1
    assert words["sanctions"][2] == [0, 1]  # postings: document 0 (alpha), once
    assert words["strait"][2] == [1, 1]  # document 1 (beta)


def test_search_folds_latin_letters_as_slugs_spell_them():
    """search/text.py's LETTERS is anyascii's spelling of every Latin-1 and Latin Extended-A letter that NFKD
    leaves alone, so a word folds for search as it slugs; search.js holds the same table."""
    import unicodedata

    from anyascii import anyascii

    from generator.search.text import LETTERS
    from generator.slug import slugify

    left_alone = {c for n in range(0xC0, 0x180) for c in unicodedata.normalize("NFKD", chr(n)).lower()
                  if not c.isascii() and unicodedata.category(c) == "Ll"}
    assert set(LETTERS) == left_alone
    assert {c: anyascii(c).lower() for c in LETTERS} == LETTERS
    for word in ["Işık", "İstanbul", "ıstakoz", "Łódź", "Straße", "Øresund", "Þórður"]:
        assert fold(word) == slugify(word), word
    script = (ROOT / "themes" / "default" / "static" / "search.js").read_text(encoding="utf-8")
    table = re.search(r"var LETTERS = (\{.*?\});", script, re.S)
    letter = re.search(r"var LETTER = /\[(.*?)\]/g;", script)
    assert table and letter, "search.js lost its LETTERS table"
    assert json.loads(table.group(1)) == LETTERS and set(letter.group(1)) == set(LETTERS)


def test_big_shards_are_split_by_the_next_letter(built):
    words = " ".join(f"co{chr(97 + i)}{chr(97 + j)}{chr(97 + k)}" for i in range(8) for j in range(26) for k in range(26))
    articles = {f"content/a{n}.md": f'+++\ntitle = "A{n}"\n+++\n{words}\n' for n in range(3)}
    out = built({"site.toml": 'title = "Split"\n', **articles})
    _, index = load(out / "search" / "index.js")
    keys = [key for key, _ in index["shards"]]
    assert "coa" in keys and "cob" in keys and "co" not in keys
    assert all(size <= SHARD_BYTES + 2000 for _, size in index["shards"])


def test_the_index_is_deterministic_and_a_rebuild_indexes_only_what_changed(built, tmp_path, monkeypatch):
    out = built(SITE)
    root = out.parent
    first = {p.relative_to(out): p.read_bytes() for p in (out / "search").rglob("*") if p.is_file()}
    again = build(root / "site.toml", tmp_path / "again", cache=False).output
    assert {p.relative_to(again): p.read_bytes() for p in (again / "search").rglob("*") if p.is_file()} == first
    assert (root / ".gloss-cache" / "search.marshal").is_file()
    beta = root / "content" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("weather", "dusk"), encoding="utf-8")
    indexed: list[str] = []
    real = search.article_document
    monkeypatch.setattr(search, "article_document", lambda a, *rest: indexed.append(a.slug) or real(a, *rest))
    build(root / "site.toml")  # a rebuild: alpha's entry comes from .gloss-cache/search.marshal
    assert indexed == ["beta"]
    fresh = build(root / "site.toml", tmp_path / "fresh", cache=False).output
    for path in (fresh / "search").rglob("*"):
        if path.is_file():
            assert (out / path.relative_to(fresh)).read_bytes() == path.read_bytes(), path.name
    assert "dusk" in (out / "search" / "d" / "0.js").read_text(encoding="utf-8")


def test_every_page_links_search_as_a_script_and_search_false_leaves_it_out(built):
    out = built(SITE)
    page = (out / "people" / "abdullah-ocalan.html").read_text(encoding="utf-8")
    assert '<script src="../assets/search.js" defer></script>' in page
    assert 'data-gloss-search="../search/" data-gloss-root="../"' in page
    assert '<a class="search-link" href="../search.html">Search</a>' in page  # what a reader without JS gets
    search = (out / "search.html").read_text(encoding="utf-8")
    assert 'href="people/index.html"' in search and 'href="index.html"' in search  # the indexes, without JS
    assert "connect-src 'none'" in page and "script-src 'self'" in page  # the CSP is as it was
    off = built(SITE.replace('title = "Search test"', 'title = "Search test"\nsearch = false'))
    assert not (off / "search").exists() and not (off / "search.html").exists()
    page = (off / "alpha.html").read_text(encoding="utf-8")
    assert "search.js" not in page and "site-search" not in page


# Every construct a numbered paragraph can hold: mentions, [[refs]] (known, unknown, inside a link), a passage
# note, footnotes (numbered and inline), emphasis, code, links, entities and escapes, hard and soft breaks,
# local and remote images, tight and loose lists (nested), a quote, a table, a heading, a figure.
RICH = """
-- site.toml --
title = "Paragraph text"
-- content/rich.md --
+++
title = "Rich"
+++
Lavrov met [[vladimir-putin|the president]] at *noon* and **spoke** of `code & <tags>`[^1].
A [link with Lavrov](https://example.org) and [[vladimir-putin]] inside [a [[vladimir-putin]] link](x.md).

Entities &amp; escapes: AT&T, \\*stars\\*, &copy; 2019,&nbsp;non-breaking; a hard break\\
here and two spaces\x20\x20
there. An inline note^[Said *quietly*.] ends it.

![a local photo](photo.jpg) and ![a remote *one*](https://example.org/p.png) and ![](//cdn.example/x.png).

- tight item about Lavrov
  - nested tight item
- second item ~~struck~~

1. loose item

2. another loose item

> A quoted paragraph about Putin.

| a | b |
|---|---|
| cell | Lavrov |

## A heading

::: figure
![photo](photo.jpg)

A caption about Lavrov.
:::

The last paragraph, with "quotes" and 'apostrophes' < > in it.

[^1]: A footnote about Lavrov.
-- annotations/people/sergei-lavrov.md --
+++
name = "Sergei Lavrov"
aliases = ["Lavrov"]
+++
-- annotations/people/vladimir-putin.md --
+++
name = "Vladimir Putin"
aliases = ["Putin"]
+++
-- annotations/notes/rich.toml --
[[note]]
exact = "spoke"
body = "A passage note."
"""


def rendered_entries(root: Path) -> list[tuple[str, object]]:
    from generator.bodies import render_entry
    from generator.problems import Problems
    from generator.site import Site

    site = Site.load(root / "site.toml", Problems(), jobs=1)
    return [(a.slug, render_entry(a, site.edition, site.matcher, site.problems)) for a in site.edition.articles]


def test_recorded_paragraph_text_is_what_the_html_shows(make_site):
    """The text the renderer records of each numbered paragraph (render/paragraph_text.py) is what
    search.text.paragraphs reads from the body's HTML, on the bundled edition and on every construct."""
    roots = [Path(__file__).resolve().parent.parent, make_site(RICH)]
    for root in roots:
        for slug, entry in rendered_entries(root):
            assert entry.paragraph_texts is not None, slug
            assert entry.paragraph_texts == paragraphs(entry.html), slug
    rich = dict(dict(rendered_entries(roots[1]))["rich"].paragraph_texts)
    assert rich[1].startswith("Lavrov met the president at noon and spoke of code & <tags>.")
    assert "AT&T, *stars*, © 2019, non-breaking" in rich[2] and "An inline note ends it." in rich[2]
    assert rich[3] == "and a remote one and image."  # (a local image's alt is an attribute; a remote one is shown)
    assert len(rich) == 10 and rich[4] == "tight item about Lavrov" and rich[10].startswith("The last paragraph")


def test_search_reads_the_html_where_the_renderer_records_no_text(make_site):
    """Raw HTML, or code inside a tight list item (whose HTML runs into the item's text): no recorded text;
    search reads those paragraphs from the HTML, as before."""
    root = make_site("""
    -- site.toml --
    title = "Fallback"
    raw_html = true
    -- content/raw.md --
    +++
    title = "Raw"
    +++
    Some <b>bold</b> words.
    -- content/code.md --
    +++
    title = "Code"
    +++
    - an item
      ```
      code in it
      ```
    """)
    entries = dict(rendered_entries(root))
    assert entries["raw"].paragraph_texts is None and entries["code"].paragraph_texts is None
    body = search.ArticleBody.of(entries["code"].html, None, [], [])
    assert body.paragraphs == paragraphs(entries["code"].html) and body.paragraphs[0][1].endswith("code in it")


def test_a_documents_words_are_every_run_of_letters_and_digits_folded():
    """index_document reads words from whitespace-separated pieces (each read once per edition): the same
    words, counted the same, as one regular expression over the whole text; passages as json.dumps writes them."""
    from collections import Counter

    from generator.search.index import Document, dumps, index_document
    from generator.search.text import WORD, fold_word

    text = ('Öcalan’s "quoted" na\u00efve_word İstanbul ﬁve—six 1999-2001 x\\y\x1fz\u2028end\u00a0nbsp '
            "tab\there Lavrov, Lavrov. LAVROV")
    document = Document("a.html", "T", "", (("", "Title: Lavrov"), ("p1", text), ("pn2", "a\nb")))
    expected: Counter[str] = Counter()
    for word in WORD.findall("\n".join(t for _, t in document.passages)):
        expected[fold_word(word)] += 1
    indexed = index_document(document)
    assert indexed.counts == dict(expected) and indexed.counts["lavrov"] == 4 and indexed.counts["istanbul"] == 1
    assert indexed.passages == dumps([list(p) for p in document.passages])
