"""The quick ways the build computes things give exactly what the plain ways give: a mention's sentence (what
entity pages show around it), cut using sentence ends found once per paragraph; the paragraph each note's place
in the text sits in (for the endnotes' back-references), recorded while numbering notes; an entity page's mention
rows; the lighter parsers and the shorter list of text-rule stops; the links kept for the link check."""

from __future__ import annotations

import random
import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from markupsafe import Markup

from generator.model import Mention
from generator.render.annotations import _SPACES, SENTENCE_END, _sentence, _sentence_bounds
from generator.render.pages import mention_rows, text_fragment


def _sentence_by_search(text: str, start: int, end: int, limit: int = 240) -> tuple[str, str, str]:
    """The definition: search back and forth from the mention itself."""
    begin = max(0, start - 2 * limit)
    for found in SENTENCE_END.finditer(text, begin, start):
        begin = found.end()
    window = min(len(text), end + 2 * limit)
    stop = SENTENCE_END.search(text, end, window)
    finish = stop.start() + 1 if stop else window
    before, after = text[begin:start], text[end:finish]
    if len(before) > limit:
        before = "…" + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + "…"
    return _SPACES.sub(" ", before), _SPACES.sub(" ", text[start:end]), _SPACES.sub(" ", after)


PIECES = ["Lavrov", "met", "U.S.", "Mr.", "the", "minister", ".", ". ", "! ", "?\n", "…", "” ", ".” ", ")", "] ",
          " ", "  ", "\n", "\t", "word", "x" * 30, "\u00a0", ".)\n\n"]


def test_the_sentence_from_precomputed_ends_is_the_sentence_found_by_searching():
    rng = random.Random(9)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) + rng.choice(["", " "]) for _ in range(rng.randrange(1, 60)))
        bounds = _sentence_bounds(text)
        spaced = _SPACES.search(text) is not None
        limit = rng.choice([5, 12, 40, 240])
        for _ in range(6):
            start = rng.randrange(len(text) + 1)
            end = rng.randrange(start, min(len(text), start + 12) + 1)
            expected = _sentence_by_search(text, start, end, limit)
            assert _sentence(text, start, end, limit, bounds=bounds, spaced=spaced) == expected, (text, start, end)
            assert _sentence(text, start, end, limit) == expected


def test_the_rows_recorded_while_marking_mentions_hold_the_sentence_found_by_searching():
    """render/annotations._mark_matches records the rows of mentions of noted entities itself (not through
    _record); every row must still be the one the definition gives, notes or not, in long sentences and with
    sentence ends inside names."""
    from pathlib import Path

    from generator.match.matcher import Matcher
    from generator.problems import Problems
    from generator.render.annotations import MarkupContext
    from generator.render.markdown import markdown

    names = {"lavrov": ["Lavrov", "Sergei Lavrov"], "us": ["U.S."], "mr": ["Mr. Lavrov"]}
    matcher = Matcher.build(names.items())
    entities = {key: SimpleNamespace(id=key, output=f"people/{key}.html", kind=SimpleNamespace(key="person"))
                for key in names}  # what rendering a mention reads of an entity
    pieces = [p for p in PIECES if "\n" not in p and "\t" not in p] + ["Sergei ", "Lavrov "]
    pieces += ["the long and winding road of talks"] * 8  # sentences past the 240 characters shown
    rng = random.Random(11)
    checked = 0
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randrange(1, 250))).strip()
        if not text or text[0] in ".!?…”)]":
            continue
        ctx = MarkupContext(entities=entities, source=Path("a.md"), first_line=1,  # type: ignore[arg-type]
                            problems=Problems(), matcher=matcher, notes_mode=rng.choice(["first", "all"]),
                            article="a")
        markdown().parse(text, {"gloss": ctx, "page": "a.html"})  # the annotation rules run while parsing
        expected = [_sentence_by_search(text, m.start, m.end) for m in matcher.find(text)]
        assert [(m.before, m.text, m.after) for m in ctx.mentions] == expected, text
        checked += len(expected)
    assert checked > 1000


def test_a_mention_ending_in_a_full_stop_and_one_past_a_sentence_end():
    text = "He met the U.S. envoy. Then Lavrov spoke! Later"
    us = text.index("U.S.")
    assert _sentence(text, us, us + 4) == ("He met the ", "U.S.", " envoy.")
    lavrov = text.index("Lavrov")
    assert _sentence(text, lavrov, lavrov + 6) == ("Then ", "Lavrov", " spoke!")
    assert re.fullmatch(r"Later", _sentence(text, len(text) - 5, len(text))[1])


_ID_OR_HEADING = re.compile(r'<h[1-6][\s>]|<figure[\s>]|\sid="([^"]+)"')


