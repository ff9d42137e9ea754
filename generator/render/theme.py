"""The theme contract: what Gloss reads from a theme's pages beyond their look, declared in one place.

The handout (and every exporter after it: EPUB, course reader) takes an article page as the theme renders
it and keeps, removes or rewires parts of it by these `data-gloss-*` attributes, never by the theme's CSS
classes. A theme that overrides a template keeps the hooks that template carries; `gloss check` says which
are missing (docs/themes.md explains each).
"""

from __future__ import annotations

from pathlib import Path

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


def check_theme(theme_dirs: list[Path], problems: Problems) -> None:
    """Warn about each hook of the contract that a theme's own templates leave out (the default theme's
    templates fill in for those the theme does not have)."""
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
