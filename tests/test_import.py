"""gloss import, plain text: the seed golden file, paragraphs, titles, metadata, traps, and the command."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

import pytest

from generator.importer import CannotImport, import_article, import_command, render_article_file

# The seed as shared with the team, or the copy kept in tests/fixtures/seed/ when shared/ is not beside us.
_SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "edm-16-72-putin-lavrov-rebuff-pompeo.txt"
SEED = _SHARED_SEED if _SHARED_SEED.exists() else (Path(__file__).parent / "fixtures" / "seed" / _SHARED_SEED.name)
GOLDEN = Path(__file__).parent / "golden" / "seed-import.md"


def split_file(text: str) -> tuple[dict, str]:
    """The front matter (parsed) and body of an article file."""
    assert text.startswith("+++\n")
    toml_text, body = text[4:].split("\n+++\n", 1)
    return tomllib.loads(toml_text), body


def edition(folder: Path) -> Path:
    """Make `folder` an edition (gloss import refuses to write anywhere else) and return it."""
    (folder / "site.toml").touch()
    return folder


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


# The seed -----------------------------------------------------------------------------------------


def test_seed_matches_golden_file() -> None:
    """Regenerate with: GLOSS_REGEN=1 pytest tests/test_import.py"""
    text = render_article_file(import_article(SEED))
    if os.environ.get("GLOSS_REGEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_golden_seed_front_matter_and_body() -> None:
    front, body = split_file(GOLDEN.read_text(encoding="utf-8"))
    assert front == {"title": "Putin and Lavrov Rebuff Pompeo’s Overtures in Sochi",
                     "publication": "Eurasia Daily Monitor", "volume": 16, "issue": 72}
    assert body.startswith("\n::: figure\nUS Secretary of State Michael Pompeo (left) and Russian Foreign "
                           "Minister Sergei Lavrov (right) (Source: RIA Novosti)\n:::\n\nOn May 3, ")
    assert "‘Russian Hoax’ \\[sic\\],”" in body
    assert "Placeholder canvas" not in body
    assert body.count("\n\n") == 6  # the figure and six paragraphs, blank-line separated
    assert body.endswith("(see EDM, March 8, 15, 2018).\n")


def test_seed_reports_the_dropped_placeholder_and_its_slug(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert import_command(SEED, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 0
    written = tmp_path / "content" / "putin-and-lavrov-rebuff-pompeos-overtures-in-sochi.md"
    assert written.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert f"{SEED}:1: note: dropped “Placeholder canvas”" in err


# Plain-text shapes --------------------------------------------------------------------------------


def test_hard_wrapped_paragraphs_join_and_blank_lines_separate(tmp_path: Path) -> None:
    source = write(tmp_path, "a.txt", "A Title For The Piece\n\nFirst paragraph runs\nover two lines.\n\n"
                                      "Second one\nalso wraps,\nthrice.\n")
    article = import_article(source)
    assert article.front_matter == {"title": "A Title For The Piece"}
    assert article.body == "First paragraph runs over two lines.\n\nSecond one also wraps, thrice.\n"


def test_byline_and_date_lines_go_to_front_matter(tmp_path: Path) -> None:
    source = write(tmp_path, "a.txt", "Harvest Season Ends Early\n\nBy Anna Berg\n\nDate: May 16, 2019\n\n"
                                      "The harvest ended two weeks early this year, farmers said on Monday.\n")
    article = import_article(source)
    assert article.front_matter == {"title": "Harvest Season Ends Early", "author": "Anna Berg",
                                    "date": dt.date(2019, 5, 16)}
    assert article.body.startswith("The harvest ended")
    assert "date = 2019-05-16\n" in render_article_file(article)


def test_markdown_significant_text_is_escaped(tmp_path: Path) -> None:
    source = write(tmp_path, "a.txt", "Escapes\n\n1. Not a list, only a numbered sentence.\n\n"
                                      "# Not a heading either, just a hash sign at the start.\n\n"
                                      "A *starred* word, a_snake_name, _under_ [bracket](x) <tag> &amp; `tick`.\n")
    body = import_article(source).body
    assert body.split("\n\n") == [
        "1\\. Not a list, only a numbered sentence.",
        "\\# Not a heading either, just a hash sign at the start.",
        "A \\*starred\\* word, a_snake_name, \\_under\\_ \\[bracket\\](x) \\<tag> \\&amp; \\`tick\\`.\n",
    ]


def test_bom_crlf_no_final_newline_soft_hyphens_and_zero_width(tmp_path: Path) -> None:
    raw = ("\ufeffThe Ferry Timetable\r\n\r\nThe fer\u00adry leaves at noon;\u200b Lav\u200drov and "
           "Ka\u200cmal were\u2060 aboard.\r\nNobody knew.").encode()
    article = import_article(write(tmp_path, "a.txt", raw))
    assert article.front_matter["title"] == "The Ferry Timetable"
    assert article.body == "The ferry leaves at noon; Lavrov and Kamal were aboard. Nobody knew.\n"


def test_joiners_stay_where_a_script_spells_with_them(tmp_path: Path) -> None:
    persian = "می\u200cخواهم"  # ZWNJ between two Arabic-script letters is spelling, not residue
    article = import_article(write(tmp_path, "a.txt", f"Title Of It\n\n{persian} kept.\n"))
    assert persian in article.body


def test_utf16_with_bom_and_cp1252_and_nfc(tmp_path: Path) -> None:
    text = "Café Society\n\nThe cafe\u0301 opened – at last – in “spring”.\n"
    article = import_article(write(tmp_path, "u16.txt", text.encode("utf-16")))
    assert article.body == "The café opened – at last – in “spring”.\n"  # NFC-composed é
    latin = import_article(write(tmp_path, "cp.txt", "Caf\xe9 Society\n\nA na\xefve \x93quote\x94.\n".encode("latin-1")))
    assert latin.front_matter["title"] == "Café Society"
    assert latin.body == "A naïve “quote”.\n"


def test_cyrillic_in_cp1251_is_detected(tmp_path: Path) -> None:
    text = "Переговоры в Сочи\n\nМинистр иностранных дел встретился с коллегой в Сочи во вторник вечером.\n"
    article = import_article(write(tmp_path, "ru.txt", text.encode("cp1251")))
    assert article.front_matter["title"] == "Переговоры в Сочи"
    assert article.body == "Министр иностранных дел встретился с коллегой в Сочи во вторник вечером.\n"


def test_caption_in_the_body_becomes_a_figure(tmp_path: Path) -> None:
    source = write(tmp_path, "a.txt", "Title Here Now\n\nA first paragraph of the text, long enough to be text.\n\n"
                                      "The harbour at dawn (Photo: Port Authority)\n\nA last paragraph.\n")
    blocks = import_article(source).body.split("\n\n")
    assert blocks[1] == "::: figure\nThe harbour at dawn (Photo: Port Authority)\n:::"


def test_lists_and_section_headings(tmp_path: Path) -> None:
    paragraph = " ".join(["word"] * 30) + "."
    source = write(tmp_path, "a.txt", f"Title Here Now\n\n{paragraph}\n\nWhat Comes Next\n\n{paragraph}\n\n"
                                      "- apples\n- pears\n\n3. three\n4. four\n")
    blocks = import_article(source).body.rstrip("\n").split("\n\n")
    assert blocks[1] == "## What Comes Next"
    assert blocks[3] == "- apples\n- pears"
    assert blocks[4] == "3. three\n4. four"


def test_no_title_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    source = write(tmp_path, "a.txt", "Only a sentence of text that ends like a sentence does.\n")
    article = import_article(source)
    assert "title" not in article.front_matter
    assert any("no title" in note for note in article.warnings)


# Front matter -----------------------------------------------------------------------------------


def test_front_matter_is_valid_toml_with_escapes() -> None:
    from generator.importer import ImportedArticle

    front = {"title": 'Say "hi" \\ \t tab', "volume": 3, "date": dt.date(2020, 1, 2), "summary": "line\nbreak",
             "rights": "© 2020", "author": None}
    text = render_article_file(ImportedArticle(front, "Body.\n"))
    parsed, body = split_file(text)
    assert parsed == {"title": 'Say "hi" \\ \t tab', "volume": 3, "date": dt.date(2020, 1, 2),
                      "summary": "line\nbreak", "rights": "© 2020"}
    assert body == "\nBody.\n"
    assert text.index("title") < text.index("date") < text.index("volume") < text.index("summary")


# The command ------------------------------------------------------------------------------------


def article_file(tmp_path: Path) -> Path:
    return write(tmp_path, "in.txt", "Ports Reopen After Strike\n\nThe ports reopened on Tuesday.\n")


def test_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = article_file(tmp_path)
    target = tmp_path / "content" / "ports-reopen-after-strike.md"
    assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 0
    target.write_text("hand edits", encoding="utf-8")
    assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 1
    assert target.read_text(encoding="utf-8") == "hand edits"
    assert f"{target}:1: error: already exists — pass --force" in capsys.readouterr().err
    assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=True) == 0
    assert target.read_text(encoding="utf-8").startswith('+++\ntitle = "Ports Reopen After Strike"')


def test_stdout_prints_the_whole_file_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = article_file(tmp_path)
    assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=True, force=False) == 0
    out = capsys.readouterr().out
    assert out == '+++\ntitle = "Ports Reopen After Strike"\n+++\n\nThe ports reopened on Tuesday.\n'
    assert not (tmp_path / "content").exists()


def test_slug_option_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = article_file(tmp_path)
    assert import_command(source, site_dir=edition(tmp_path), slug="strike", to_stdout=False, force=False) == 0
    assert (tmp_path / "content" / "strike.md").is_file()
    assert import_command(source, site_dir=edition(tmp_path), slug="Not A Slug", to_stdout=False, force=False) == 1
    assert "is not a valid slug" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "title", "slug"), [
    ("aux.txt", "Встреча в Сочи", "aux-1"),  # a non-Latin title: the slug comes from the file name
    ("notes.txt", "Con", "con-1"),
    ("page.txt", "Index", "index-1"),
])
def test_the_default_slug_is_never_a_name_the_edition_cannot_use(tmp_path: Path, name: str, title: str,
                                                                  slug: str) -> None:
    """Not a Windows device name (con.md could not be checked out there), nor the home page's `index`."""
    source = write(tmp_path, name, f"{title}\n\nBy Jane Doe\n\nThe text of the article, long enough to read.\n")
    assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 0
    assert [p.name for p in (tmp_path / "content").glob("*.md")] == [f"{slug}.md"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("folder.txt", "dir", "this is a folder"),
        ("binary.txt", b"\x00\x01\x02\x03binary\x00\xff", "binary file"),
        ("doc.txt", b"%PDF-1.7\n...", "this is a PDF"),
        ("notes.md", "# Markdown", "cannot import a “.md” file"),
        ("blob.txt", bytes(range(1, 32)) * 20, "binary file"),
    ],
)
def test_errors_are_one_line_with_path_and_advice(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                                                   content: str | bytes | None, message: str) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        write(tmp_path, name, content)
    with pytest.raises(CannotImport) as raised:
        import_article(path)
    assert message in raised.value.message
    assert import_command(path, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:") and ": error: " in err and " — " in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_outside_an_edition_it_refuses_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = article_file(tmp_path)
    for site_dir in (tmp_path, tmp_path / "nowhere"):
        assert import_command(source, site_dir=site_dir, slug=None, to_stdout=False, force=False) == 1
        err = capsys.readouterr().err
        assert err == (f"{site_dir / 'site.toml'}: error: no site.toml here — run gloss import in an edition "
                       "folder, pass --site PATH/site.toml, start one with `gloss init DIR`, or use --stdout\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.txt"]


def test_a_different_image_under_the_same_name_is_not_overwritten(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    files = tmp_path / "page_files"
    files.mkdir()
    (files / "photo.png").write_bytes(b"new picture")
    source = write(tmp_path, "page.html", "<html><head><title>Harbour Photo Story</title></head><body><article>"
                   "<p>" + "Words of the article, enough of them to be its text. " * 4 + "</p>"
                   "<figure><img src='page_files/photo.png' alt='Harbour'><figcaption>The harbour.</figcaption></figure>"
                   "</article></body></html>")
    existing = tmp_path / "content" / "media" / "harbour-photo-story" / "photo.png"
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"someone else's picture")
    assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 1
    assert "a different image already has this name" in capsys.readouterr().err
    assert existing.read_bytes() == b"someone else's picture"
    assert not (tmp_path / "content" / "harbour-photo-story.md").exists()
    assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=True) == 0
    assert existing.read_bytes() == b"new picture"


