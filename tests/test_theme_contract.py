"""The theme contract (generator/render/theme.py): a theme that is not the default one, with other markup and
classes, gives a working handout through the declared data-gloss-* hooks; `gloss check` names a hook or a macro a
theme's template leaves out, and a read of an article's raw Markdown its theme.toml does not declare."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build
from generator.cache import edition_key as cache_edition_key
from generator.check import check
from generator.handout import make_handout
from generator.problems import GlossError
from generator.render.theme import HOOKS, IDS, MACROS, TEMPLATES
from generator.site import Site
from generator.stages import edition_key

ROOT = Path(__file__).resolve().parent.parent
PLAIN = Path(__file__).parent / "fixtures/themes/plain"
DEFAULT = ROOT / "generator/themes/default/templates"

FILES = {
    "site.toml": 'title = "Plain edition"\ntheme = "plain"\n',
    "content/one.md": '+++\ntitle = "One"\n+++\nSergei Lavrov spoke in Sochi.\n',
    "content/two.md": '+++\ntitle = "Two"\n+++\nLavrov again.\n',
    "annotations/people/sergei-lavrov.md": '+++\nname = "Sergei Lavrov"\naliases = ["Lavrov"]\n+++\nA minister.\n',
    "annotations/places/sochi.md": '+++\nname = "Sochi"\n+++\nA city.\n',
}


def edition(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    shutil.copytree(PLAIN, root / "themes/plain")
    return root


def test_the_default_theme_keeps_the_contract():
    for name, hooks in TEMPLATES.items():
        text = (DEFAULT / name).read_text(encoding="utf-8")
        assert all(hook in text for hook in hooks), name
    assert set(hook for hooks in TEMPLATES.values() for hook in hooks) == set(HOOKS)
    for name, anchors in IDS.items():
        text = (DEFAULT / name).read_text(encoding="utf-8")
        assert all(f'id="{anchor}' in text for anchor in anchors), name


def test_a_handout_from_another_theme_goes_by_the_hooks(tmp_path: Path):
    root = edition(tmp_path)
    problems = check(root / "site.toml")
    assert not [p for p in problems.items if "theme contract" in p.message], problems.as_text()
    site = Site.load(root / "site.toml", drafts=True).analyse()
    article = next(a for a in site.edition.articles if a.slug == "one")
    soup = BeautifulSoup(make_handout(site, article), "html.parser")
    assert soup.select(".topbar, .plain-search, .plain-next, .plain-people") == []  # screen-only, who's who: gone
    assert "Plain edition" in soup.select_one(".plain-head").get_text()  # where it comes from, in the header
    assert soup.select_one(".colophon a") is None and "a plain theme" in soup.select_one(".colophon").get_text()
    endnote = soup.select_one(".plain-notes li#note-sergei-lavrov")
    assert endnote is not None and "A minister." in endnote.get_text()  # the gloss in full, in the endnote


def test_a_link_to_a_declared_id_is_checked_against_the_contract(tmp_path: Path):
    """The link check knows the ids from render/theme.py's IDS (not from the templates): a link to one passes,
    a link to an id no page has is reported, whatever the theme's templates contain."""
    root = edition(tmp_path)
    (root / "content/two.md").write_text('+++\ntitle = "Two"\n+++\nLavrov [again](one.md#h-notes), '
                                         "[and](one.md#h-nothing).\n", encoding="utf-8")
    found = [p.message for p in check(root / "site.toml").items if "h-n" in p.message]
    assert len(found) == 1 and "h-nothing" in found[0], found


def test_check_names_the_hooks_a_theme_leaves_out(tmp_path: Path):
    root = edition(tmp_path)
    article = root / "themes/plain/templates/article.html"
    article.write_text(article.read_text().replace(" data-gloss-endnotes", ""), encoding="utf-8")
    found = [str(p) for p in check(root / "site.toml").items if "theme contract" in p.message]
    assert found == ["themes/plain/templates/article.html:1: warning: the theme contract: article.html has no "
                     f"`data-gloss-endnotes` attribute — {HOOKS['data-gloss-endnotes']} — add data-gloss-endnotes "
                     f"to that element, as the default theme's {DEFAULT / 'article.html'} does (see docs/themes.md)"]


