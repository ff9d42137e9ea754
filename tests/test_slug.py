"""Slugs and heading ids for any script, by anyascii; Latin slugs as they always were."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from generator.problems import Problems
from generator.render.annotations import MarkupContext
from generator.render.markdown import render_markdown
from generator.site import Site
from generator.slug import id_problem, slugify

ROOT = Path(__file__).resolve().parent.parent


def latin_slug(text: str, max_length: int = 80) -> str:
    """The slug before transliteration (accents folded by NFKD, everything else dropped): for Latin text,
    what slugify must still give — but for punctuation outside ASCII (an en dash), which it dropped, joining
    the words around it ("Trump–Putin" -> "trumpputin"), and which now separates them as ASCII's does."""
    text = "".join(" " if not c.isascii() and unicodedata.category(c)[0] in "PSZ" and c not in "’‘" else c
                   for c in text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’‘`]", "", ascii_text.replace("’", ""))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


@pytest.mark.parametrize("text, slug", [
    ("Путин и Лавров", "putin-i-lavrov"),
    ("Łukasz", "lukasz"),
    ("Straße", "strasse"),
    ("习近平会见布林肯", "xi-jin-ping-hui-jian-bu-lin-ken"),
    ("東京の会議", "dong-jing-no-hui-yi"),
    ("Σεργκέι Λαβρόφ", "sergkei-lavrof"),
    ("Þórsdóttir Æsa", "thorsdottir-aesa"),
    ("서울 회담", "seoul-hoedam"),
    ("Putin and Lavrov Rebuff Pompeo’s Overtures", "putin-and-lavrov-rebuff-pompeos-overtures"),
    ("Café “Noir” — l’été", "cafe-noir-lete"),
])
def test_any_script_gives_a_readable_slug(text: str, slug: str):
    assert slugify(text) == slug


@pytest.mark.parametrize("text, slug", [
    ("CON", "con-1"), ("Aux", "aux-1"), ("nul", "nul-1"), ("PRN!", "prn-1"), ("Com1", "com1-1"), ("LPT9", "lpt9-1"),
    ("Кон", "kon"), ("console", "console"), ("com10", "com10"), ("con.md", "con-md"), ("Con Edison", "con-edison"),
])
def test_a_slug_is_never_a_name_windows_keeps_for_a_device(text: str, slug: str):
    """con.md, aux.html … cannot be checked out on Windows: such a slug gets a suffix; longer names keep theirs."""
    assert slugify(text) == slug
    assert not id_problem(slug)


def test_headings_in_other_scripts_get_their_own_ids():
    ctx = MarkupContext(entities={}, source=Path("a.md"), first_line=1, problems=Problems())
    html = render_markdown("## Переговоры в Сочи\n\n## 会谈\n\n## Переговоры в Сочи\n", ctx, "a.html")
    assert re.findall(r'<h2 id="([^"]+)"', html) == ["peregovory-v-sochi", "hui-tan", "peregovory-v-sochi-1"]


def test_latin_slugs_of_the_bundled_edition_are_unchanged():
    """Every title, name and heading of the bundled edition slugs as it did before transliteration."""
    site = Site.load(ROOT / "site.toml")
    texts = [a.title for a in site.edition.articles] + [e.name for e in site.edition.entities.values()]
    texts += [alias for e in site.edition.entities.values() for alias in e.aliases]
    texts += [line.lstrip("#").strip() for a in site.edition.articles for line in a.body.splitlines()
              if line.startswith("#")]
    assert len(texts) > 50
    for text in texts:
        assert slugify(text) == latin_slug(text), text
    for entity in site.edition.entities.values():
        assert entity.id == slugify(entity.id)


def test_a_paragraph_numbers_aria_label_is_the_themes_word(tmp_path: Path):
    """The words screen readers hear for paragraph and note numbers come from the theme's strings (an edition
    in another language sets them in site.toml's [strings]), not from English literals in the renderer."""
    from generator.build import build

    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "T"\nlanguage = "de"\n[strings]\nparagraph = "Absatz"\n')
    (root / "content/a.md").write_text('+++\ntitle = "A"\n+++\nErster Absatz.\n')
    html = (build(root / "site.toml", tmp_path / "out").output / "a.html").read_text(encoding="utf-8")
    assert 'aria-label="Absatz 1"' in html and 'aria-label="Paragraph 1"' not in html
