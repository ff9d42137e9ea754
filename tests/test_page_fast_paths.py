"""The page phase's quick ways give what the plain ways give: parts of pages that render/pages.py renders once and
reuses (an entity's endnote, filled in with each note's number and ¶; a `{% call reused(…) %}` block) are the bytes
the templates give when rendered every time — for the default theme's note_item and for a theme's own, whatever it
does with a note's number and ¶ — and an entity page made from stored mention rows (MentionRun) is the page made
from Mention objects."""

from __future__ import annotations

import re
import shutil
from dataclasses import fields
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.build import analyse, build
from generator.model import Mention
from generator.problems import Problems
from generator.render.pages import MentionRun, NoteView, NotShared, Pages, StandIn, mention_rows

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "generator/themes/default/templates"

PARAGRAPHS = "\n\n".join(f"Paragraph {n} of the text." for n in range(1, 12))

SITE = {
    "site.toml": 'title = "Reuse"\nnotes = "all"\n',
    "annotations/people/sergei-lavrov.md": (
        '+++\nname = "Sergei Lavrov"\naliases = ["Lavrov"]\nrole = "Minister & \\"envoy\\""\nborn = 1950-03-21\n'
        # the stand-ins for a note's number and ¶ in the text itself: a reused item must not change them
        'summary = "Minister since 2004 (file 990000001, box 990000002); met [[vladimir-putin|Putin]] at the [[talks]] <often>."\n'
        "+++\nA minister.\n"),
    "annotations/people/vladimir-putin.md": '+++\nname = "Vladimir Putin"\naliases = ["Putin"]\n+++\nA president.\n',
    "annotations/places/sochi.md": '+++\nname = "Sochi"\nsummary = "A city on the Black Sea."\n+++\nA resort.\n',
    "annotations/events/talks.md": '+++\nname = "Sochi talks"\ndate = 2019-05-14\n+++\nTalks.\n',
    "content/a.md": ('+++\ntitle = "A"\n+++\n\n## Lavrov in a heading\n\n'
                     f"{PARAGRAPHS}\n\nLavrov went to Sochi. Putin spoke first; Lavrov again.\n"),
    "content/b.md": f'+++\ntitle = "B"\n+++\n\nSochi, before the Sochi talks.\n\n{PARAGRAPHS}\n\nThen Lavrov.\n',
    "content/c.md": '+++\ntitle = "C"\n+++\n\nLavrov and Putin in Sochi, far away.\n\n![Lavrov](media/x.png "Lavrov")\n',
    "annotations/notes/c.toml": '[[note]]\nexact = "far away"\nbody = "Some **4,000** miles from [[sergei-lavrov]]."\n',
    "content/media/x.png": "",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".gloss-build"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_reused_parts_are_what_the_templates_render_each_time(tmp_path: Path, jobs: int, monkeypatch):
    """The default theme beside a theme of copies of its templates that reuses nothing: its article.html has no
    `reused` blocks, and it is built with note_item called for every note (Pages.share_note_items off)."""
    _write(tmp_path / "site", SITE)
    default = build(tmp_path / "site/site.toml", tmp_path / "default", cache=False, jobs=jobs)
    mine = tmp_path / "site/themes/mine/templates"
    mine.mkdir(parents=True)
    shutil.copy(DEFAULT_TEMPLATES / "macros.html", mine / "macros.html")
    article = (DEFAULT_TEMPLATES / "article.html").read_text(encoding="utf-8")
    plain = "".join(line for line in article.splitlines(keepends=True)
                    if not line.startswith(("{% call reused(", "{% endcall %}")))
    assert "call reused(" in article and "call reused(" not in plain
    (mine / "article.html").write_text(plain, encoding="utf-8")
    (tmp_path / "site/site.toml").write_text(SITE["site.toml"] + 'theme = "mine"\n', encoding="utf-8")
    monkeypatch.setattr(Pages, "share_note_items", False)
    copied = build(tmp_path / "site/site.toml", tmp_path / "copied", cache=False, jobs=jobs)

    assert default.output is not None and copied.output is not None
    pages, expected = _files(default.output), _files(copied.output)
    assert pages == expected
    a = pages["a.html"].decode()
    assert a.count('<li id="note-sergei-lavrov" class="note"') == 1 and "file 990000001, box 990000002" in a
    assert 'class="note-where"> ¶ 12</span>' in a  # a number from the text, not a stand-in
    assert '<li id="note-vladimir-putin" class="note" data-gloss-note data-kind="person" value="' in pages["c.html"].decode()


# note_item macros of a theme that is not the default: each does something with a note's number, ¶ or links that
# the reused item cannot simply fill in (arithmetic, a test, a comparison, text made of the number, a link to the
# page itself), or prints them as they are (then its items are reused, as the default theme's are).
_VALUE = '{% if note.number %} value="{{ note.number }}"{% endif %}'
OWN_MACROS = {
    "times ten": ' value="{{ note.number * 10 }}" data-odd="{{ note.paragraph is odd }}"',
    "comparison": ' value="{{ note.number }}"{% if note.paragraph > 5 %} data-late{% endif %}',
    "as text": ' value="{{ note.number }}" data-digits="{{ note.number|string|length }}"',
    "escaped text": ' value="{{ note.number }}" data-digits="{{ note.number|e|length }}"',
    "as a number": ' value="{{ note.number }}"{% if note.paragraph|int < 3 %} data-early{% endif %}',
    "same object": ' value="{{ note.number }}"{% if note.number is sameas 1 %} data-first{% endif %}',
    "link to the page": ' value="{{ note.number }}" data-a="{{ url("a.html", "p1") }}"',
    "as they are": _VALUE + ' data-where="{{ note.paragraph }}/{{ note.number }}"',
}


@pytest.mark.parametrize("name", OWN_MACROS)
def test_a_themes_own_note_item_is_the_item_rendered_for_every_note(tmp_path: Path, name: str):
    """A theme's own note_item is reused as the default theme's is, and whatever it does with the note gives the
    pages that calling it for every note gives (the theme contract: its output depends only on its arguments)."""
    macros = (DEFAULT_TEMPLATES / "macros.html").read_text(encoding="utf-8")
    assert _VALUE in macros
    _write(tmp_path / "site", {**SITE, "site.toml": SITE["site.toml"] + 'theme = "mine"\n',
                               "content/d.md": f'+++\ntitle = "D"\n+++\n\n{PARAGRAPHS}\n\nSochi. Lavrov.\n',
                               "themes/mine/templates/macros.html": macros.replace(_VALUE, OWN_MACROS[name])})
    site = analyse(tmp_path / "site/site.toml", Problems())
    pages = site.pages
    assert pages is not None
    articles = site.edition.articles * 2  # each page again, when every item has been made
    reused = [pages.article(article) for article in articles]
    pages.share_note_items = False
    assert [pages.article(article) for article in articles] == reused
    shared = [shape for shape in pages._note_shapes.values() if shape]
    assert bool(shared) == (name in ("as they are", "link to the page")), shared
    if name == "link to the page":  # reused on the other pages only
        assert all(links == {"a.html"} for _, links in shared)


def test_a_themes_own_note_item_gets_the_numbers(tmp_path: Path):
    _write(tmp_path / "site", {**SITE, "site.toml": SITE["site.toml"] + 'theme = "mine"\n',
                               "themes/mine/templates/macros.html":
                               (DEFAULT_TEMPLATES / "macros.html").read_text(encoding="utf-8").replace(
                                   _VALUE, OWN_MACROS["times ten"])})
    report = build(tmp_path / "site/site.toml", tmp_path / "out", cache=False, jobs=1)
    assert report.output is not None
    html = (report.output / "a.html").read_text(encoding="utf-8")
    values = [int(v) for v in re.findall(r'<li id="[^"]*" class="note[^"]*"(?: data-gloss-note)? data-kind="[^"]*" value="(\d+)"', html)]
    assert values == [10, 20, 30, 0]  # three endnotes, then the note [[talks]] in a summary opens
    assert 'data-odd="True"' not in html  # ¶ 12 and none
    b = (report.output / "b.html").read_text(encoding="utf-8")
    assert '"note-sochi" class="note" data-gloss-note data-kind="place" value="10" data-odd="True"' in b  # ¶ 1
    assert '"note-sergei-lavrov" class="note" data-gloss-note data-kind="person" value="30" data-odd="True"' in b  # ¶ 13


def test_a_stand_in_is_printed_or_true_and_nothing_else():
    stand_in = StandIn("990000001")
    assert str(Markup(stand_in)) == "990000001" and bool(stand_in)
    for use in (str, int, float, repr, len, hash, lambda n: n + 1, lambda n: n == 1, lambda n: n < 1,
                lambda n: n.real, lambda n: f"{n}"):
        with pytest.raises(NotShared):
            use(stand_in)
    assert {f.name for f in fields(NoteView)} >= {"number", "paragraph", "entity"}


class StoredMentions(list):
    """An entity's mentions with runs() as the build's lazily read mentions may offer it: (article, rows, whether
    they need escaping) in reading order, one for each article that mentions the entity."""

    def runs(self) -> list[tuple[str, list[tuple], bool]]:
        found: list[tuple[str, list[tuple], bool]] = []
        for m in self:
            if not found or found[-1][0] != m.article:
                found.append((m.article, [], True))
            found[-1][1].append((m.anchor, m.paragraph, m.before, m.text, m.after, m.has_note, m.line))
        return found


def test_an_entity_page_from_stored_rows_is_the_page_from_mentions(tmp_path: Path):
    _write(tmp_path / "site", {**SITE, "content/d.md": '+++\ntitle = "D & <d>"\n+++\n\nLavrov said "no" & left.\n'})
    site = analyse(tmp_path / "site/site.toml", Problems())
    assert site.pages is not None and site.links is not None
    entity = site.edition.entities["sergei-lavrov"]
    mentions = list(site.links.mentions[entity.id])  # a plain list: no runs() to take the fast path
    assert len({m.article for m in mentions}) == 4
    site.links.mentions[entity.id] = mentions
    plain = site.pages.entity(entity)
    site.links.mentions[entity.id] = StoredMentions(mentions)
    assert site.pages.entity(entity) == plain
    assert "said &#34;no&#34; &amp; left." in plain


def test_a_mention_run_is_its_mentions():
    mentions = [Mention("e", "a", "p1", 1, "x & ", "y", " z", True, 3), Mention("e", "a", "fig1", 0, "", "<y>", "", False, 9)]
    run = MentionRun("e", "a", [(m.anchor, m.paragraph, m.before, m.text, m.after, m.has_note, m.line) for m in mentions])
    assert list(run) == mentions and run[1] == mentions[1] and run[:1] == mentions[:1] and len(run) == 2
    assert str(mention_rows("../a.html", run, "Source")) == str(mention_rows("../a.html", mentions, "Source"))
