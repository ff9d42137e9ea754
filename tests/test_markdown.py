"""Rendering rules as markdown-it fixture files (title / input / expected HTML)."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from generator.config import DEFAULT_KINDS
from generator.match.matcher import Matcher
from generator.model import Entity
from generator.problems import Problems
from generator.render.annotations import MarkupContext
from generator.render.markdown import render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "markdown.md"
PEOPLE = {
    "vladimir-putin": ("Vladimir Putin", ("Putin",)),
    "sergei-lavrov": ("Sergei Lavrov", ("Lavrov",)),
}


def render(text: str) -> str:
    entities = {eid: Entity(id=eid, kind=DEFAULT_KINDS["person"], path=Path(f"{eid}.md"), name=name, gloss="",
                            gloss_line=1, aliases=aliases) for eid, (name, aliases) in PEOPLE.items()}
    matcher = Matcher.build((e.id, (e.name, *e.aliases)) for e in entities.values())
    ctx = MarkupContext(entities=entities, source=Path("a.md"), first_line=1, problems=Problems(), matcher=matcher,
                        article="a", number_paragraphs=True)
    return render_markdown(text, ctx, "a.html")


@pytest.mark.parametrize("line,title,source,expected", read_fixture_file(FIXTURES), ids=lambda x: str(x)[:40])
def test_rendering_rule(line, title, source, expected):
    assert render(source).strip() == expected.strip(), f"{FIXTURES.name}:{line}: {title}"