def test_text_extension_and_labelled_author_line(tmp_path: Path) -> None:
    source = write(tmp_path, "a.text", "Grain Moves South\n\nAuthor: Ivan Petrov\n\nThe grain moved south.\n")
    article = import_article(source)
    assert article.front_matter == {"title": "Grain Moves South", "author": "Ivan Petrov"}


@pytest.mark.parametrize(("name", "content"), [("empty.txt", "\ufeff \n\n"), ("blank.html", "<html><body><nav>Menu</nav></body></html>")])
def test_nothing_to_import_is_an_error(tmp_path: Path, name: str, content: str) -> None:
    with pytest.raises(CannotImport) as raised:
        import_article(write(tmp_path, name, content))
    assert "empty" in raised.value.message or "no article text" in raised.value.message


# Plain text: titles, bylines and dates typed without blank lines; one paragraph a line ------------


def test_title_byline_and_date_lines_without_blank_lines(tmp_path: Path) -> None:
    source = write(tmp_path, "a.txt", "The Archive Reopens\nBy Jane Historian\n29 May 2023\n"
                                      "The county archive reopened on Monday after two years of repairs.\n")
    article = import_article(source)
    assert article.front_matter == {"title": "The Archive Reopens", "author": "Jane Historian",
                                    "date": dt.date(2023, 5, 29)}
    assert article.body == "The county archive reopened on Monday after two years of repairs.\n"
    assert article.warnings == []


