"""The editor's loop around `gloss names`: warnings that prevent silent damage, follow-on messages tied to their
root, exact places, clean exits outside an edition and for command-line mistakes, and `gloss rename`."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from generator.build import build
from generator.check import check
from generator.cli import main


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check(root / "site.toml").sorted()]


BASE = {
    "site.toml": 'title = "T"\n',
    "content/a.md": '+++\ntitle = "A"\n+++\nRobert Hooke and Robert Boyle met the Society.\n',
    "annotations/people/robert-hooke.md": '+++\nname = "Robert Hooke"\naliases = ["Hooke"]\nsummary = "A '
                                          'scientist."\nrelated = ["robert-boyle"]\n+++\nHe worked with '
                                          '[[robert-boyle]].\n',
    "annotations/people/robert-boyle.md": '+++\nname = "Robert Boyle"\naliases = ["Boyle"]\nsummary = "A chemist."\n'
                                          '+++\nA chemist; see [[robert-hooke|Hooke]].\n',
    "annotations/institutions/royal-society.md": '+++\nname = "Royal Society"\naliases = ["the Society"]\n'
                                                 'summary = "A society."\n+++\nFounded in 1660.\n',
}


def test_an_alias_that_is_a_common_word_is_a_warning(make_site):
    root = make_site({**BASE, "annotations/places/air.md": '+++\nname = "Air Force Base"\naliases = ["the", "air"]\n'
                                                           'summary = "A base."\n+++\nA base.\n'})
    found = [p for p in problems_of(root) if "common word" in p]
    assert found == [
        'annotations/places/air.md:3: warning: alias "air" is a common word: it marks every "air" in every article '
        "as `Air Force Base` — remove it, or pin the mentions you mean with [[pin]]",
        'annotations/places/air.md:3: warning: alias "the" is a common word: it marks every "the" in every article '
        "as `Air Force Base` — remove it, or pin the mentions you mean with [[pin]]"], found
    assert main(["check", "--strict", "--site", str(root)]) == 1


def test_an_alias_that_matches_far_more_often_than_the_others_is_a_warning(make_site):
    files = {**BASE, "annotations/institutions/bank.md": '+++\nname = "Bank of Mars"\naliases = ["The bank"]\n'
                                                          'summary = "A bank."\n+++\nA bank.\n'}
    for n in range(5):
        files[f"content/b{n}.md"] = f'+++\ntitle = "B{n}"\n+++\n' + ("Bank of Mars. " if n == 0 else "") \
            + "The bank said so. " * 3 + "\n"
    root = make_site(files)
    found = [p for p in problems_of(root) if "matches 15 times" in p]
    assert found == ['annotations/institutions/bank.md:3: warning: alias "The bank" matches 15 times, 1 for '
                     "`Bank of Mars`'s other names — 12 of them in articles where no other name of it appears — check "
                     "that those mentions mean it; if not, remove the alias or mark them with [[skip]]"], found


def test_an_unfilled_scaffold_is_a_warning_and_fails_strict(make_site, capsys):
    root = make_site(BASE)
    assert main(["new", "person", "christopher-wren", "--site", str(root)]) == 0
    (root / "content/a.md").write_text('+++\ntitle = "A"\n+++\nRobert Hooke and Christopher Wren met.\n')
    found = [p for p in problems_of(root) if "christopher-wren" in p]
    assert "annotations/people/christopher-wren.md:5: warning: `Christopher Wren` has no summary — write one line: " \
           "what a reader needs to know first (it shows in the hover note)" in found, found
    assert any("`Christopher Wren`'s gloss is still the scaffold's \"Christopher Wren is …\"" in p for p in found)
    capsys.readouterr()
    assert main(["check", "--site", str(root)]) == 0
    assert main(["check", "--strict", "--site", str(root)]) == 1


def test_follow_on_messages_name_their_root(make_site):
    root = make_site({**BASE, "annotations/people/robert-boyle.md": '+++\naliases = ["Boyle"]\n+++\nNo name.\n'})
    found = problems_of(root)
    assert any("related id `robert-boyle` is unknown because annotations/people/robert-boyle.md failed to load"
               in p for p in found), found
    assert any("[[robert-boyle]] refers to an unknown entity — it is unknown because "
               "annotations/people/robert-boyle.md failed to load" in p for p in found), found
    assert not any("did you mean `robert-hooke`" in p for p in found), found


def test_an_article_that_fails_to_load_does_not_make_every_entity_unmentioned(make_site):
    root = make_site({**BASE, "content/a.md": "no front matter at all\n"})
    found = problems_of(root)
    assert any(p.startswith("content/a.md:1: error") for p in found), found
    assert not any("never mentioned" in p for p in found), found


def test_an_unknown_ref_is_reported_at_its_line_and_column(make_site):
    root = make_site({**BASE, "content/a.md": '+++\ntitle = "A"\n+++\nRobert Hooke spoke.\n\nA paragraph\nof '
                      'three lines,\nand here: [[nope]] and [[robert-hooke]].\n',
                      "annotations/people/robert-boyle.md": '+++\nname = "Robert Boyle"\nsummary = "A chemist."\n'
                      '+++\nA chemist.\n\nSecond paragraph,\nsee [[nope2|him]].\n'})
    found = [p for p in problems_of(root) if "unknown entity" in p]
    assert any(p.startswith("content/a.md:8:11: error: [[nope]] refers to an unknown entity") for p in found), found
    assert any(p.startswith("annotations/people/robert-boyle.md:8:5: error: [[nope2]]") for p in found), found


def test_commands_outside_an_edition_refuse_and_write_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["build"], ["check"], ["names"], ["new", "person", "x"], ["rename", "a", "b"],
                    ["handout", "a"]):
        assert main(command) == 1, command
        assert "no site.toml here" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_command_line_mistakes_exit_2(make_site, capsys):
    root = make_site(BASE)
    assert main(["build", "--base-url", "ftp:/nope", "--site", str(root)]) == 2
    assert "--base-url" in capsys.readouterr().err
    assert main(["new", "animal", "y", "--site", str(root)]) == 2
    assert main(["new", "person", "Bad Id", "--site", str(root)]) == 2
    assert main(["rename", "robert-hooke", "Bad Id", "--site", str(root)]) == 2
    assert not (root / "build").exists()


def test_build_messages_are_relative_to_the_edition(make_site, capsys, monkeypatch, tmp_path):
    root = make_site({**BASE, "content/a.md": '+++\ntitle = "A"\n+++\nSee [[nope]].\n'})
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--site", str(root)]) == 1
    err = capsys.readouterr().err
    assert "\ncontent/a.md:4:5: error: [[nope]]" in "\n" + err, err
    assert str(root) not in err.split("Build failed")[0]


def test_fold_accents_links_a_name_written_without_its_accents(make_site):
    files = {**BASE, "site.toml": 'title = "T"\nfold_accents = true\n',
             "content/a.md": '+++\ntitle = "A"\n+++\nAbdullah Ocalan wrote; Öcalan’s lawyers too.\n',
             "annotations/people/abdullah-ocalan.md": '+++\nname = "Abdullah Öcalan"\naliases = ["Öcalan"]\n'
                                                      'summary = "A founder."\n+++\nThe founder.\n'}
    html = (build(make_site(files) / "site.toml").output / "a.html").read_text(encoding="utf-8")
    assert html.count('href="people/abdullah-ocalan.html"') >= 2
    files["site.toml"] = 'title = "T"\n'
    html = (build(make_site(files, "plain") / "site.toml").output / "a.html").read_text(encoding="utf-8")
    assert ">Abdullah Ocalan<" not in html


def test_the_society_is_linked_where_a_sentence_opens(built):
    html = (built(BASE | {"content/a.md": '+++\ntitle = "A"\n+++\nRobert Hooke spoke. The Society’s curator '
                                          'listened.\n'}) / "a.html").read_text(encoding="utf-8")
    assert 'href="institutions/royal-society.html"' in html and ">The Society</a>" in html


# ------------------------------------------------------------------------------------------------ rename


RENAME = {
    **BASE,
    "content/a.md": '+++\ntitle = "A"\n+++\nRobert Hooke met [[robert-boyle]] and [[robert-boyle|Boyle]].\n',
    "annotations/notes/a.toml": '# notes for a\n[[pin]]\nexact = "Robert Hooke"\nentity = "robert-boyle"\n\n[[note]]\n'
                                'exact = "met"\nbody = "See [[robert-boyle]]."\n',
}


def test_rename_rewrites_every_reference_atomically(make_site, capsys):
    root = make_site(RENAME)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert main(["rename", "robert-boyle", "boyle", "--dry-run", "--site", str(root)]) == 0
    out = capsys.readouterr().out
    assert "-Robert Hooke met [[robert-boyle]] and [[robert-boyle|Boyle]]." in out
    assert "+Robert Hooke met [[boyle]] and [[boyle|Boyle]]." in out
    assert "rename annotations/people/robert-boyle.md → annotations/people/boyle.md" in out and "would change 4 files; nothing was written" in out
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    assert main(["rename", "robert-boyle", "boyle", "--site", str(root)]) == 0
    assert not (root / "annotations/people/robert-boyle.md").exists()
    assert (root / "annotations/people/boyle.md").read_text().startswith('+++\nname = "Robert Boyle"')
    hooke = (root / "annotations/people/robert-hooke.md").read_text()
    assert 'related = ["boyle"]' in hooke and "[[boyle]]" in hooke
    notes = (root / "annotations/notes/a.toml").read_text()
    assert notes.startswith("# notes for a\n") and tomllib.loads(notes)["pin"][0]["entity"] == "boyle"
    assert tomllib.loads(notes)["note"][0]["body"] == "See [[boyle]]."
    assert not [p for p in problems_of(root) if "error" in p]
    assert not list(root.rglob("*.gloss-rename"))


def test_rename_refuses_an_existing_or_unknown_id(make_site, capsys):
    root = make_site(RENAME)
    assert main(["rename", "robert-boyle", "robert-hooke", "--site", str(root)]) == 1
    assert "`robert-hooke` exists already" in capsys.readouterr().err
    assert main(["rename", "nobody", "x", "--site", str(root)]) == 1
    assert "there is no entity `nobody`" in capsys.readouterr().err


def test_rename_puts_everything_back_when_a_move_fails(make_site, monkeypatch):
    from generator.editor import rename

    root = make_site(RENAME)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(rename.os, "replace", failing)
    assert main(["rename", "robert-boyle", "boyle", "--site", str(root)]) == 1  # "disk full (nothing was changed)"
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
