"""Fuzzing with Hypothesis: the front-matter loaders, the alias matcher and the renderer take random Unicode
text and aliases without raising anything but GlossError, and what they render is well-formed HTML in which
every mention is one link (never a link inside a link).

Examples are derandomized (the same ones on every run, in CI too) and kept few, so the file runs in seconds;
nothing is written to a .hypothesis/ database.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import analyse
from generator.config import DEFAULT_KINDS, load_config
from generator.export.text import shown_text, unpacked
from generator.load.annotations import load_entity, load_sidecar
from generator.load.articles import load_article
from generator.load.files import read_text
from generator.match.matcher import WORD, Matcher, normalise
from generator.model import Entity, PassageNote, Pin, Quote, Sidecar, Skip
from generator.problems import GlossError, Problems
from generator.render.annotations import MarkupContext
from generator.render.markdown import render_markdown

FUZZ = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROBLEM = re.compile(r"^\S[^\n]*?(:\d+){0,2}: (error|warning): .+")

# Pieces of Markdown, annotation syntax, HTML and names, for text that reaches the interesting code paths.
PIECES = [
    "Lavrov", "Sergei Lavrov", "Lavrov’s", "Putin", "Trump-Putin", "Sochi", "Foreign Minister Sergei Lavrov",
    "[[sergei-lavrov]]", "[[vladimir-putin|the president]]", "[[nobody]]", "[[", "]]", "|",
    "[", "]", "(", ")", "](x.md)", "](#p1)", "[a](http://x.org/Lavrov)", "<http://x.org>", "a@b.org", "www.x.org",
    "*", "**", "_", "`", "``", "~~", "\\", "&amp;", "&", "<", ">", '"', "'", "’", "—", " ", "  ", "\t",
    "\n", "\n\n", "# ", "## ", "### Lavrov\n", "> ", "- ", "1. ", "    ", "```\n", "~~~\n", "---\n", "+++\n",
    "::: figure\n", ":::\n", "![Lavrov](media/x.png)", "![x](http://x.org/y.png)", "[^1]", "\n[^1]: Lavrov note\n",
    "|a|Lavrov|\n|-|-|\n|Putin|b|\n", "<b>", "</b>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<div>\n", "</div>\n", "<!-- x -->", "javascript:alert(1)", "\u200b", "\u0301", "e\u0301", "\ufeff", "\x00",
    "Путин", "Лавров", "東京", "مرحبا", "👩‍🔬",
]
markdown_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map("".join)
alias = st.one_of(st.sampled_from(["Lavrov", "Sergei Lavrov", "Putin", "Trump", "Trump-Putin", "Sochi", "Путин",
                                   "a", "La", "Lavrov’s", "x.org", "1", "_", "Sergei  Lavrov"]),
                  st.text(min_size=1, max_size=12))


# ------------------------------------------------------------------------------------------------ HTML

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK = {"address", "blockquote", "div", "dl", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p",
         "pre", "section", "table", "ul", "li", "aside", "nav", "header", "footer", "main", "article"}


class Balance(HTMLParser):
    """A strict reading of an HTML fragment: every element closed in order, no <a> in an <a>, no block in a
    <p> (a browser would end the paragraph there), and the text of each mention."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.mentions: list[str] = []
        self._mention_depth: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and "a" in self.stack:
            self.errors.append(f"<a> inside <a> (open: {self.stack})")
        if tag in BLOCK and "p" in self.stack:
            self.errors.append(f"<{tag}> inside <p>")
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "a" and "mention" in (dict(attrs).get("class") or "").split():
            self.mentions.append("")
            self._mention_depth = len(self.stack)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag not in VOID:
            self.errors.append(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"</{tag}>")
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        if self._mention_depth == len(self.stack):
            self._mention_depth = None
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._mention_depth is not None:
            self.mentions[-1] += data


def well_formed(html: str) -> Balance:
    reader = Balance()
    reader.feed(html)
    reader.close()
    assert not reader.errors, (reader.errors, html)
    assert not reader.stack, (f"left open: {reader.stack}", html)
    assert all(text.strip() for text in reader.mentions), ("a mention with no text", html)
    return reader


def test_the_balance_check_can_fail():
    for broken in ("<p><a href=x><a href=y>z</a></a></p>", "<p><div></div></p>", "<b><i></b></i>", "<span>"):
        reader = Balance()
        reader.feed(broken)
        assert reader.errors or reader.stack, broken


# ------------------------------------------------------------------------------------------------ loaders

