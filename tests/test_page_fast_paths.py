"""The page phase's quick ways give what the plain ways give: parts of pages that render/pages.py renders once and
reuses (an entity's endnote, filled in with each note's number and ¶; a `{% call reused(…) %}` block) are the bytes
the templates give when rendered every time, a theme's own note_item macro is called for every note, and an entity
page made from stored mention rows (MentionRun) is the page made from Mention objects."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import analyse, build
from generator.model import Mention
from generator.problems import Problems
from generator.render.pages import MentionRun, mention_rows

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
def test_reused_parts_are_what_the_templates_render_each_time(tmp_path: Path, jobs: int):
    """The default theme beside a theme of copies of its templates that reuses nothing: its macros.html is not the
    default theme's file (so note_item is called for every note) and its article.html has no `reused` blocks."""
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
    copied = build(tmp_path / "site/site.toml", tmp_path / "copied", cache=False, jobs=jobs)

    assert default.output is not None and copied.output is not None
    pages, expected = _files(default.output), _files(copied.output)
    assert pages == expected
    a = pages["a.html"].decode()
    assert a.count('<li id="note-sergei-lavrov" class="note"') == 1 and "file 990000001, box 990000002" in a
    assert 'class="note-where"> ¶ 12</span>' in a  # a number from the text, not a stand-in
    assert '<li id="note-vladimir-putin" class="note" data-gloss-note data-kind="person" value="' in pages["c.html"].decode()


def test_a_themes_own_note_item_is_called_for_every_note(tmp_path: Path):
    _write(tmp_path / "site", {**SITE, "site.toml": SITE["site.toml"] + 'theme = "mine"\n',
                               "themes/mine/templates/macros.html":
                               (DEFAULT_TEMPLATES / "macros.html").read_text(encoding="utf-8").replace(
                                   '{% if note.number %} value="{{ note.number }}"{% endif %}',
                                   ' value="{{ note.number * 10 }}" data-odd="{{ note.paragraph is odd }}"')})
    report = build(tmp_path / "site/site.toml", tmp_path / "out", cache=False, jobs=1)
    assert report.output is not None
    html = (report.output / "a.html").read_text(encoding="utf-8")
    values = [int(v) for v in re.findall(r'<li id="[^"]*" class="note[^"]*"(?: data-gloss-note)? data-kind="[^"]*" value="(\d+)"', html)]
    assert values == [10, 20, 30, 0]  # three endnotes, then the note [[talks]] in a summary opens
    assert 'data-odd="True"' not in html  # ¶ 12 and none
    b = (report.output / "b.html").read_text(encoding="utf-8")
    assert '"note-sochi" class="note" data-gloss-note data-kind="place" value="10" data-odd="True"' in b  # ¶ 1
    assert '"note-sergei-lavrov" class="note" data-gloss-note data-kind="person" value="30" data-odd="True"' in b  # ¶ 13


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
