"""`gloss check`: the checks of generator/check.py one by one, and what the editor does with their advice."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.build import analyse
from generator.check import check
from generator.cli import main
from generator.problems import Problems
from generator.render.markdown import prose

ROOT = Path(__file__).resolve().parent.parent

SITE = """
-- content/sochi.md --
+++
title = "Sochi"
+++
Sergei Lavrov met Mike Pompeo in Sochi. Lavrov spoke first; then Lavrov spoke again.

## The talks

Pompeo listened.
-- content/later.md --
+++
title = "Later"
+++
Pompeo flew home.
-- annotations/people/sergei-lavrov.md --
+++
name = "Sergei Lavrov"
aliases = ["Lavrov"]
+++
Russia's foreign minister.
-- annotations/people/mike-pompeo.md --
+++
name = "Mike Pompeo"
aliases = ["Pompeo"]
+++
The secretary of state.
-- annotations/places/sochi.md --
+++
name = "Sochi"
+++
A city.
"""


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check(root / "site.toml").sorted()]


def test_the_bundled_edition_passes_strict_check(capsys):
    """No false positives on the real edition: no error, and no warning either (names, links, notes)."""
    assert main(["check", "--strict", "--site", str(ROOT)]) == 0, capsys.readouterr().err
    assert capsys.readouterr().err.strip() == "0 errors, 0 warnings"


def test_check_reports_everything_in_one_run_and_writes_nothing(make_site):
    root = make_site(SITE + """
