"""`gloss check`: every stage but writing (Site.analyse, the link check included), and the checks an editor
wants on top of them: every page rendered once (a template that raises), and capitalised names that look
like people or institutions but carry no annotation (warnings).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .handout import check_questions
from .model import Article
from .problems import GlossError, Problem, Problems
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
    check_theme(site.edition.theme_dirs, problems, site.edition.reads_markdown)
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


