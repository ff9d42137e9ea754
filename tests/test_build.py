"""The foundation: whole small sites built in a temp folder and asserted on."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import BuildFailed, build
from generator.cli import main

ARTICLES = """
-- site.toml --
title = "Reading room"
language = "en"
-- content/second.md --
+++
title = "Second by date"
date = 2019-05-14
publication = "Eurasia Daily Monitor"
volume = 16
issue = 72
author = "A. Writer"
source = "https://example.org/original"
rights = "© The Jamestown Foundation, quoted for teaching"
+++

First paragraph with a [link](https://example.org/x) and a [sibling](first.md).

Second paragraph.

```python
def hello():
    return "world"
```
-- content/first.md --
+++
title = "First by date"
date = 2019-01-02
+++

![A photo](media/photo.png)
-- content/draft.md --
+++
title = "Not yet"
draft = true
+++

Hidden.
-- content/media/photo.png --
not really a png
"""


def links_in(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]*)"', html)


def test_pages_are_written_at_their_paths(built):
    out = built(ARTICLES)
    for path in ["index.html", "first.html", "second.html", "404.html", "people/index.html",
                 "institutions/index.html", "events/index.html", "places/index.html", "assets/gloss.css",
                 "assets/gloss.js", "assets/pygments.css", "media/photo.png", ".nojekyll"]:
        assert (out / path).is_file(), path
    assert not (out / "draft.html").exists()
    assert "Not yet" not in (out / "index.html").read_text()


def test_every_internal_link_is_relative_and_points_at_a_file(built):
    out = built(ARTICLES)
    for page in out.rglob("*.html"):
        if page.name == "404.html":
            continue
        for link in links_in(page.read_text()):
            if link.startswith(("https://", "http://", "#", "mailto:", "data:")):
                continue
            assert not link.startswith("/"), (page, link)
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.is_file(), (page, link)


def test_article_shows_its_source_and_numbers_paragraphs(built):
    html = (built(ARTICLES) / "second.html").read_text()
    assert "Eurasia Daily Monitor" in html and "Volume 16" in html and "Issue 72" in html
    assert "A. Writer" in html and 'href="https://example.org/original"' in html
    assert "© The Jamestown Foundation" in html
    assert '<p id="p1"><a class="pnum" href="#p1"' in html and 'id="p2"' in html
    assert 'href="first.html"' in html  # a link to first.md becomes first.html
    assert '<span class="k">def</span>' in html  # Pygments


def test_previous_and_next_follow_order_then_date_then_title(built):
    out = built(ARTICLES)
    first, second = (out / "first.html").read_text(), (out / "second.html").read_text()
    assert 'rel="next" href="second.html"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="first.html"' in second
    ordered = built(ARTICLES.replace('title = "First by date"', 'title = "First by date"\norder = 2')
                    .replace('title = "Second by date"', 'title = "Second by date"\norder = 1'))
    assert 'rel="next" href="first.html"' in (ordered / "second.html").read_text()


def test_language_sets_lang_and_direction(built):
    out = built({"site.toml": 'title = "قراءة"\nlanguage = "ar"\n', "content/a.md": '+++\ntitle = "ا"\n+++\n\nنص.\n'})
    html = (out / "a.html").read_text()
    assert '<html lang="ar" dir="rtl">' in html


def test_interface_words_can_be_changed_in_site_toml(built):
    out = built({"site.toml": 'title = "T"\n[strings]\narticles = "Artikel"\n',
                 "content/a.md": '+++\ntitle = "A"\n+++\n\nText.\n'})
    assert ">Artikel</h2>" in (out / "index.html").read_text()


def test_a_site_theme_overrides_some_templates_and_falls_back_for_the_rest(built):
    out = built({
        "site.toml": 'title = "T"\ntheme = "mine"\n',
        "themes/mine/templates/home.html": '{% extends "base.html" %}{% block main %}<p>My home</p>{% endblock %}',
        "themes/mine/static/extra.css": "p{}",
        "content/a.md": '+++\ntitle = "A"\n+++\n\nText.\n',
    })
    assert "My home" in (out / "index.html").read_text()
    assert "pnum" in (out / "a.html").read_text()
    assert (out / "assets/extra.css").is_file() and (out / "assets/gloss.css").is_file()


def test_no_page_loads_anything_from_another_host(built):
    out = built(ARTICLES + "-- content/remote.md --\n+++\ntitle = \"R\"\n+++\n\n![x](https://example.org/a.png)\n")
    for page in out.rglob("*.html"):
        html = page.read_text()
        assert not re.search(r'<(?:img|script|link)[^>]+(?:src|href)="(?:https?:)?//', html), page
    assert 'class="remote-image" href="https://example.org/a.png"' in (out / "remote.html").read_text()


def test_two_builds_are_byte_identical(make_site):
    root = make_site(ARTICLES)
    one, two = build(root / "site.toml", root / "one").output, build(root / "site.toml", root / "two").output
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for rel in files:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


def test_a_failed_build_leaves_the_previous_build_untouched(make_site):
    root = make_site(ARTICLES)
    out = build(root / "site.toml").output
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "content/first.md").write_text('+++\ntitle = "Broken\n+++\n', encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(root / "site.toml")
    assert any(p.path == "content/first.md" and p.line == 2 for p in failed.value.problems.errors)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(root.glob(".build.tmp-*"))


def test_unknown_setting_is_a_warning_and_a_bad_value_an_error_naming_the_key(make_site, capsys):
    root = make_site({"site.toml": 'title = "T"\nnotse = "all"\nnotes = "some"\n'})
    assert main(["build", "--site", str(root / "site.toml")]) == 1
    err = capsys.readouterr().err
    assert "site.toml:2: warning: unknown setting `notse` is ignored — did you mean `notes`?" in err
    assert 'site.toml:3: error: `notes` must be one of "first", "all", not "some"' in err


def test_build_prints_one_summary_line(make_site, capsys):
    root = make_site(ARTICLES)
    assert main(["build", "--site", str(root)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and re.match(r"Built 2 articles, \d+ pages \(\d+ files\) into .*build/ — 0 warnings — "
                                      r"\d+\.\d\d s$", out[0]), out


def test_init_makes_an_edition_that_builds(tmp_path, capsys):
    folder = tmp_path / "my-edition"
    assert main(["init", str(folder), "--title", "My reading"]) == 0
    printed = capsys.readouterr().out
    assert "gloss import" in printed and "gloss serve" in printed
    for path in ["site.toml", ".gitignore", ".github/workflows/pages.yml", "content", "annotations/people",
                 "annotations/events", "annotations/notes"]:
        assert (folder / path).exists(), path
    site = (folder / "site.toml").read_text()
    assert 'title = "My reading"' in site and '# base_url = ""' in site and '# notes = "first"' in site
    assert main(["new", "person", "sergei-lavrov", "--site", str(folder)]) == 0
    entity = (folder / "annotations/people/sergei-lavrov.md").read_text()
    assert 'name = "Sergei Lavrov"' in entity and 'aliases = ["Lavrov"]' in entity
    (folder / "content/a.md").write_text('+++\ntitle = "A"\n+++\n\nSergei Lavrov spoke.\n', encoding="utf-8")
    assert main(["build", "--site", str(folder)]) == 0
    assert 'href="people/sergei-lavrov.html"' in (folder / "build/a.html").read_text()
    assert main(["init", str(folder)]) == 1  # never over an existing edition


def test_new_refuses_unknown_kinds_and_existing_ids(make_site, capsys):
    root = make_site({"annotations/people/x.md": '+++\nname = "X"\n+++\n'})
    assert main(["new", "animal", "y", "--site", str(root)]) == 2  # a mistake in the command line
    assert "unknown kind `animal` — use one of: person, institution, event, place" in capsys.readouterr().err
    assert main(["new", "place", "x", "--site", str(root)]) == 1
    assert main(["new", "place", "Bad Id", "--site", str(root)]) == 2


@pytest.mark.parametrize("command", ["build", "check", "serve", "init", "import", "new", "handout"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "usage: gloss " + command in capsys.readouterr().out


def test_version_and_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("gloss ")
    usage = subprocess.run([sys.executable, "-m", "generator", "frobnicate"], capture_output=True, text=True)
    assert usage.returncode == 2


def test_the_default_theme_ships_inside_the_package():
    import generator

    theme = Path(generator.__file__).parent / "themes" / "default"
    for name in ["templates/base.html", "templates/article.html", "static/gloss.css", "static/gloss.js",
                 "strings.toml"]:
        assert (theme / name).is_file(), name


def test_long_builds_report_progress(make_site):
    root = make_site(ARTICLES)
    seen: list[tuple[str, int, int]] = []
    build(root / "site.toml", progress=lambda stage, done, total: seen.append((stage, done, total)), cache=False)
    assert ("rendering articles", 2, 2) in seen
    assert any(stage == "writing pages" for stage, _, _ in seen)


def test_progress_is_drawn_only_on_a_terminal():
    import io

    from generator.cli import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert _progress(io.StringIO()) is None
    screen = Terminal()
    show = _progress(screen)
    show("rendering articles", 3, 10)
    assert "rendering articles 3/10" in screen.getvalue()