@pytest.mark.parametrize(("text", "why"), [
    ("Features\n\nThe county archive reopened on Monday after two years of repairs.\n", "a single word"),
    ("Archive News\n\nThe county archive reopened on Monday.\n\nArchive News\n\nMore text follows here.\n",
     "comes again further down"),
])
def test_a_doubtful_title_line_is_named_in_a_warning(tmp_path: Path, text: str, why: str) -> None:
    article = import_article(write(tmp_path, "a.txt", text))
    title = text.split("\n")[0]
    assert article.front_matter["title"] == title
    assert len(article.warnings) == 1
    assert article.warnings[0].startswith(f"1: warning: took “{title}” as the title, but ") and why in article.warnings[0]


def test_one_paragraph_a_line_makes_one_paragraph_per_line(tmp_path: Path) -> None:
    lines = [f"Paragraph {n} says one thing and ends with a full stop." for n in range(5)]
    article = import_article(write(tmp_path, "a.txt", "Lines Of Text\n\n" + "\n".join(lines) + "\n"))
    assert article.body == "\n\n".join(lines) + "\n"


def test_hard_wrapped_text_still_joins(tmp_path: Path) -> None:
    text = ("Wrapped Text\n\nThe ferry left the harbour at noon, as it had done every day\nfor forty years, "
            "and the town watched it go. Nobody on\nthe quay said a word about the strike.\n")
    assert import_article(write(tmp_path, "a.txt", text)).body.count("\n\n") == 0


