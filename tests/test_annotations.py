"""Entity files, sidecars, entity pages, indexes and cross-links, on a small whole site."""

from __future__ import annotations

import re

import pytest

from generator.build import BuildFailed, build
from generator.cli import main

SITE = """
-- site.toml --
title = "Annotated"
[kinds.person]
folder = "people"
label = "People"
[kinds.place]
folder = "places"
label = "Places"
[kinds.event]
folder = "events"
label = "Events"
[kinds.institution]
folder = "institutions"
label = "Institutions"
[kinds.work]
folder = "works"
label = "Works"
singular = "Work"
fields = ["published"]
-- content/alpha.md --
+++
title = "Alpha"
date = 2019-05-14
+++

Sergei Lavrov met Vladimir Putin in Sochi. Lavrov spoke first, and Putin’s aide listened.

Washington was far away. Then the Sochi talks ended; Lavrov read War and Peace.
-- content/beta.md --
+++
title = "Beta"
date = 2019-06-01
+++

Later, Lavrov returned to Sochi. The Trump-Putin summit was planned.
-- annotations/people/sergei-lavrov.md --
+++
name = "Sergei Lavrov"
aliases = ["Lavrov"]
sort_name = "Lavrov, Sergei"
summary = "Russia’s foreign minister since 2004, often in [[sochi]]."
born = 1950-03-21
role = "Minister of Foreign Affairs"
related = ["vladimir-putin"]
sources = [{ title = "An encyclopedia", url = "https://example.org/lavrov" }]
+++
The minister of [[vladimir-putin|the president]].

A second paragraph.
-- annotations/people/vladimir-putin.md --
+++
name = "Vladimir Putin"
aliases = ["Putin"]
sort_name = "Putin, Vladimir"
born = "1952"
+++
President of Russia.
-- annotations/people/donald-trump.md --
+++
name = "Donald Trump"
aliases = ["Trump"]
sort_name = "Trump, Donald"
+++
Forty-fifth president.
-- annotations/places/sochi.md --
+++
name = "Sochi"
+++
A resort city.
-- annotations/events/sochi-talks.md --
+++
name = "Sochi talks"
date = 2019-05-14
+++
Talks.
-- annotations/events/older-event.md --
+++
name = "Older event"
aliases = ["Washington"]
date = "2018-11"
+++
It happened in [[sochi]].
-- annotations/works/war-and-peace.md --
+++
name = "War and Peace"
published = "1869"
+++
A novel.
-- annotations/notes/alpha.toml --
[[note]]
exact = "far away"
body = "Some **4,000** miles."

[[skip]]
exact = "Washington"
-- annotations/notes/beta.toml --
[[pin]]
exact = "summit"
entity = "older-event"
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.conftest import parse_site, write_site

    root = write_site(tmp_path_factory.mktemp("annotated"), parse_site(SITE))
    report = build(root / "site.toml")
    assert not report.problems.errors
    return report.output


def read(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_the_first_mention_of_each_entity_shows_a_note(site):
    html = read(site, "alpha.html").split('<div class="article-body">')[1].split("</div>")[0]
    noted = re.findall(r'<a class="mention"[^>]*data-note="note-([a-z-]+)"', html)
    assert noted == ["sergei-lavrov", "vladimir-putin", "sochi", "sochi-talks", "war-and-peace"]
    assert html.count('href="people/sergei-lavrov.html"') >= 3  # later mentions are quiet links


def test_a_note_carries_name_kind_summary_dates_and_link(site):
    html = read(site, "alpha.html")
    note = re.search(r'<li id="note-sergei-lavrov".*?</li>', html, re.S).group(0)
    assert 'class="note-name" href="people/sergei-lavrov.html">Sergei Lavrov</a>' in note
    assert '<span class="note-kind">Person</span>' in note and "born 21 March 1950" in note
    assert "Russia’s foreign minister since 2004" in note
    assert 'data-note="note-sochi"' in note  # a cross-reference inside the note opens its own note
    vladimir = re.search(r'<li id="note-vladimir-putin".*?</li>', html, re.S).group(0)
    assert "President of Russia." in vladimir  # no summary: the gloss's first paragraph


def test_passage_notes_skips_and_pins(site):
    alpha = read(site, "alpha.html")
    assert '<span class="passage" id="pass' in alpha and "far away</span>" in alpha
    assert "Some <strong>4,000</strong> miles." in alpha
    assert 'href="events/older-event.html">Washington' not in alpha  # skipped
    beta = read(site, "beta.html")
    assert 'href="events/older-event.html" data-note="note-older-event" data-n="5" id="ref-older-event">summit' in beta
    assert 'href="people/donald-trump.html"' in beta and "Trump</a>-<a" in beta  # hyphenated compound: both


def test_in_this_article_groups_entities_by_kind(site):
    panel = re.search(r'<aside class="in-this-article".*?</aside>', read(site, "alpha.html"), re.S).group(0)
    kinds = re.findall(r"<h3>(\w+)</h3>", panel)
    assert kinds == ["People", "Places", "Events", "Works"]
    assert panel.index("Sergei Lavrov") < panel.index("Vladimir Putin")  # by sort name


def test_entity_page_lists_every_mention_with_its_sentence_and_paragraph(site):
    html = read(site, "people/sergei-lavrov.html")
    mentions = re.findall(r'<li><a class="mention-place" href="([^"]+)">¶ (\d+)</a> <q>(.*?)</q></li>', html)
    assert [(href.split(":~:")[0], n) for href, n, _ in mentions] == [
        ("../alpha.html#p1", "1"), ("../alpha.html#p1", "1"), ("../alpha.html#p2", "2"), ("../beta.html#p1", "1")]
    assert mentions[1][2] == "<mark>Lavrov</mark> spoke first, and Putin’s aide listened."
    assert "Mentions in this edition (4)" in html
    assert "<h2" in html and "A second paragraph." in html  # the full gloss
    assert 'href="https://example.org/lavrov">An encyclopedia</a>' in html


def test_related_entities_show_in_both_directions(site):
    assert 'href="vladimir-putin.html">Vladimir Putin</a>' in read(site, "people/sergei-lavrov.html")
    putin = read(site, "people/vladimir-putin.html")
    related = re.search(r'<section class="related".*?</section>', putin, re.S).group(0)
    assert "Sergei Lavrov" in related
    cited = re.search(r'<section class="cited-by".*?</section>', putin, re.S).group(0)
    assert "Sergei Lavrov" in cited  # Lavrov's gloss refers to Putin


def test_indexes_a_to_z_and_a_timeline(site):
    people = read(site, "people/index.html")
    assert re.findall(r'<li><a href="([a-z-]+)\.html">', people) == ["sergei-lavrov", "vladimir-putin", "donald-trump"]
    events = read(site, "events/index.html")
    assert events.index("Older event") < events.index("Sochi talks")
    assert '<time datetime="2018-11">November 2018</time>' in events
    assert (site / "works/war-and-peace.html").is_file()
    home = read(site, "index.html")
    for target in ["alpha.html", "beta.html", "people/index.html", "works/index.html", "events/index.html"]:
        assert f'href="{target}"' in home


def test_notes_all_puts_a_note_on_every_mention(make_site):
    from tests.conftest import parse_site

    files = parse_site(SITE)
    files["site.toml"] = files["site.toml"].replace('title = "Annotated"', 'title = "Annotated"\nnotes = "all"')
    root = make_site(files)
    html = (build(root / "site.toml").output / "alpha.html").read_text()
    assert len(re.findall(r'data-note="note-sergei-lavrov"', html)) == 3
    assert html.count('id="ref-sergei-lavrov"') == 1


@pytest.mark.parametrize("files,expected", [
    ({"annotations/people/x.md": '+++\naliases = ["X"]\n+++\n'}, "annotations/people/x.md:2: error: the entity has no `name`"),
    ({"annotations/people/x.md": '+++\nname = "X"\nbron = 1950-01-01\n+++\n'},
     "annotations/people/x.md:3: warning: unknown field `bron` for a person is ignored — did you mean `born`?"),
    ({"annotations/people/x.md": '+++\nname = "X"\nborn = "May 1950"\n+++\n'},
     "annotations/people/x.md:3: error: `born` is not a date"),
    ({"annotations/persons/x.md": '+++\nname = "X"\n+++\n'},
     "annotations/persons: error: unknown kind folder `persons/` — did you mean `people/`?"),
    ({"annotations/people/x.md": '+++\nname = "X"\n+++\n', "annotations/places/x.md": '+++\nname = "Y"\n+++\n'},
     "error: duplicate id `x`"),
    ({"annotations/people/x.md": '+++\nname = "X"\nrelated = ["nobody"]\n+++\n'},
     "annotations/people/x.md:3: error: related id `nobody` is unknown"),
    ({"annotations/people/x.md": '+++\nname = "X"\n+++\nSee [[y]].\n', "annotations/people/yy.md": '+++\nname = "Y"\n+++\n'},
     "annotations/people/x.md:4:5: error: [[y]] refers to an unknown entity — did you mean `yy`?"),
    ({"annotations/notes/a.toml": '[[note]]\nexact = "absent words"\nbody = "x"\n',
      "content/a.md": '+++\ntitle = "A"\n+++\n\nPresent words.\n'},
     "annotations/notes/a.toml:1: error: [[note]] quote 'absent words' not found in the article"),
    ({"annotations/notes/a.toml": '[[pin]]\nexact = "word"\nentity = "x"\n',
      "annotations/people/x.md": '+++\nname = "X"\n+++\n',
      "content/a.md": '+++\ntitle = "A"\n+++\n\nA word, and a word.\n'},
     "annotations/notes/a.toml:1: error: [[pin]] quote 'word' is found 2 times"),
    ({"annotations/people/a.md": '+++\nname = "Alpha"\naliases = ["Capital"]\n+++\n',
      "annotations/places/b.md": '+++\nname = "Beta"\naliases = ["Capital"]\n+++\n',
      "content/a.md": '+++\ntitle = "A"\n+++\n\nThe Capital spoke.\n'},
     "content/a.md:5: error: 'Capital' is an alias of `a` (annotations/people/a.md) and `b` (annotations/places/b.md)"),
])
def test_annotation_errors_name_file_and_line(make_site, files, expected):
    root = make_site(files)
    with pytest.raises(BuildFailed) as failed:
        build(root / "site.toml")
    text = failed.value.problems.as_text()
    assert expected in text, text


def test_an_alias_claimed_twice_is_fine_when_every_occurrence_is_pinned(make_site):
    root = make_site({
        "annotations/people/a.md": '+++\nname = "Alpha"\naliases = ["Capital"]\n+++\n',
        "annotations/places/b.md": '+++\nname = "Beta"\naliases = ["Capital"]\n+++\n',
        "content/a.md": '+++\ntitle = "A"\n+++\n\nThe Capital spoke. Alpha and Beta.\n',
        "annotations/notes/a.toml": '[[pin]]\nexact = "Capital"\nentity = "b"\n',
    })
    html = (build(root / "site.toml").output / "a.html").read_text()
    assert 'href="places/b.html" data-note="note-b" data-n="1" id="ref-b">Capital' in html


def test_gloss_new_uses_the_kinds_singular_name(make_site, capsys):
    root = make_site({"site.toml": 'title = "T"\n[kinds.work]\nfolder = "works"\n'})
    assert main(["new", "work", "war-and-peace", "--site", str(root)]) == 0
    assert (root / "annotations/works/war-and-peace.md").read_text().startswith('+++\nname = "War And Peace"')


def test_a_kind_of_your_own_is_added_to_the_four_defaults(built):
    out = built({"site.toml": 'title = "T"\n[kinds.work]\nfolder = "works"\nlabel = "Works"\n',
                 "annotations/works/war-and-peace.md": '+++\nname = "War and Peace"\n+++\nA novel.\n',
                 "annotations/people/leo-tolstoy.md": '+++\nname = "Leo Tolstoy"\n+++\nA writer.\n',
                 "content/a.md": '+++\ntitle = "A"\n+++\n\nLeo Tolstoy wrote War and Peace.\n'})
    nav = re.findall(r'<li><a href="(\w+)/index.html"', (out / "index.html").read_text())
    assert nav[:5] == ["people", "institutions", "events", "places", "works"]
    assert (out / "works/war-and-peace.html").is_file() and (out / "people/leo-tolstoy.html").is_file()
