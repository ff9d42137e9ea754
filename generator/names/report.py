"""The names an edition's articles use that nothing glosses yet: found, placed (line, column, ¶), kinded, and
given the command that glosses each — for `gloss names` and for `gloss check`'s warnings."""

from __future__ import annotations

import shlex
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..slug import slugify
from . import names_in
from .finder import FoundName
from .gazetteer import fold

if TYPE_CHECKING:
    from ..match.matcher import Matcher
    from ..model import Article, Edition


@dataclass
class NameToGloss:
    """One name of one article with what to do about it."""

    article: Article
    found: FoundName
    line: int
    col: int
    paragraphs: list[int]
    kind: str  # the guessed kind if the edition has it, else "KIND"
    entity_id: str  # the id `gloss new` would make
    alias_of: str = ""  # an entity that already has the name but for accents, case or apostrophes
    alias_of_path: str = ""

    @property
    def command(self) -> str:
        if self.alias_of:
            return ""
        words = ["gloss", "new", self.kind, self.entity_id, "--name", self.found.name]
        for alias in self.found.aliases[1:]:
            words += ["--alias", alias]
        return " ".join(shlex.quote(w) for w in words)

    def advice(self) -> str:
        if self.alias_of:
            return f"add the alias \"{self.found.name}\" to {self.alias_of_path} (the same name but for accents, " \
                   "case or apostrophes), or set fold_accents = true in site.toml"
        return f"add it to an entity's aliases, or create one: {self.command}"

    def as_json(self) -> dict:
        assert self.found.kind is not None
        return {"article": self.article.slug, "name": self.found.name, "aliases": self.found.aliases,
                "count": self.found.count, "line": self.line, "col": self.col, "paragraphs": self.paragraphs,
                "kind": self.kind, "reason": self.found.kind.reason, "id": self.entity_id,
                "command": self.command, "alias_of": self.alias_of}


def covered_spans(article: Article, text: str, matcher: Matcher, edition: Edition) -> list[tuple[int, int]]:
    """What aliases, pins, skips and passage notes already cover in the prepared text."""
    from ..match.matcher import normalise

    flat = text.replace("\n", " ")
    covered = [(m.start, m.end) for m in matcher.find(flat)]
    sidecar = edition.sidecars.get(article.slug)
    if sidecar is not None:
        for entry in (*sidecar.pins, *sidecar.skips, *sidecar.notes):
            needle = normalise(" ".join(entry.quote.exact.split()))
            at = flat.find(needle)
            while needle and at != -1:
                covered.append((at, at + len(needle)))
                at = flat.find(needle, at + 1)
    return covered


def paragraph_lines(body: str) -> list[int]:
    """The body line (0-based) where each numbered paragraph starts, in the order the build numbers them."""
    from ..render.markdown import markdown

    starts: list[int] = []
    figure = footnote = 0
    for token in markdown().parse(body):
        if token.type == "container_figure_open":
            figure += 1
        elif token.type == "container_figure_close":
            figure -= 1
        elif token.type == "footnote_block_open":
            footnote += 1
        elif token.type == "footnote_block_close":
            footnote -= 1
        elif token.type == "paragraph_open" and not figure and not footnote and token.map:
            starts.append(token.map[0])
    return starts


def names_to_gloss(article: Article, edition: Edition, matcher: Matcher, keep: bool = False) -> list[NameToGloss]:
    """Every name of the article that nothing covers, in order of first appearance. `keep`: the gazetteer with
    its cities is made and kept in .gloss-cache/ (gloss names); else it is read from there if it was kept, or
    made without the cities (gloss check, which writes nothing and should be quick)."""
    from ..problems import Lines
    from . import prepare

    text = prepare(article.body, edition.config.raw_html)
    covered = covered_spans(article, text, matcher, edition)
    language = article.language or edition.config.language
    found = names_in(article.body, language, covered, edition.config.root / ".gloss-cache", keep, cities=keep,
                     raw_html=edition.config.raw_html)
    if not found:
        return []
    lines = Lines(article.body, article.body_line)
    paragraph_starts = paragraph_lines(article.body)
    known: dict[str, str] = {}
    for entity in edition.entities.values():
        for alias in (entity.name, *entity.aliases):
            known.setdefault(fold(alias), entity.id)
    kinds = edition.config.kinds
    result = []
    for name in found:
        assert name.kind is not None
        first = name.occurrences[0]
        line, col = lines.at(first.start)
        paragraphs = sorted({bisect_right(paragraph_starts, lines.at(o.start)[0] - article.body_line)
                             for o in name.occurrences} - {0})
        kind = name.kind.kind if name.kind.kind in kinds else "KIND"
        entity_id = slugify(name.name) or "name"
        existing = next((known[fold(form)] for form in name.forms if fold(form) in known), "")
        if not existing and entity_id in edition.entities:
            existing = entity_id
        entry = NameToGloss(article, name, line, col, paragraphs, kind, entity_id)
        if existing:
            entry.alias_of = existing
            entity = edition.entities[existing]
            try:
                entry.alias_of_path = entity.path.relative_to(edition.config.root).as_posix()
            except ValueError:
                entry.alias_of_path = entity.path.as_posix()
        result.append(entry)
    return result


def describe(entry: NameToGloss) -> str:
    """'`Sergei Ryabkov` (2 times, ¶3, ¶5) looks like a name but has no annotation (person: after the title …)'"""
    assert entry.found.kind is not None
    where = [f"{entry.found.count} times"] if entry.found.count > 1 else []
    where += [f"¶{p}" for p in entry.paragraphs[:6]] + (["…"] if len(entry.paragraphs) > 6 else [])
    return f"`{entry.found.name}`" + (f" ({', '.join(where)})" if where else "")


def warn_unannotated(article: Article, edition: Edition, matcher: Matcher, problems) -> None:
    """gloss check's warnings: one per name and article."""
    for entry in names_to_gloss(article, edition, matcher):
        problems.warning(article.path, entry.line, f"{describe(entry)} looks like a name but has no annotation",
                         entry.advice(), entry.col)


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