# Bounded cost (#21): linear in the input, a 10 MiB limit, a nesting limit ------------------------


def test_one_paragraph_a_line_imports_in_linear_time(tmp_path: Path) -> None:
    """Was quadratic (250 KB: 10 s; 1 MB unfinished after 170 s). Four times the text must cost about four
    times the CPU, not sixteen: a ratio of CPU times taken in the same test, so neither the machine's speed
    nor its load (the CPU time is this process's own) decides it. make bench-import prints the figures."""
    import time

    line = "Each line of this text is a paragraph of its own, and it ends as a sentence does."

    def cost(size: int) -> float:
        source = write(tmp_path, f"big{size}.txt", "A Long Text\n\n" + "\n".join([line] * (size // len(line))))
        best = float("inf")
        for _ in range(3):  # the least of three: a pause of the process adds, it never subtracts
            started = time.process_time()
            article = import_article(source)
            best = min(best, time.process_time() - started)
            if best > 1:  # (far slower than linear: once is enough to fail)
                break
        assert article.body.count("\n\n") == size // len(line) - 1
        return best

    small, large = cost(200_000), cost(800_000)
    assert large < 8 * max(small, 0.005), f"4x the text took {large / small:.1f}x the CPU ({small:.3f} s, {large:.3f} s)"


def test_an_endless_device_is_refused_at_ten_mebibytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    assert import_command(zero, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 1
    assert capsys.readouterr().err == (f"{zero}:1: error: the file is larger than 10 MiB — an article is far "
                                       "smaller; check that this is the right file\n")
    assert not (tmp_path / "content").exists()


def test_html_nested_five_thousand_deep_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path, "deep.html", "<html><head><title>Deep</title></head><body>\n"
                   + "<div>" * 5000 + "text " * 50 + "</div>" * 5000)
    assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{source}:2: error: the page nests elements more than 256 deep — ")
    assert "Traceback" not in err and "RecursionError" not in err


# Front matter written by a TOML library; files as the user's own -----------------------------------


@pytest.mark.parametrize("title", ['Joe "JJ" Smith', "C:\\temp\\new", "two\nlines", "Путин и Лавров", "李白",
                                   "tab\there ' and \\\" both", "trailing backslash \\"])
def test_front_matter_round_trips_any_title(tmp_path: Path, title: str) -> None:
    from generator.importer import ImportedArticle

    text = render_article_file(ImportedArticle({"title": title, "author": ["A \"B\"", "Ñ"]}, "Body.\n"))
    assert split_file(text)[0] == {"title": title, "author": ["A \"B\"", "Ñ"]}


def test_written_file_has_the_users_permissions_and_warnings_name_it(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path, "in.txt", "Features\n\nThe county archive reopened on Monday.\n")
    old = os.umask(0o022)
    try:
        assert import_command(source, site_dir=edition(tmp_path), slug=None, to_stdout=False, force=False) == 0
    finally:
        os.umask(old)
    target = tmp_path / "content" / "features.md"
    assert target.stat().st_mode & 0o777 == 0o644
    err = capsys.readouterr().err
    assert f"{target}:2: warning: took “Features” as the title, but it is a single word" in err
    assert f"(from line 1 of {source.name})" in err