WORK = Path(tempfile.mkdtemp(prefix="gloss-fuzz-"))
KIND = DEFAULT_KINDS["person"]


def front_matter_value() -> st.SearchStrategy[str]:
    """A TOML value of any type, so the field checks (not only the TOML parser) meet every kind of value."""
    scalar = st.one_of(st.text(max_size=10).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"')
                                                 .replace("\n", "\\n").replace("\r", "\\r") + '"'),
                       st.integers().map(str), st.booleans().map(lambda b: str(b).lower()),
                       st.sampled_from(["1950-03-21", "2019-05-14T10:00:00", '"2019-13"', '"2019"', "1.5", "inf",
                                        '""', '" "', '"javascript:alert(1)"', '"https://x.org"']))
    return st.one_of(scalar, st.lists(scalar, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
                     st.sampled_from(['{ title = "t", url = "https://x.org" }', '[{ title = 1 }]', "{}", "[[]]"]))


front_matter = st.lists(st.tuples(st.sampled_from(["name", "aliases", "title", "date", "summary", "related",
                                                   "sources", "born", "source", "order", "draft", "volume",
                                                   "role", "unknwon", "exact", "prefix", "entity", "body"]),
                                  front_matter_value()), max_size=6, unique_by=lambda kv: kv[0])
document = st.one_of(
    markdown_text,
    st.tuples(front_matter, markdown_text).map(
        lambda fm: "+++\n" + "".join(f"{k} = {v}\n" for k, v in fm[0]) + "+++\n" + fm[1]),
)


def assert_reported(problems: Problems) -> None:
    for problem in problems.items:
        assert problem.severity in ("error", "warning") and PROBLEM.match(str(problem)), str(problem)


@FUZZ
@given(text=document)
def test_loaders_take_any_text(text: str) -> None:
    for name, load in (("a.md", lambda p, pr: load_article(p, pr)), ("sergei-lavrov.md", lambda p, pr: load_entity(p, KIND, pr)),
                       ("a.toml", load_sidecar)):
        path = WORK / name
        path.write_text(text, encoding="utf-8")
        problems = Problems(root=WORK)
        with contextlib.suppress(GlossError):
            load(path, problems)
        assert_reported(problems)


@FUZZ
@given(data=st.binary(max_size=200))
def test_loaders_take_any_bytes(data: bytes) -> None:
    path = WORK / "b.md"
    path.write_bytes(b"+++\ntitle = \"x\"\n+++\n" + data if data[:1] == b"L" else data)
    problems = Problems(root=WORK)
    text = read_text(path, problems)
    assert (text is None) == bool(problems.errors)
    if text is not None:
        assert "\r" not in text and not text.startswith("\ufeff")
    load_article(path, problems)
    assert_reported(problems)


@FUZZ
@given(fm=front_matter, extra=st.text(max_size=20))
def test_site_toml_takes_any_settings(fm: list[tuple[str, str]], extra: str) -> None:
    site = WORK / "site.toml"
    site.write_text('title = "t"\n' + "".join(f"{k} = {v}\n" for k, v in fm) + extra, encoding="utf-8")
    problems = Problems(root=WORK)
    with contextlib.suppress(GlossError):
        load_config(site, problems)
    assert_reported(problems)


# ------------------------------------------------------------------------------------------------ matcher


@FUZZ
@given(aliases=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), alias), max_size=8), text=markdown_text)
def test_matcher_finds_whole_words_leftmost_longest(aliases: list[tuple[str, str]], text: str) -> None:
    matcher = Matcher.build((entity, [name]) for entity, name in aliases)
    text = normalise(text)
    found = matcher.find(text)
    known = {normalise(" ".join(name.split())) for _, name in aliases}
    end = 0
    for match in found:
        assert end <= match.start < match.end <= len(text)
        end = match.end
        written = text[match.start:match.end]
        assert written in known
        assert match.start == 0 or not WORD.match(text[match.start - 1]), (text, written)
        assert match.end == len(text) or not (WORD.match(written[-1]) and WORD.match(text[match.end])), (text, written)
        owners = {entity for entity, name in aliases if normalise(" ".join(name.split())) == written}
        assert set(match.entities) == owners


# ------------------------------------------------------------------------------------------------ renderer


def entities(names: list[str]) -> dict[str, Entity]:
    ids = ["sergei-lavrov", "vladimir-putin", "sochi", "x-1", "x-2", "x-3"]
    return {entity_id: Entity(entity_id, DEFAULT_KINDS["person"], WORK / f"{entity_id}.md", name, "", 1,
                              aliases=(name,))
            for entity_id, name in zip(ids, names, strict=False)}


