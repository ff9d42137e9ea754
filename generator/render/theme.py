"""The theme contract: what Gloss reads from a theme's pages beyond their look, declared in one place.

The handout (and every exporter after it: EPUB, course reader) takes an article page as the theme renders
it and keeps, removes or rewires parts of it by these `data-gloss-*` attributes, never by the theme's CSS
classes. A theme that overrides a template keeps the hooks that template carries; `gloss check` says which
are missing (docs/themes.md explains each). Besides: the macros a theme's macros.html defines (MACROS; their
output depends only on their arguments), and what its theme.toml declares (schema.THEME: `reads_markdown`,
without which templates cannot read an article's raw Markdown — render/pages.py's ThemeArticle).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes

from ..problems import Problems

# hook -> what it marks (and what exporters do with it)
HOOKS: dict[str, str] = {
    "data-gloss-screen-only": "everything that belongs to the web site only — its navigation, links to other "
                              "pages, search boxes, settings, cite buttons: exporters (the handout) remove it",
    "data-gloss-article-header": "the article's header (title, byline): the handout adds where it comes from",
    "data-gloss-whos-who": "the list of the people, places … the article names ('In this article'): left out of "
                           "handouts, whose notes gloss each entity in full",
    "data-gloss-endnotes": "the list of numbered notes: the handout glosses each entity in full there and points "
                           "entity links at its items",
    "data-gloss-note": "each note (entity or passage) in the endnotes: mentions inside it show its endnote number",
    "data-gloss-site-footer": "the site's footer: the handout keeps its text and drops its links",
}

# The templates every theme has (its own, or the default theme's) and the hooks each must carry.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "base.html": ("data-gloss-screen-only", "data-gloss-site-footer"),
    "home.html": (),
    "article.html": ("data-gloss-article-header", "data-gloss-whos-who", "data-gloss-endnotes"),
    "entity.html": (),
    "kind.html": (),
    "404.html": (),
    "macros.html": ("data-gloss-note",),
}


# The macros a theme's macros.html defines (render/pages.py calls them), and what each is called with.
MACROS: dict[str, str] = {
    "note_item": "note_item(note, t, url): one note's <li> in the endnotes and the note store",
}


# The ids the templates give the pages of a kind, which links in articles, glosses and notes may point at
# (the link check knows them from here, not by reading templates): by template, an id or, ending in "-", the
# start of ids the template numbers or names (letter-A). A theme that overrides the template keeps them.
IDS: dict[str, tuple[str, ...]] = {
    "base.html": ("main",),
    "home.html": ("h-articles", "h-indexes"),
    "article.html": ("h-ita", "h-notes"),
    "entity.html": ("h-mentions", "h-cited", "h-related", "h-sources", "h-together"),
    "kind.html": ("letter-",),
}


def check_theme(theme_dirs: list[Path], problems: Problems, reads_markdown: bool = False) -> None:
    """Warn about each part of the contract that a theme's own templates leave out (the default theme's
    templates fill in for those the theme does not have): a hook, a macro, and a read of an article's raw
    Markdown that its theme.toml does not declare."""
    if len(theme_dirs) < 2:
        return  # the default theme alone
    own, default = theme_dirs[0] / "templates", theme_dirs[-1] / "templates"
    for name, hooks in TEMPLATES.items():
        template = own / name
        if not template.is_file():
            continue
        text = template.read_text(encoding="utf-8", errors="replace")
        for hook in hooks:
            if hook not in text:
                problems.warning(template, 1, f"the theme contract: {name} has no `{hook}` attribute — "
                                 f"{HOOKS[hook]}",
                                 f"add {hook} to that element, as the default theme's {default / name} does "
                                 "(see docs/themes.md)")
    for template in sorted(own.rglob("*")) if own.is_dir() else ():
        if not template.is_file():
            continue
        text = template.read_text(encoding="utf-8", errors="replace")
        try:
            tree = jinja2.Environment().parse(text)
        except jinja2.TemplateSyntaxError:
            continue  # reported when the page is rendered
        if template == own / "macros.html":
            defined = {macro.name for macro in tree.find_all(nodes.Macro)}
            for macro, what in MACROS.items():
                if macro not in defined:
                    problems.warning(template, 1, f"the theme contract: macros.html has no `{macro}` macro — {what}",
                                     f"define {{% macro {what.split(':')[0]} %}}, as the default theme's "
                                     f"{default / 'macros.html'} does (see docs/themes.md)")
        if not reads_markdown:
            for line, col in markdown_reads(tree, text):
                problems.warning(template, line, "the theme contract: `.body` is an article's raw Markdown, which "
                                 "templates read only when the theme's theme.toml declares reads_markdown (the "
                                 "page fails to render)",
                                 f"add reads_markdown = true to {problems.where(theme_dirs[0] / 'theme.toml')} (every page is then "
                                 "made again when any article changes), or show the rendered `body`", col)


def markdown_reads(tree: nodes.Template, text: str) -> Iterator[tuple[int, int]]:
    """Where a template reads `body` of a value (`x.body`, `x["body"]`, `x|attr("body")`, `attribute="body"`):
    line and column (the column of the first `body` on that line that such a read can be)."""
    lines = text.splitlines()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Keyword)):
        if isinstance(node, nodes.Getattr):
            found = node.attr in _MARKDOWN
        elif isinstance(node, nodes.Getitem):
            found = isinstance(node.arg, nodes.Const) and node.arg.value in _MARKDOWN
        elif isinstance(node, nodes.Filter):
            found = node.name == "attr" and any(isinstance(a, nodes.Const) and a.value in _MARKDOWN for a in node.args)
        else:
            found = node.key == "attribute" and isinstance(node.value, nodes.Const) and node.value.value in _MARKDOWN
        if found:
            source = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
            at = _BODY.search(source)
            yield node.lineno, at.start() + 1 if at else 1


_MARKDOWN = frozenset({"body", "body_line"})
_BODY = re.compile(r"\bbody")
