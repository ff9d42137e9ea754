"""Links come from markdown-it's tokens: what the renderer records is what markdown-it parses, at the line
(and column) where the destination is written; the link check reads nothing else."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.build import BuildFailed, build
from generator.problems import Problems
from generator.render.annotations import MarkupContext
from generator.render.markdown import markdown_links, render_markdown

PARTS = ["[a](one.md) ", "![i](m.png) ", "[b [c](two.md)](three.md) ", "[x]", "[x][] ", "[y][x] ", "\n[x]: ref.md\n",
         "<http://auto.example/p> ", "<mailto:a@b.c> ", "`[code](span.md)` ", "``[a](b.md) ` ``", "\n\n    [ind](code.md)\n\n",
         "\n```\n[f](fenced.md)\n```\n", "*[em](em.md)* ", "**[st](st.md)** ", "\\[esc](esc.md) ", "[a](<sp ace.md>) ",
         "[t](t.md \"title\") ", "[p](f(1).md) ", "[n](\nnext.md) ", "text ", "\n", "\n\n", "] ", "[", "(", ") ",
         "> [q](quote.md)\n", "- [li](li.md)\n", "# [h](h.md)\n", "[é](é.md) ", "[&](a&amp;b.md) ", "[](empty.md) ",
         "[u](#p1) ", "[w](https://example.org/x) "]


def context(first_line: int = 1) -> MarkupContext:
    return MarkupContext(entities={}, source=Path("a.md"), first_line=first_line, problems=Problems())


def oracle(text: str) -> list[tuple[str, bool]]:
    """Every link and image of a plain CommonMark markdown-it parse, in order."""
    found = []
    for block in MarkdownIt("commonmark").parse(text):
        for token in block.children or []:
            if token.type == "link_open":
                found.append((token.attrGet("href"), False))
            elif token.type == "image":
                found.append((token.attrGet("src"), True))
    return found


def test_the_links_recorded_are_markdown_its_on_random_documents():
    rng = random.Random(19)
    for _ in range(1500):
        text = "".join(rng.choice(PARTS) for _ in range(rng.randrange(1, 14)))
        ctx = context(5)
        render_markdown(text, ctx, "a.html")
        assert [(href, image) for _, _, href, image in ctx.links] == oracle(text), text
        assert markdown_links(text, context(5)) == ctx.links  # parsing alone records the same
        lines = text.split("\n")
        for line, col, href, _ in ctx.links:
            assert 5 <= line < 5 + len(lines), (text, line)
            if col:  # the column is where the destination is written (as written, or as markdown-it shows it)
                written = lines[line - 5][col - 1:]
                assert written.startswith((href, MarkdownIt().normalizeLinkText(href))), (text, line, col, href)


def test_lines_and_columns_are_the_sources():
    text = "Para [a](one.md) and\n[b](two.md)\n\n> - [c](three.md)\n\nA [ref] here.\n\n[ref]: ref.md\n"
    ctx = context(10)
    render_markdown(text, ctx, "a.html")
    assert ctx.links == [(10, 10, "one.md", False), (11, 5, "two.md", False), (13, 9, "three.md", False),
                         (17, 8, "ref.md", False)]  # a reference link: at its definition


def test_footnotes_and_tables_keep_their_lines():
    text = "x\n\n| a | b |\n|---|---|\n| [t](t.md) | y |\n\nNote ^[see [f](f.md)].\n\n[^1]: [n](n.md)\n\nz[^1]\n"
    ctx = context(1)
    render_markdown(text, ctx, "a.html")
    assert [(line, href) for line, _, href, _ in ctx.links] == [(5, "t.md"), (7, "f.md"), (9, "n.md")]


SITE = '+++\ntitle = "{title}"\n+++\n{body}\n'


def _site(tmp_path: Path, body: str) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "T"\n')
    (root / "content/one.md").write_text(SITE.format(title="One", body="One."))
    (root / "content/a.md").write_text(SITE.format(title="A", body=body))
    return root


@pytest.mark.parametrize("body", [
    "Text.\n\n    [code](missing.md)\n",  # an indented code block: code, not a link (#19)
    "```\n[fenced](missing.md)\n```\n",
    "`[span](missing.md)`\n",
    "[a [b](one.md)](missing.md)\n",  # one link: markdown-it reads the inner one, the rest is text (#19)
])
def test_what_markdown_it_does_not_read_as_a_link_is_not_checked(tmp_path: Path, body: str):
    root = _site(tmp_path, body)
    report = build(root / "site.toml", tmp_path / "out", cache=False)
    assert not report.problems.errors


def test_a_broken_link_is_reported_at_its_line_and_column(tmp_path: Path):
    root = _site(tmp_path, "Intro.\n\nSee [the other](tow.md) now.\n")
    with pytest.raises(BuildFailed) as failed:
        build(root / "site.toml", tmp_path / "out", cache=False)
    found = [str(p) for p in failed.value.problems.errors]
    assert len(found) == 1 and found[0].startswith(
        "content/a.md:6:17: error: link `tow.md` points at nothing: there is no article content/tow.md"), found
