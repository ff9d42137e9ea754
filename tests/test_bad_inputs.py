"""A table of bad inputs: each is one small edit to a good edition, and `gloss check` must name the problem
at its path:line(:col) with what to do, exit 1 on errors (0 when only warned), and never a traceback;
`gloss build` must stop on the same errors and leave the previous build as it was."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.cli import main

GOOD = {
    "site.toml": 'title = "Bad inputs"\n',
    "content/sochi.md": (
        '+++\ntitle = "Talks in Sochi"\nsource = "https://example.org/sochi"\n+++\n'
        "Sergei Lavrov met Mike Pompeo in Sochi. Lavrov spoke first.\n"
        "\n"
        "![The talks](media/talks.png)\n"
        "\n"
        "See [the next article](later.md#p1).\n"
    ),
    "content/later.md": '+++\ntitle = "Later"\n+++\nPompeo flew home. Nobody was silent.\n',
    "content/media/talks.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    "annotations/people/sergei-lavrov.md": '+++\nname = "Sergei Lavrov"\naliases = ["Lavrov"]\n+++\nRussia\'s foreign minister.\n',
    "annotations/people/mike-pompeo.md": '+++\nname = "Mike Pompeo"\naliases = ["Pompeo"]\n+++\nThe secretary of state.\n',
    "annotations/places/sochi.md": '+++\nname = "Sochi"\n+++\nA city on the Black Sea; see [[sergei-lavrov]].\n',
    "annotations/notes/sochi.toml": '[[note]]\nexact = "spoke first"\nbody = "As hosts do."\n',
}
LAVROV = "annotations/people/sergei-lavrov.md"
SOCHI = "content/sochi.md"
NOTES = "annotations/notes/sochi.toml"


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes | None]  # None deletes; "<folder>" makes a folder
    where: str  # path:line:col as reported ("" when the path alone)
    message: str
    severity: str = "error"
    extra: dict = field(default_factory=dict)


def article(body: str, front: str = 'title = "Talks in Sochi"\n') -> str:
    """content/sochi.md with this text after the paragraph the notes file quotes (so the body starts on line 6)."""
    return f"+++\n{front}+++\nLavrov spoke first in Sochi.\n\n{body}"


def lavrov(front: str, gloss: str = "Russia's foreign minister.\n") -> str:
    return f"+++\n{front}+++\n{gloss}"


BIG = 50 * 1024 * 1024

CASES = [
    # TOML syntax, at its real line in the file (front matter starts on line 2)
    Case("toml-syntax-in-front-matter", {LAVROV: lavrov('name = "Sergei Lavrov"\naliases = [Lavrov]\n')},
         f"{LAVROV}:3:12", "TOML syntax"),
    Case("toml-syntax-crlf", {LAVROV: lavrov('name = "Sergei Lavrov"\nrole = oops\n').replace("\n", "\r\n")},
         f"{LAVROV}:3:8", "TOML syntax"),
    Case("toml-syntax-in-notes", {NOTES: '[[note]]\nexact = "spoke first"\nbody = "unclosed\n'},
         f"{NOTES}:3:17", "TOML syntax"),
    Case("toml-syntax-in-site", {"site.toml": 'title = "Bad inputs"\nnotes = first\n'}, "site.toml:2:9", "TOML syntax"),
    # fields and names
    Case("missing-name", {LAVROV: lavrov('aliases = ["Lavrov"]\n')}, f"{LAVROV}:2", "has no `name`"),
    Case("misspelled-field", {LAVROV: lavrov('name = "Sergei Lavrov"\naliasses = ["Lavrov"]\n')},
         f"{LAVROV}:3", "unknown field `aliasses`", "warning"),
    Case("misspelled-front-matter", {SOCHI: article("Lavrov.\n", 'title = "T"\nathor = "X"\n')},
         f"{SOCHI}:3", "did you mean `author`?", "warning"),
    Case("misspelled-kind-folder", {"annotations/peopel/x.md": lavrov('name = "Xavier Example"\n')},
         "annotations/peopel", "did you mean `people/`?"),
    Case("misspelled-setting", {"site.toml": 'title = "Bad inputs"\ntheem = "default"\n'},
         "site.toml:2", "did you mean `theme`?", "warning"),
    Case("misspelled-kind-name", {"site.toml": 'title = "B"\n[kinds.persn]\nfolder = "persons"\n[kinds.place]\n'},
         "site.toml:2", "did you mean [kinds.person]?", "warning"),
    Case("duplicate-id", {"annotations/places/sergei-lavrov.md": lavrov('name = "Lavrov Town"\n')},
         "annotations/places/sergei-lavrov.md", "duplicate id `sergei-lavrov`: also annotations/people/sergei-lavrov.md"),
    # references, aliases, quotes
    Case("unknown-ref", {"annotations/places/sochi.md": '+++\nname = "Sochi"\n+++\nSee [[sergei-lavrv]].\n'},
         "annotations/places/sochi.md:4", "did you mean `sergei-lavrov`?"),
    Case("ambiguous-alias", {"annotations/places/lavrov-street.md": lavrov('name = "Lavrov Street"\naliases = ["Lavrov"]\n')},
         f"{SOCHI}:5", "`lavrov-street` (annotations/places/lavrov-street.md) and `sergei-lavrov` "
         "(annotations/people/sergei-lavrov.md)"),
    Case("ambiguous-alias-pinned-everywhere", {
        "annotations/places/lavrov-street.md": lavrov('name = "Lavrov Street"\naliases = ["Lavrov"]\n'),
        NOTES: GOOD[NOTES] + '[[pin]]\nexact = "Lavrov"\nsuffix = " spoke"\nentity = "sergei-lavrov"\n'},
         "annotations/places/lavrov-street.md:2", "`Lavrov Street` is never mentioned", "warning"),
    Case("quote-not-found", {NOTES: '[[note]]\nexact = "spoke frist"\nbody = "x"\n'},
         f"{NOTES}:1", "the closest text in the article is 'spoke first'"),
    Case("quote-ambiguous", {NOTES: '[[note]]\nexact = "Lavrov"\nbody = "x"\n'},
         f"{NOTES}:1", 'is found 2 times'),
    Case("notes-on-the-same-words", {NOTES: GOOD[NOTES] + '[[note]]\nexact = "first"\nbody = "Again."\n'},
         f"{NOTES}:4", "this [[note]]'s passage overlaps the passage of another note"),
    Case("pin-unknown-entity", {NOTES: '[[pin]]\nexact = "Sochi"\nentity = "soch"\n'},
         f"{NOTES}:1", "did you mean `sochi`?"),
    Case("skip-matches-nothing", {NOTES: '[[skip]]\nexact = "spoke"\n'},
         f"{NOTES}:1", "changes no mention", "warning"),
    Case("never-mentioned", {"annotations/places/yalta.md": lavrov('name = "Yalta"\n')},
         "annotations/places/yalta.md:2", "`Yalta` is never mentioned", "warning"),
    Case("unannotated-name", {SOCHI: article("Lavrov met Sergei Ryabkov in Sochi. Ryabkov spoke.\n")},
         f"{SOCHI}:6:12", "`Sergei Ryabkov` (2 times, ¶2) looks like a name but has no annotation", "warning"),
    # links and anchors
    Case("link-to-missing-article", {SOCHI: article("Lavrov, see [this](other.md#p9).\n")},
         f"{SOCHI}:6:20", "there is no article content/other.md"),
    Case("link-to-missing-anchor", {SOCHI: article("Lavrov, see [this](#nope).\n")},
         f"{SOCHI}:6:20", "no `#nope` in sochi.html"),
    Case("anchor-in-other-article", {SOCHI: article("Lavrov, see [this](later.md#p9).\n")},
         f"{SOCHI}:6:20", "no `#p9` in later.html"),
    Case("missing-image", {SOCHI: article("Lavrov.\n\n![x](media/missing.png)\n")},
         f"{SOCHI}:8:6", "there is no file content/media/missing.png"),
    Case("gloss-link-not-relative-to-its-page", {"annotations/places/sochi.md": '+++\nname = "Sochi"\n+++\n![map](media/talks.png)\n'},
         "annotations/places/sochi.md:4:8", "did you mean `../media/talks.png`?"),
    Case("link-to-a-folder", {SOCHI: article("Lavrov and [everyone](people/).\n")},
         f"{SOCHI}:6:23", "points at a folder"),
    # files that are not what they should be
    Case("invalid-utf8-in-site-toml", {"site.toml": b'title = "Bad inputs"\nauthor = "\xe9dition"\n'},
         "site.toml:2:11", "not valid UTF-8 (byte 0xe9)"),
    Case("invalid-utf8", {SOCHI: b'+++\ntitle = "T"\n+++\nLavrov \xff\xfe met.\n'}, f"{SOCHI}:4:8", "not valid UTF-8"),
    Case("folder-for-article", {"content/extra.md": "<folder>"}, "content/extra.md", "a folder where a article should be"),
    Case("binary-for-annotation", {"annotations/places/blob.md": b"\x00\x01\x02\x03PK"},
         "annotations/places/blob.md", "a binary file where a text annotation should be"),
    Case("empty-article", {"content/empty.md": ""}, "content/empty.md:1", "no front matter"),
    Case("empty-annotation", {"annotations/places/empty.md": ""}, "annotations/places/empty.md:1", "no front matter"),
    Case("empty-site-toml", {"site.toml": ""}, "site.toml", "`title` is required"),
    Case("empty-notes-file", {NOTES: ""}, "", "", "clean"),
    Case("bom", {SOCHI: "\ufeff" + GOOD[SOCHI], LAVROV: "\ufeff" + GOOD[LAVROV]}, "", "", "clean",
         extra={"page": ("sochi.html", "<h1>Talks in Sochi</h1>")}),
    Case("crlf", {SOCHI: GOOD[SOCHI].replace("\n", "\r\n"), NOTES: GOOD[NOTES].replace("\n", "\r\n")}, "", "", "clean",
         extra={"page": ("sochi.html", 'data-note="pn')}),
    Case("crlf-keeps-lines", {SOCHI: GOOD[SOCHI].replace("\n", "\r\n").replace("later.md#p1", "later.md#p7")},
         f"{SOCHI}:9:24", "no `#p7` in later.html"),
    Case("50-mb-article", {"content/huge.md": None}, "content/huge.md", "over the 10 MiB limit",
         extra={"huge": "content/huge.md"}),
    Case("no-front-matter", {SOCHI: "Lavrov met Pompeo.\n"}, f"{SOCHI}:1", "no front matter"),
    Case("yaml-front-matter", {SOCHI: "---\ntitle: T\n---\nLavrov.\n"}, f"{SOCHI}:1", "looks like YAML front matter"),
    Case("front-matter-not-closed", {SOCHI: '+++\ntitle = "T"\nLavrov.\n'}, f"{SOCHI}:1", "front matter is not closed"),
    # aliases and ids
    Case("empty-alias", {LAVROV: lavrov('name = "Sergei Lavrov"\naliases = ["Lavrov", ""]\n')},
         f"{LAVROV}:3", "alias '' is too short"),
    Case("single-letter-alias", {LAVROV: lavrov('name = "Sergei Lavrov"\naliases = ["Lavrov", "L"]\n')},
         f"{LAVROV}:3", "alias 'L' is too short"),
    Case("id-with-spaces", {"annotations/people/sergei lavrov.md": lavrov('name = "S. L."\n')},
         "annotations/people/sergei lavrov.md", "entity id `sergei lavrov` (the file name) is not valid"),
    Case("ref-with-dot-dot", {"annotations/places/sochi.md": '+++\nname = "Sochi"\n+++\nSee [[../../etc/passwd]].\n'},
         "annotations/places/sochi.md:4:5", "[[../../etc/passwd]] refers to an unknown entity"),
    Case("kind-folder-with-dot-dot", {"site.toml": 'title = "B"\n[kinds.person]\nfolder = "../outside"\n'},
         "site.toml:2", "folder `../outside` is not usable"),
    Case("article-named-index", {"content/index.md": article("Lavrov.\n")}, "content/index.md",
         "index.html is the edition's home page"),
    Case("unknown-related", {LAVROV: lavrov('name = "Sergei Lavrov"\naliases = ["Lavrov"]\nrelated = ["mike-pompeo", "vladimir-putin"]\n')},
         f"{LAVROV}:4", "related id `vladimir-putin` is unknown"),
    Case("bad-date", {LAVROV: lavrov('name = "Sergei Lavrov"\naliases = ["Lavrov"]\nborn = "1950-13"\n')},
         f"{LAVROV}:4", "`born` is not a date"),
    Case("script-source-url", {SOCHI: article("Lavrov.\n", 'title = "T"\nsource = "javascript:alert(1)"\n')},
         f"{SOCHI}:3", "`source` must be a web address"),
    Case("data-url-in-sources", {LAVROV: lavrov('name = "Sergei Lavrov"\naliases = ["Lavrov"]\n'
                                                'sources = [{ title = "x", url = "data:text/html,<script>1</script>" }]\n')},
         f"{LAVROV}:4", "a source's url must be a web address"),
    # themes and site.toml
    Case("template-raises", {"site.toml": 'title = "B"\ntheme = "mine"\n',
                             "themes/mine/templates/home.html": '{% extends "base.html" %}\n{% block main %}\n{{ 1 / 0 }}\n{% endblock %}\n'},
         "themes/mine/templates/home.html:3", "template failed: ZeroDivisionError"),
    Case("template-syntax", {"site.toml": 'title = "B"\ntheme = "mine"\n',
                             "themes/mine/templates/entity.html": '{% extends "base.html" %}\n{% block main %}{% if %}{% endblock %}\n'},
         "themes/mine/templates/entity.html:2", "template syntax"),
    Case("missing-theme", {"site.toml": 'title = "B"\ntheme = "nope"\n'}, "site.toml", "theme `nope` not found"),
    Case("missing-site-toml", {"site.toml": None}, "site.toml", "no site.toml here"),
    Case("site-toml-is-a-folder", {"site.toml": None, "site.toml/x": "y"}, "site.toml", "site.toml is a folder"),
]


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    for name, content in files.items():
        path = root / name
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "<folder>":
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))  # as written: CRLF and BOM kept


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    """The good edition, built once: every case starts from a copy of it and of its build."""
    root = tmp_path_factory.mktemp("good") / "site"
    write_files(root, GOOD)
    assert main(["build", "--site", str(root), "--quiet"]) == 0
    return root


def test_the_good_edition_is_clean(good_site, capsys):
    assert main(["check", "--strict", "--site", str(good_site)]) == 0
    assert capsys.readouterr().err.strip() == "0 errors, 0 warnings"


def bytes_read() -> int:
    """Bytes this process has read through read() and friends so far (Linux's /proc/self/io rchar)."""
    return int(re.search(r"^rchar: (\d+)$", Path("/proc/self/io").read_text(), re.M).group(1))


def test_the_table_has_enough_cases():
    assert len(CASES) >= 30 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, good_site: Path, tmp_path: Path, capsys) -> None:
    root = tmp_path / "site"
    shutil.copytree(good_site, root, symlinks=True)
    before = snapshot(root / "build")
    write_files(root, case.files)
    if "huge" in case.extra:  # 50 MB of ordinary text: refused by its size, quickly, without reading it
        with open(root / case.extra["huge"], "wb") as handle:
            handle.write(b'+++\ntitle = "Huge"\n+++\n')
            line = b"Lavrov met Pompeo in Sochi and they talked for a long time about many things.\n"
            handle.write(line * (BIG // len(line) + 1))
    read_before = bytes_read()
    code = main(["check", "--site", str(root)])
    read = bytes_read() - read_before
    report = capsys.readouterr().err
    assert "Traceback" not in report
    if case.severity == "clean":
        assert code == 0, report
        assert " error" not in report.replace("0 errors", ""), report
    else:
        assert code == (1 if case.severity == "error" else 0), report
        where = re.escape(case.where) + (r"(:\d+)*" if case.where.count(":") < 2 else "")
        pattern = rf"(^|/){where}: {case.severity}: .*{re.escape(case.message)}"
        assert re.search(pattern, report, re.M), f"wanted {case.where}: {case.severity}: …{case.message}…\n{report}"
        assert all(re.match(r"^\S.*?(:\d+){0,2}: (error|warning): .+", line)
                   for line in report.splitlines()[:-1]), report
    if "huge" in case.extra:
        # Refused by its size, not by reading it (a count of bytes read, which no load on the machine changes).
        assert read < BIG // 10, f"gloss check read {read:,} bytes to refuse a {BIG:,}-byte article"
    # gloss build stops on the same errors, and the last good build is left as it was
    code = main(["build", "--site", str(root), "--quiet"])
    built = capsys.readouterr()
    assert "Traceback" not in built.err
    if case.severity == "error":
        assert code == 1, built.err
        assert "the previous build was left as it was" in built.err
        assert snapshot(root / "build") == before
        assert not list(root.glob(".build.*")), "a temporary folder was left behind"
    else:
        assert code == 0, built.err
    if "page" in case.extra:
        name, text = case.extra["page"]
        html = (root / "build" / name).read_text(encoding="utf-8")
        assert text in html and "\ufeff" not in html and "\r" not in html


def test_check_json_lists_every_problem_with_its_place(good_site, tmp_path, capsys):
    root = tmp_path / "site"
    shutil.copytree(good_site, root)
    write_files(root, {SOCHI: article("Lavrov, see [this](#nope) and [[nobody]].\n"),
                       LAVROV: lavrov('name = "Sergei Lavrov"\naliases = ["Lavrov"]\nrank = 1\n')})
    assert main(["check", "--format", "json", "--site", str(root)]) == 1
    import json

    found = json.loads(capsys.readouterr().out)
    assert {(p["path"], p["line"], p["severity"]) for p in found} >= {
        (SOCHI, 6, "error"), (LAVROV, 4, "warning")}
    assert all(set(p) == {"path", "line", "col", "severity", "message", "fix"} for p in found)
    assert any(p["col"] == 20 and "#nope" in p["message"] for p in found)


def test_strict_fails_on_warnings_and_usage_mistakes_exit_2(good_site, tmp_path, capsys):
    root = tmp_path / "site"
    shutil.copytree(good_site, root)
    write_files(root, {"annotations/places/yalta.md": lavrov('name = "Yalta"\n')})
    assert main(["check", "--site", str(root)]) == 0
    assert main(["check", "--strict", "--site", str(root)]) == 1
    with pytest.raises(SystemExit) as usage:
        main(["check", "--format", "xml", "--site", str(root)])
    assert usage.value.code == 2