def quotes_in(text: str):
    """Quotes taken from the text itself (so some anchor, some are ambiguous), or made up."""
    return st.one_of(
        st.tuples(st.integers(0, max(0, len(text) - 1)), st.integers(1, 12)).map(
            lambda at: text[at[0]:at[0] + at[1]]),
        st.text(min_size=1, max_size=6))


@FUZZ
@given(data=st.data(), text=markdown_text, names=st.lists(alias, min_size=1, max_size=6),
       notes_mode=st.sampled_from(["first", "all"]))
def test_rendered_article_is_well_formed_with_one_link_per_mention(data, text: str, names: list[str],
                                                                    notes_mode: str) -> None:
    found = entities(names)
    matcher = Matcher.build((e.id, (e.name, *e.aliases)) for e in found.values())
    sidecar = Sidecar(WORK / "a.toml")
    for line in range(data.draw(st.integers(0, 4))):
        exact = data.draw(quotes_in(text))
        if not exact.strip():
            continue
        quote = Quote(exact, data.draw(st.sampled_from(["", " ", "Lavrov "])), data.draw(st.sampled_from(["", " ", "."])))
        kind = data.draw(st.sampled_from(["note", "pin", "skip"]))
        if kind == "note":
            sidecar.notes.append(PassageNote(quote, "A *note* on [[sergei-lavrov]].", line + 1))
        elif kind == "pin":
            sidecar.pins.append(Pin(quote, data.draw(st.sampled_from([*found, "nobody"])), line + 1))
        else:
            sidecar.skips.append(Skip(quote, line + 1))
    problems = Problems(root=WORK)
    ctx = MarkupContext(entities=found, source=WORK / "a.md", first_line=4, problems=problems, matcher=matcher,
                        notes_mode=notes_mode, article="a", sidecar=sidecar, number_paragraphs=True,
                        record_shown_text=True)
    try:
        html = render_markdown(text, ctx, "a.html")
    except GlossError:
        return
    reader = well_formed(html)
    assert len(reader.mentions) == len(ctx.mentions), (reader.mentions, ctx.mentions, html)
    assert ctx.shown_text is not None and unpacked(ctx.shown_text) == shown_text(html), html  # (as recorded)
    assert "<script" not in html and not re.search(r"<[a-z][^>]*\son\w+\s*=", html), html  # raw HTML is text
    assert not re.search(r'(href|src)="\s*(javascript|data|vbscript):', html, re.I), html
    assert_reported(problems)


@FUZZ
@given(text=markdown_text)
def test_raw_html_when_allowed_is_sanitised(text: str) -> None:
    ctx = MarkupContext(entities={}, source=WORK / "a.md", first_line=1, problems=Problems(), number_paragraphs=True,
                        record_shown_text=True)
    html = render_markdown(text, ctx, "a.html", raw_html=True)
    assert ctx.shown_text is None or unpacked(ctx.shown_text) == shown_text(html), html  # (unless sanitised)
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "style", "iframe", "object", "embed", "svg", "math", "form", "input"]), html
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), html
            if name in ("href", "src"):
                assert not re.sub(r"[\s\x00-\x1f]", "", str(value)).lower().startswith(("javascript:", "data:",
                                                                                       "vbscript:")), html


@settings(FUZZ, max_examples=20)
@given(text=markdown_text, gloss=markdown_text, names=st.lists(alias, min_size=1, max_size=3))
def test_whole_pages_are_well_formed(text: str, gloss: str, names: list[str]) -> None:
    """A whole edition (article, entity pages, indexes) from random text: either problems, or pages whose
    <body> is well-formed with one link per mention."""
    root = Path(tempfile.mkdtemp(dir=WORK))
    (root / "content").mkdir()
    (root / "annotations/people").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Fuzz"\n', encoding="utf-8")
    (root / "content/a.md").write_text('+++\ntitle = "A"\n+++\n' + text, encoding="utf-8", errors="replace")
    for n, name in enumerate(names):
        safe = name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
        (root / f"annotations/people/p{n}.md").write_text(f'+++\nname = "{safe}"\n+++\n{gloss}', encoding="utf-8",
                                                          errors="replace")
    problems = Problems(root=root)
    try:
        site = analyse(root / "site.toml", problems)
    except GlossError:
        return
    assert_reported(problems)
    if problems.errors:
        return
    assert site.pages is not None
    for path, make in site.pages.plan():
        page = make()
        body = page[page.index("<body"):page.rindex("</body>") + len("</body>")]
        well_formed(body)
        assert path.endswith(".html")