-- annotations/people/nobody.md --
+++
name = "Nobody At All"
colour = "red"
+++
See [[mike-pompoe]] and [the talks](../sochi.md#the-talk).
""")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    found = problems_of(root)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before  # no build/, no .gloss-cache/
    text = "\n".join(found)
    assert "annotations/people/nobody.md:3: warning: unknown field `colour`" in text
    assert "annotations/people/nobody.md:5:5: error: [[mike-pompoe]] refers to an unknown entity — did you mean `mike-pompeo`?" in text
    assert "annotations/people/nobody.md:5:37: error: link `../sochi.md#the-talk`: no `#the-talk` in sochi.html — did you mean `#the-talks`?" in text
    assert "annotations/people/nobody.md:2: warning: `Nobody At All` is never mentioned" in text
    assert len(found) == 4, found


def test_a_link_into_an_article_from_a_gloss_must_climb_out_of_its_folder(make_site):
    root = make_site(SITE.replace("A city.", "Where [the talks](later.md#p1) were held."))
    found = problems_of(root)
    assert any("annotations/places/sochi.md:4:19: error: link `later.md#p1` points at nothing" in p
               and "did you mean `../later.md`?" in p for p in found), found
    # the advice works
    path = root / "annotations/places/sochi.md"
    path.write_text(path.read_text().replace("](later.md", "](../later.md"))
    assert not [p for p in problems_of(root) if "error" in p]


def test_ambiguous_quote_advice_makes_it_unique(make_site):
    """The prefix or suffix `gloss check` suggests, once written into the notes file, anchors the note."""
    root = make_site(SITE + """
-- annotations/notes/sochi.toml --
[[note]]
exact = "Lavrov spoke"
body = "Twice."
""")
    found = [p for p in problems_of(root) if "sochi.toml" in p]
    assert len(found) == 1 and "is found 2 times" in found[0], found
    suggestion = re.search(r'write (prefix|suffix) = ("[^"]*")', found[0])
    assert suggestion, found[0]
    notes = root / "annotations/notes/sochi.toml"
    notes.write_text(notes.read_text().replace('body = "Twice."', f'{suggestion[1]} = {suggestion[2]}\nbody = "Twice."'))
    assert not [p for p in problems_of(root) if "sochi.toml" in p]


def test_a_quote_with_the_wrong_prefix_shows_the_text_around_it(make_site):
    root = make_site(SITE + """
-- annotations/notes/sochi.toml --
[[note]]
exact = "listened"
prefix = "Lavrov "
body = "x"
""")
    found = [p for p in problems_of(root) if "sochi.toml" in p]
    assert found == ["annotations/notes/sochi.toml:1: error: [[note]] quote 'listened' is in the article 1 time(s), "
                     "but not with prefix 'Lavrov ' — the text around it is '…spoke again. The talks Pompeo "
                     "[listened].…'; write prefix = \"Pompeo \""], found


def test_capitalised_names_without_an_annotation_are_a_to_do_list(make_site):
    root = make_site(SITE.replace("Pompeo listened.", "Pompeo listened to Sergei Ryabkov and Maria Zakharova. "
                                  "Sergei Ryabkov nodded. `Not Code` and [Link Text](#p1) and "
                                  "the Foreign Ministry of Russia agreed."))
    found = [p for p in problems_of(root) if "looks like a name" in p]
    assert found == [
        "content/sochi.md:8:20: warning: `Sergei Ryabkov` (2 times, ¶2) looks like a name but has no annotation — "
        "add it to an entity's aliases, or create one: gloss new person sergei-ryabkov --name 'Sergei Ryabkov'",
        "content/sochi.md:8:39: warning: `Maria Zakharova` (¶2) looks like a name but has no annotation — "
        "add it to an entity's aliases, or create one: gloss new person maria-zakharova --name 'Maria Zakharova'",
        "content/sochi.md:8:119: warning: `Foreign Ministry of Russia` (¶2) looks like a name but has no "
        "annotation — add it to an entity's aliases, or create one: gloss new institution "
        "foreign-ministry-of-russia --name 'Foreign Ministry of Russia'",
    ], found


def test_names_covered_by_an_alias_a_pin_a_note_or_a_ref_are_not_reported(make_site):
    root = make_site(SITE.replace("Pompeo listened.", "Foreign Minister Sergei Lavrov and the Black Sea Fleet "
                                  "and Deputy Minister Ryabkov and [[sochi|Sochi City Hall]] met.") + """
-- annotations/notes/sochi.toml --
[[note]]
exact = "Black Sea Fleet"
body = "Based in Sevastopol."
[[pin]]
exact = "Deputy Minister Ryabkov"
entity = "sergei-lavrov"
""")
    assert not [p for p in problems_of(root) if "looks like a name" in p]


def test_names_are_looked_for_in_the_running_text_only():
    """What markdown-it shows as code, a link's text, a [[reference]] or an image is blanked out, in place."""
    body = ("Sergei Lavrov met [Mike Pompeo](x.md) and `Wang Yi`.\n\n    Xi Jinping\n\n"
            "![Angela Merkel](m.png) [[ref|Boris Johnson]] **Emmanuel Macron**\n")
    text = prose(body)
    assert len(text) == len(body) and text.count("\n") == body.count("\n")
    assert "Sergei Lavrov met" in text and "Emmanuel Macron" in text
    for hidden in ("Mike Pompeo", "Wang Yi", "Xi Jinping", "Angela Merkel", "Boris Johnson", "x.md"):
        assert hidden not in text, hidden
    assert text.index("Emmanuel") == body.index("Emmanuel")


def test_links_are_checked_after_a_cached_build_too(make_site, capsys):
    """gloss build runs the link checks on every build, also when bodies and pages come from .gloss-cache/."""
    root = make_site(SITE.replace("Pompeo flew home.", "Pompeo flew home ([see](sochi.md#p2))."))
    assert main(["build", "--quiet", "--site", str(root)]) == 0
    (root / "content/sochi.md").write_text((root / "content/sochi.md").read_text().replace(
        "\n\n## The talks\n\nPompeo listened.", " Pompeo listened."))  # sochi.html loses its ¶ 2
    assert main(["build", "--quiet", "--site", str(root)]) == 1
    err = capsys.readouterr().err
    assert "content/later.md:4:25: error: link `sochi.md#p2`: no `#p2` in sochi.html" in err, err


def test_check_renders_every_page_and_reports_a_template_that_fails_on_some(make_site):
    root = make_site(SITE.replace('title = "Sochi"', 'title = "Sochi"') + """
-- site.toml --
title = "T"
theme = "mine"
-- themes/mine/templates/entity.html --
{% extends "base.html" %}
{% block main %}
{{ entity.name }}{% if entity.id == "sochi" %}{{ entity.no_such_field }}{% endif %}
{% endblock %}
""")
    found = problems_of(root)
    assert found == ["themes/mine/templates/entity.html:3: error: template failed: 'generator.model.Entity object' "
                     "has no attribute 'no_such_field' — fix the template or the value it uses"], found


def test_analyse_and_check_agree_on_errors(make_site):
    """gloss build's analysis (analyse) finds the same errors as gloss check, which only adds warnings and
    page rendering."""
    root = make_site(SITE.replace("Pompeo flew home.", "Pompeo flew home [x](#nope) [[nobody]]."))
    analysed = Problems()
    analyse(root / "site.toml", analysed)
    assert [str(p) for p in analysed.errors] == [str(p) for p in check(root / "site.toml").errors]
    assert len(analysed.errors) == 2


def test_json_output_is_one_document(make_site, capsys):
    root = make_site(SITE)
    assert main(["check", "--format", "json", "--site", str(root)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and captured.err == ""


def test_a_passage_that_starts_inside_a_mention_takes_in_all_of_it(built):
    """A note on "Lavrov met" (inside "Sergei Lavrov met") is neither dropped nor allowed to cut the mention."""
    output = built(SITE + """
-- annotations/notes/sochi.toml --
[[note]]
exact = "Lavrov met Mike"
body = "In Sochi."
""")
    html = (output / "sochi.html").read_text()
    passage = re.search(r'<span class="passage" id="pass(\d+)">(.*?)</span><a class="note-ref"', html)
    assert passage, html
    assert re.fullmatch(r'<a class="mention"[^>]*>Sergei Lavrov</a> met <a class="mention"[^>]*>Mike Pompeo</a>',
                        passage[2]), passage[2]