def test_docs_themes_lists_every_hook_and_id():
    doc = (ROOT / "docs/themes.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `") for line in doc.splitlines() if line.startswith("| `data-gloss")}
    assert rows == set(HOOKS)
    ids = {line.split("|")[1].strip(" `") for line in doc.splitlines() if line.startswith("| `id=")}
    assert ids == {f'id="{a}{"…" if a.endswith("-") else ""}"' for anchors in IDS.values() for a in anchors}


READING_TIME = '<p class="plain-time">{{ (article.body|wordcount / 200)|round(0, "ceil")|int }} min</p>\n'


def test_a_theme_reads_an_articles_markdown_only_when_its_theme_toml_says_so(tmp_path: Path):
    """`article.body` (the raw Markdown) is not open to templates unless theme.toml declares reads_markdown:
    gloss check points at the read, the build fails there; declared, the page shows it and every page's
    fingerprint covers every article's Markdown."""
    root = edition(tmp_path)
    article = root / "themes/plain/templates/article.html"
    lines = article.read_text(encoding="utf-8").splitlines(keepends=True)
    article.write_text("".join([*lines[:5], READING_TIME, *lines[5:]]), encoding="utf-8")
    found = [str(p) for p in check(root / "site.toml").items if "raw Markdown" in p.message]
    assert found[0] == (
        "themes/plain/templates/article.html:6:35: warning: the theme contract: `.body` is an article's raw "
        "Markdown, which templates read only when the theme's theme.toml declares reads_markdown (the page fails "
        "to render) — add reads_markdown = true to themes/plain/theme.toml (every page is then made "
        "again when any article changes), or show the rendered `body`"), found
    assert any(f.startswith("themes/plain/templates/article.html:6: error: `article.body` is the article's raw "
                            "Markdown") for f in found), found
    with pytest.raises(GlossError, match="reads_markdown = true"):
        build(root / "site.toml", tmp_path / "out", cache=False, jobs=1)
    assert not (tmp_path / "out").exists()

    (root / "themes/plain/theme.toml").write_text("reads_markdown = true\n", encoding="utf-8")
    assert not [p for p in check(root / "site.toml").items if "Markdown" in p.message]
    report = build(root / "site.toml", tmp_path / "out", cache=False, jobs=1)
    assert report.output is not None and '<p class="plain-time">1 min</p>' in (report.output / "one.html").read_text()
    site = Site.load(root / "site.toml").analyse()
    assert site.bodies is not None
    before = edition_key(site.edition, site.bodies.cache_keys)
    (root / "content/two.md").write_text('+++\ntitle = "Two"\n+++\nLavrov once more.\n', encoding="utf-8")
    site = Site.load(root / "site.toml").analyse()
    assert site.bodies is not None and edition_key(site.edition, site.bodies.cache_keys) != before
    (root / "themes/plain/theme.toml").write_text("reads_markdown = false\n", encoding="utf-8")
    site = Site.load(root / "site.toml").analyse()
    assert site.bodies is not None and edition_key(site.edition, site.bodies.cache_keys) == cache_edition_key(site.edition)


def test_check_reads_theme_toml_against_its_schema(tmp_path: Path):
    root = edition(tmp_path)
    (root / "themes/plain/theme.toml").write_text('reads_markdwn = true\nreads_markdown = "yes"\n', encoding="utf-8")
    found = [str(p) for p in check(root / "site.toml").items if "theme.toml" in str(p)]
    assert found == ["themes/plain/theme.toml:1: warning: unknown key `reads_markdwn` in theme.toml is ignored — "
                     "did you mean `reads_markdown`?",
                     "themes/plain/theme.toml:2: error: `reads_markdown` must be true or false, not 'yes' — "
                     "write reads_markdown = true"], found


def test_check_names_a_macro_a_theme_leaves_out(tmp_path: Path):
    root = edition(tmp_path)
    (root / "themes/plain/templates/macros.html").write_text(
        "{% macro nested_store(nested, t, url) %}{% endmacro %}\n", encoding="utf-8")
    found = [p.message for p in check(root / "site.toml").items if "` macro —" in p.message]
    assert found == [f"the theme contract: macros.html has no `note_item` macro — {MACROS['note_item']}"], found
