"""`gloss check`: every stage but writing (Site.analyse, the link check included), and the checks an editor
wants on top of them: every page rendered once (a template that raises), and capitalised names that look
like people or institutions but carry no annotation (warnings).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from pathlib import Path

from .handout import check_questions
from .model import Article
from .problems import GlossError, Problem, Problems
from .render.markdown import markdown
from .render.theme import check_theme
from .site import Site


def check(site_file: Path) -> Problems:
    """Every problem of the edition at site_file, in one run; nothing is written."""
    problems = Problems(root=site_file.parent)
    try:
        site = Site.load(site_file, problems).analyse()
    except GlossError as exc:
        problems.extend([_relative(exc.problem, problems)])
        return problems
    check_theme(site.edition.theme_dirs, problems)
    render_every_page(site, problems)
    check_questions(site, problems)
    for article in site.edition.articles:
        unannotated_names(article, site, problems)
    editor_warnings(site, problems)
    return problems


def render_every_page(site: Site, problems: Problems) -> None:
    """Render each page once and throw it away: a theme's template that fails is reported, every one."""
    assert site.pages is not None
    for _path, make in site.pages.plan():
        try:
            make()
        except GlossError as exc:
            problems.extend([_relative(exc.problem, problems)])


def _relative(problem: Problem, problems: Problems) -> Problem:
    """The problem with its path relative to the edition, like every other one."""
    return dataclasses.replace(problem, path=problems.where(problem.path)) if problem.path else problem


# ------------------------------------------------------------------------------------------------ names



class Lines:
    """Offsets in a text → (line, column) in its file, the text starting at line `first`."""

    def __init__(self, text: str, first: int):
        self.first = first
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return self.first + index, offset - self.starts[index] + 1


def prose(body: str, raw_html: bool = False) -> str:
    """The body with everything but its running text blanked out (same length, newlines kept): the text
    markdown-it finds outside code, links, images, [[references]] and raw HTML, at its place in the source."""
    kept = [" " if c != "\n" else c for c in body]
    starts = [0] + [m.end() for m in re.finditer("\n", body)]
    for block in markdown(raw_html).parse(body, {}):
        if block.type != "inline" or not block.children or block.map is None:
            continue
        line, cursor, hidden = block.map[0], starts[block.map[0]], 0
        for token in block.children:
            kind = token.type
            if kind in ("link_open", "gloss_ref_open"):
                hidden += 1
            elif kind in ("link_close", "gloss_ref_close"):
                hidden -= 1
            elif kind in ("softbreak", "hardbreak"):
                line += 1
                cursor = max(cursor, starts[line]) if line < len(starts) else len(body)
            elif kind == "text" and not hidden and token.content:
                at = body.find(token.content, cursor)
                if at >= 0 and "\n" not in body[cursor:at]:
                    kept[at:at + len(token.content)] = token.content
                    cursor = at + len(token.content)
                elif "\\" in body[cursor:starts[line + 1] if line + 1 < len(starts) else len(body)]:
                    # the text as written with backslash escapes (\[sic\]): kept without its backslashes
                    written = re.compile("".join("\\\\?" + re.escape(c) if c in _ESCAPABLE else re.escape(c)
                                                 for c in token.content))
                    found = written.search(body, cursor)
                    if found and "\n" not in body[cursor:found.start()]:
                        kept[found.start():found.end()] = found.group().replace("\\", " ")
                        cursor = found.end()
    return "".join(kept)


_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def editor_warnings(site: Site, problems: Problems) -> None:
    """Aliases that are common words or match far too often; entities still as `gloss new` wrote them."""
    from .editor.warnings import warn_aliases, warn_unfinished

    warn_aliases(site.edition, site.matcher, problems)
    warn_unfinished(site.edition, problems)


def unannotated_names(article: Article, site: Site, problems: Problems) -> None:
    """Warn, once per name and article, about proper names that no alias, [[id]], link, pin, skip or passage
    note covers: a to-do list for the editor (the list `gloss names` prints, with its commands)."""
    from .names.report import warn_unannotated

    warn_unannotated(article, site.edition, site.matcher, problems)