def _paragraphs_by_one_scan(html: str) -> dict[str, int]:
    found: dict[str, int] = {}
    current = 0
    for match in _ID_OR_HEADING.finditer(html):
        name = match.group(1)
        if name is None:
            current = 0
        elif name[0] == "p" and name[1:].isdigit():
            current = int(name[1:])
        else:
            found[name] = current
    return found


def _note_paragraphs_read_from_html(html: str, notes: list[tuple[str, str]]) -> list[int]:
    """The definition of a note's ¶: the paragraph its back-link target (ref-<id>, pnref<n>) sits in."""
    found = _paragraphs_by_one_scan(html)
    return [found.get(f"ref-{value}" if kind == "entity" else f"pnref{n}", 0)
            for n, (kind, value) in enumerate(notes, start=1)]


def test_each_note_knows_the_paragraph_its_place_in_the_text_is_in(make_site):
    """The annotation rules record each note's ¶ as they number it; that must be the ¶ the HTML shows its
    back-link target in: headings, lists, quotes, tables, figures and footnotes, notes first or all."""
    from generator.bodies import render_article
    from generator.problems import Problems
    from generator.stages import load, match

    blocks = ["Ann met Bob.", "## Ann and Cy", "- Bob\n- Ann went", "> Cy said so", "| a | b |\n|---|---|\n| Ann | x |",
              "::: figure\n![map](m.png)\n\nAnn's map\n:::", "Text with a note.[^1]", "[^1]: Cy wrote it, Bob said.",
              "1. first\n2. Bob", "Plain words.", "# Top Cy", "Cy\n---", "    code Ann", "[[bob]] refers."]
    rng = random.Random(8)
    files = {"site.toml": 'title = "T"\nnotes = "%s"\n'}
    for key, name in (("ann", "Ann"), ("bob", "Bob"), ("cy", "Cy")):
        files[f"annotations/people/{key}.md"] = f'+++\nname = "{name}"\n+++\n{name} is someone.\n'
    for n in range(40):
        body = "\n\n".join(rng.choice(blocks) for _ in range(rng.randrange(1, 12)))
        files[f"content/a{n}.md"] = f'+++\ntitle = "A{n}"\ndate = 2020-01-01\n+++\n{body}\n'
    checked = 0
    for mode in ("first", "all"):
        root = make_site({**files, "site.toml": files["site.toml"] % mode}, folder=mode)
        problems = Problems()
        edition = load(root / "site.toml", problems)
        matcher = match(edition)
        for article in edition.articles:
            html, ctx = render_article(article, edition, matcher, problems)
            assert ctx.note_paragraphs == _note_paragraphs_read_from_html(html, ctx.notes), article.body
            checked += sum(1 for p in ctx.note_paragraphs if p)
    assert checked > 50


def test_the_bundled_articles_notes_know_their_paragraphs():
    """The bundled edition has passage notes and pins (its sidecar): their ¶ too."""
    from generator.bodies import render_article
    from generator.problems import Problems
    from generator.stages import load, match

    problems = Problems()
    edition = load(Path(__file__).resolve().parent.parent / "site.toml", problems)
    matcher = match(edition)
    for article in edition.articles:
        html, ctx = render_article(article, edition, matcher, problems)
        assert any(kind == "passage" for kind, _ in ctx.notes)
        assert ctx.note_paragraphs == _note_paragraphs_read_from_html(html, ctx.notes)


ROW = ("{% for m in items %}\n"
       "<li><a class=\"mention-place\" href=\"{{ article_url }}{% if m.anchor %}#{{ m.anchor }}"
       "{{ fragment(m.before, m.text, m.after) }}{% endif %}\">"
       "{% if m.paragraph %}¶ {{ m.paragraph }}{% else %}{{ t.source_heading if m.anchor.startswith('fig') else '§' }}"
       "{% endif %}</a> <q{% if (m.before or m.text)[:1] in '\"“”„«»‘’‚‹›「『' %} class=\"quoted\"{% endif %}>"
       "{{ m.before }}<mark>{{ m.text }}</mark>{{ m.after }}</q></li>\n{% endfor %}\n")


def test_mention_rows_are_what_the_template_loop_wrote():
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    loop = env.from_string(ROW)
    tricky = ["", "a & b", "<script>", "\"quoted\" and 'single'", "&amp;", "Zhákres ‘Gazette’ …", "x>y"]
    mentions = [Mention("e", "a", anchor, paragraph, before, text, after, False, 1)
                for anchor, paragraph in [("p4", 4), ("fig1", 0), ("", 0), ("intro", 0), ("a\"b", 0)]
                for before, text, after in zip(tricky, reversed(tricky), tricky[1:] + tricky[:1], strict=True)]
    for url in ["../a.html", "../b&c.html", "../\"d\".html"]:
        expected = loop.render(items=mentions, article_url=url, t={"source_heading": "Source <&>"},
                               fragment=lambda *words: Markup(text_fragment(*words)))  # (holds no & < > ")
        assert str(mention_rows(url, mentions, source_heading="Source <&>")) == expected


LINE_BREAK_SITE = """
-- site.toml --
title = "Breaks"
-- content/alpha.md --
+++
title = "Alpha"
+++

Then Sergei
Lavrov met <Putin> & Sergei Lavrov, and *Lavrov* again.

Putin's "plan" is plain. Putin spoke.
-- annotations/people/sergei-lavrov.md --
+++
name = "Sergei Lavrov"
aliases = ["Lavrov"]
+++
A minister.
-- annotations/people/vladimir-putin.md --
+++
name = "Putin"
+++
A president.
"""


def test_a_mention_across_a_line_break_keeps_the_break_and_escapes_its_neighbours(built):
    html = (built(LINE_BREAK_SITE, cache=False) / "alpha.html").read_text(encoding="utf-8")
    assert ('<a class="mention" data-kind="person" href="people/sergei-lavrov.html" data-note="note-sergei-lavrov" '
            'data-n="1" id="ref-sergei-lavrov">Sergei\nLavrov</a> met &lt;<a class="mention" data-kind="person" '
            'href="people/vladimir-putin.html" data-note="note-vladimir-putin" data-n="2" id="ref-vladimir-putin">'
            'Putin</a>&gt; &amp; <a class="mention" data-kind="person" href="people/sergei-lavrov.html">Sergei Lavrov'
            '</a>, and <em><a class="mention" data-kind="person" href="people/sergei-lavrov.html">Lavrov</a></em>'
            ) in html


def test_entity_page_rows_are_escaped_where_their_paragraph_needs_it(built):
    """Rows are escaped only for entities with a row from a paragraph holding & < > " or ' (a flag the
    annotation rules keep): those characters must still come out escaped, and plain rows as they are."""
    page = (built(LINE_BREAK_SITE, cache=False) / "people" / "vladimir-putin.html").read_text(encoding="utf-8")
    assert "<q>Then Sergei Lavrov met &lt;<mark>Putin</mark>&gt; &amp; Sergei Lavrov, and Lavrov again.</q>" in page
    assert "#p1:~:text=Lavrov%20met%20%3C-,Putin,-%3E%20%26%20Sergei" in page
    assert "<q><mark>Putin</mark>&#39;s &#34;plan&#34; is plain.</q>" in page
    assert "<q><mark>Putin</mark> spoke.</q>" in page


def test_a_document_without_their_markers_renders_the_same_without_footnotes_tables_strikethrough_figures(plain):
    """render_markdown drops the syntax a document has no marker for; the full parser must agree."""
    from pathlib import Path

    from generator.problems import Problems
    from generator.render.annotations import MarkupContext
    from generator.render.markdown import markdown, render_markdown

    parts = ["word ", "*em* ", "**strong** ", "[link](a.md) ", "`code` ", "~tilde~ ", "~~~\nfenced\n~~~\n", "- item\n",
             "1. one\n", "# Head\n", "---\n", "> quote\n", "\n\n", "\n", "[ref]: b.html\n", "[ref] ", "a:b ", "::\n",
             "<span>x</span> ", "&amp; ", "a-b ", "#x ", "{y} ", "$5 ", "a@b.c ", "<http://x.y> ", "x=y+z ", "\\* ", "    indented\n", "Text\n===\n", "^", "|", "~~", ":::", "[^1]", "\n[^1]: note\n", "^[inline] ", "a | b\n--|--\n"]
    rng = random.Random(5)
    for _ in range(400):
        text = "".join(rng.choice(parts) for _ in range(rng.randrange(1, 25)))

        def ctx() -> MarkupContext:
            return MarkupContext(entities={}, source=Path("a.md"), first_line=1, problems=Problems())

        full = markdown().render(text, {"gloss": ctx(), "page": "a.html"})
        assert render_markdown(text, ctx(), "a.html") == full, text
        assert full == plain.render(text, {"gloss": ctx(), "page": "a.html"}), text


@pytest.fixture
def plain():
    """markdown() as it is, but for the text rule stopping at markdown-it's own, longer list of characters."""
    import copy

    from markdown_it.parser_inline import _DEFAULT_TERMINATORS

    from generator.render.markdown import markdown

    md = copy.copy(markdown())
    md.inline = copy.copy(md.inline)
    md.inline.terminator_re = re.compile("[" + re.escape("".join(_DEFAULT_TERMINATORS)) + "]")
    return md


def test_the_quick_test_for_whitespace_to_collapse_knows_every_whitespace_character():
    """A paragraph's sentences are collapsed only when it has two spaces in a row or a whitespace character other
    than the space (_OTHER_SPACE, listed by hand): the list must be what \\s matches besides the space."""
    from generator.render.annotations import _OTHER_SPACE

    space = re.compile(r"\s")
    other = [c for c in map(chr, range(0x110000)) if space.match(c) and c != " "]
    assert other == [c for c in map(chr, range(0x110000)) if _OTHER_SPACE.match(c)]
