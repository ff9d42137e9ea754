"""Classroom handouts (issue 6, point 3): printing an article page, and `gloss handout` — one self-contained
file that works from an e-mail attachment, and a PDF through headless Chromium checked with pdftotext."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from classroom_site import PARTS, make_course

from generator.build import build
from generator.cli import main
from generator.handout import MIN_FILL, HandoutOptions, deterministic_pdf, handout_command

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = "putin-and-lavrov-rebuff-pompeos-overtures-in-sochi"

SITE = """
-- site.toml --
title = "Handout test edition"
author = "Ms Rivera"
base_url = "https://example.org/ed/"
-- content/sochi.md --
+++
title = "Talks in Sochi"
publication = "Daily Monitor"
volume = 16
issue = 72
date = 2019-05-16
author = "A. Writer"
source = "https://example.org/original"
+++
## The visit

Sergei Lavrov met Mike Pompeo in Sochi. The [full transcript](https://example.org/transcript) is online.

> Lavrov said: “We talk politely because we are polite people.”

::: figure
![A map of Sochi](media/map.png)

Sochi, on the Black Sea.
:::

Pompeo left Sochi the next day; Лавров stayed and spoke to Ελληνικά reporters.

Lavrov later met Pompeo again.
-- content/other.md --
+++
title = "Another article"
+++
Pompeo travelled on.
-- annotations/people/sergei-lavrov.md --
+++
name = "Sergei Lavrov"
aliases = ["Lavrov", "Лавров"]
summary = "Russia’s foreign minister since 2004, seen here with [[mike-pompeo]]."
born = 1950-03-21
+++
A career diplomat.
-- annotations/people/mike-pompeo.md --
+++
name = "Mike Pompeo"
aliases = ["Pompeo"]
summary = "US secretary of state from 2018 to 2021."
+++
-- annotations/places/sochi.md --
+++
name = "Sochi"
summary = "A Black Sea resort city where Putin often receives visitors."
+++
-- annotations/notes/sochi.toml --
[[note]]
exact = "the next day"
body = "On 15 May 2019, a day after the talks with [[sergei-lavrov]]."
"""


def tiny_png(width: int = 120, height: int = 60) -> bytes:
    """A grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def site(make_site) -> Path:
    root = make_site(SITE)
    (root / "content" / "media").mkdir(parents=True, exist_ok=True)
    (root / "content" / "media" / "map.png").write_bytes(tiny_png())
    return root


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def words(text: str) -> str:
    """Letters only: what survives any line breaking, hyphenation of the layout and superscript numbers."""
    return re.sub(r"[\W\d_]+", "", text)


# ------------------------------------------------------------------------------------- the one file

def test_handout_is_one_self_contained_file_and_writes_nothing_else(site, capsys):
    before = files_of(site)
    assert handout_command(site / "site.toml", "sochi", pdf=False, out=None) == 0
    after = files_of(site)
    assert {k for k in after if k not in before} == {"handouts/sochi.html"}
    assert all(after[k] == v for k, v in before.items())
    assert "handouts/sochi.html" in capsys.readouterr().out

    html = (site / "handouts" / "sochi.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select('link[rel~="stylesheet"], script[src], link[rel="canonical"]')
    assert not soup.select("header.site-header, nav.prev-next, a.note-more")
    images = soup.select("img")
    assert images and all(img["src"].startswith("data:image/png;base64,") for img in images)
    ids = {tag["id"] for tag in soup.select("[id]")}
    for tag in soup.select("[href]"):
        href = tag["href"]
        if href.startswith("#"):
            assert href[1:] in ids, f"{href} points at nothing in the file"
        elif tag.name == "link" and "icon" in tag.get("rel", []):
            assert href.startswith("data:"), "the icon must not be fetched"
        else:
            assert href.startswith("https://"), f"{href} is neither inside the file nor on another site"
    for tag in soup.select("[src]"):
        assert tag["src"].startswith("data:")
    # The mention links lead to the notes inside the file; the notes are the who's who (no second list).
    assert soup.select_one('a.mention[href="#note-sergei-lavrov"]')
    assert not soup.select(".in-this-article") and len(soup.select("ol.notes")) == 1
    assert "Another article" not in html

    # Styles and script are inline, each allowed by its hash; nothing is allowed by 'unsafe-inline'.
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "unsafe-inline" not in policy and "'self'" not in policy
    scripts, styles = soup.find_all("script"), soup.find_all("style")
    assert len(scripts) == 1 and "a.mention[data-note]" in scripts[0].string
    assert len(styles) == 2 and styles[1]["media"] == "print"
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == sha256(scripts[0].string)
    assert directives["style-src"].split() == [sha256(s.string) for s in styles]
    assert ".endnotes" in styles[1].string and '"Talks in Sochi — Handout test edition"' in styles[1].string

    # Where it comes from, with the published page's address.
    edition_line = soup.select_one(".handout-edition").get_text()
    assert "Handout test edition · Ms Rivera" in edition_line and "https://example.org/ed/sochi.html" in edition_line


LONG_GLOSS = ("Sochi stretches along the Black Sea coast of Krasnodar Krai at the foot of the Caucasus. " * 5
              + "It hosted the 2014 Winter Olympics. " * 6 + "LAST WORDS OF THE GLOSS.")


def handout_soup(site: Path, options: HandoutOptions | None = None, slug: str = "sochi") -> BeautifulSoup:
    assert handout_command(site / "site.toml", slug, pdf=False, out=None, options=options) == 0
    return BeautifulSoup((site / "handouts" / f"{slug}.html").read_text(encoding="utf-8"), "html.parser")


def test_handout_glosses_each_entity_once_in_full_numbered_with_its_paragraph(site):
    sochi = site / "annotations" / "places" / "sochi.md"
    sochi.write_text(sochi.read_text(encoding="utf-8") + LONG_GLOSS + "\n", encoding="utf-8")
    soup = handout_soup(site)
    notes = soup.select("ol.notes > li.note")
    assert [int(n["value"]) for n in notes] == list(range(1, len(notes) + 1))
    # One note per entity, with summary, dates and the gloss text; the passage note numbered among them.
    ids = [n["id"] for n in notes]
    assert ids == ["note-sergei-lavrov", "note-mike-pompeo", "note-sochi", "pn4"]
    lavrov = soup.select_one("#note-sergei-lavrov")
    assert "Russia’s foreign minister since 2004" in lavrov.get_text() and "born 21 March 1950" in lavrov.get_text()
    assert lavrov.select_one(".note-gloss").get_text().startswith("A career diplomat.")
    assert "¶ 1" in lavrov.select(".note-gloss")[-1].get_text(), "the note says which ¶ refers to it"
    assert soup.get_text().count("A career diplomat.") == 1, "each gloss once"
    assert soup.select_one("#pn4 .note-text").get_text().startswith("On 15 May 2019")
    # A long gloss is cut with an ellipsis and the web address of the full entry.
    cut = soup.select_one("#note-sochi .note-cut")
    text = " ".join(p.get_text() for p in soup.select("#note-sochi .note-gloss"))
    assert "LAST WORDS" not in text and "…" in text and len(text) < 600 + 120
    assert cut.select_one('a[href="https://example.org/ed/places/sochi.html"]')
    # Mike Pompeo has no gloss text: his note is his summary alone, and no empty block.
    assert not soup.select("#note-mike-pompeo .note-gloss")


def test_handout_title_block_names_the_online_edition_with_a_qr_code(site):
    soup = handout_soup(site)
    header = soup.select_one("header.article-header")
    assert header.select_one('.handout-edition a[href="https://example.org/ed/sochi.html"]')
    qr = header.select_one("svg.handout-qr")
    assert qr["aria-label"] == "QR code: https://example.org/ed/sochi.html" and qr.select_one("path[d]")
    import segno
    expected = BeautifulSoup(segno.make("https://example.org/ed/sochi.html", error="m").svg_inline(border=0),
                             "html.parser").select_one("path")["d"]
    assert qr.select_one("path")["d"] == expected, "the QR code encodes the online page's address"
    assert header.select_one(".kicker").get_text() == "Daily Monitor · Volume 16, Issue 72"
    assert "https://example.org/original" in header.select_one(".source-details").get_text()

    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('base_url = "https://example.org/ed/"\n', ""),
                    encoding="utf-8")
    soup = handout_soup(site)
    assert not soup.select("svg") and not soup.select(".handout-online")
    soup = handout_soup(site, HandoutOptions(base_url="https://teacher.example/ed/"))
    assert soup.select_one('svg.handout-qr[aria-label="QR code: https://teacher.example/ed/sochi.html"]')


def test_handout_questions_come_from_the_notes_file_with_their_paragraph(site, capsys):
    notes = site / "annotations" / "notes" / "sochi.toml"
    notes.write_text(notes.read_text(encoding="utf-8") + """
[[question]]
exact = "met Pompeo again"
body = "Why did *Lavrov* meet [[mike-pompeo]] twice?"

[[question]]
exact = "Ελληνικά reporters"
body = "Which reporters?"
""", encoding="utf-8")
    assert not handout_soup(site).select(".questions"), "questions only when asked"
    assert "unknown entry" not in capsys.readouterr().err
    soup = handout_soup(site, HandoutOptions(questions=True, wide_margins=True))
    items = soup.select(".questions ol.question-list > li")
    assert [" ".join(li.get_text().split()) for li in items] == ["Why did Lavrov meet Mike Pompeo twice? ¶ 4",
                                                                  "Which reporters? ¶ 3"]
    assert items[0].select_one("em").get_text() == "Lavrov"
    assert items[0].select_one('a.question-where[href="#p4"]') and soup.select_one("#p4")
    assert soup.select_one("section.endnotes").find_next_sibling("section")["class"] == ["questions"]
    assert "@page { margin-right: 62mm; }" in soup.select('style[media="print"]')[0].string

    notes.write_text(notes.read_text(encoding="utf-8") + '\n[[question]]\nexact = "words not there"\nbody = "?"\n',
                     encoding="utf-8")
    assert main(["handout", "--site", str(site), "sochi", "--questions"]) == 1
    err = capsys.readouterr().err
    assert main(["check", "--site", str(site)]) == 1, "gloss check reports a question's stale quote too"
    assert re.search(r"sochi\.toml:13: error: \[\[question\]\] quote 'words not there' not found",
                     capsys.readouterr().err)
    assert re.search(r"sochi\.toml:13: error: \[\[question\]\] quote 'words not there' not found", err), err


def test_handout_replaces_only_an_earlier_handout_and_only_in_its_folder(site, capsys):
    assert main(["handout", "--site", str(site), "content/sochi.md"]) == 0
    assert main(["handout", "--site", str(site), "sochi"]) == 0  # an earlier handout may be replaced
    capsys.readouterr()

    assert main(["handout", "--site", str(site), "nowhere"]) == 1
    err = capsys.readouterr().err
    assert "error: no article `nowhere`" in err and "sochi, other" in err and "Traceback" not in err

    mine = site / "mine"
    mine.mkdir()
    (mine / "sochi.html").write_text("my own notes", encoding="utf-8")
    assert main(["handout", "--site", str(site), "sochi", "--out", str(mine)]) == 1
    assert "refusing to overwrite a file that is not a handout" in capsys.readouterr().err
    assert (mine / "sochi.html").read_text(encoding="utf-8") == "my own notes"

    build(site / "site.toml")
    assert main(["handout", "--site", str(site), "sochi", "--out", str(site / "build")]) == 1
    assert "into a site build" in capsys.readouterr().err
    assert main(["handout", "--site", str(site), "sochi", "--out", str(site / "content")]) == 1
    assert "edition's own files" in capsys.readouterr().err


# ------------------------------------------------------------------------------------- in the browser

@pytest.mark.browser
def test_handout_opened_from_disk_shows_notes_and_loads_nothing_else(site, page):
    handout_command(site / "site.toml", "sochi", pdf=False, out=None)
    url = (site / "handouts" / "sochi.html").as_uri()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    assert requests == [url], "the handout must load nothing but itself"
    assert page.errors == [], "no console errors: the CSP hashes allow the inline styles and script"
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--measure').trim()") == "65ch"
    page.hover("#ref-sergei-lavrov")
    popup = page.locator(".note-popup")
    popup.wait_for(state="visible")
    assert "Russia’s foreign minister since 2004" in popup.inner_text()
    page.keyboard.press("Escape")
    # Following a mention's link goes to its endnote in the same file.
    page.click("#ref-mike-pompeo", modifiers=[])
    page.wait_for_function("location.hash === '#note-mike-pompeo'")
    assert page.url.startswith(url)


PRINT_STYLES = """() => {
  const css = (sel, prop, pseudo) => { const el = document.querySelector(sel);
    return el ? getComputedStyle(el, pseudo || null).getPropertyValue(prop) : null; };
  return {
    bodyBackground: css('body', 'background-color'), bodyColor: css('body', 'color'),
    header: css('.site-header', 'display'), nav: css('.site-nav', 'display'), footer: css('.site-footer', 'display'),
    prevNext: css('.prev-next', 'display'), popup: css('.note-popup', 'display'), more: css('.note-more', 'display'),
    summary: css('.ita-summary', 'display'), notes: css('.endnotes', 'display'), pnum: css('.pnum', 'display'),
    pnumLeft: document.querySelector('.pnum').getBoundingClientRect().left,
    mentionMark: css('#ref-sergei-lavrov', 'content', '::after'),
    mentionNumber: document.querySelector('#ref-sergei-lavrov').dataset.n,
    laterMention: css('.article-body p:last-of-type a.mention', 'content', '::after'),
    linkUrl: css('.article-body a[href^="https://example.org/transcript"]', 'content', '::after'),
    h2: css('.article-body h2', 'break-after'), quote: css('blockquote', 'break-inside'),
    figure: css('figure', 'break-inside'), note: css('.endnotes .note', 'break-inside'),
    back: document.querySelector('#note-sergei-lavrov .note-back').innerText,
    backShown: css('#note-sergei-lavrov .note-back', 'display'),
  };
}"""


@pytest.mark.browser
def test_printing_an_article_page_gives_the_handout_layout(site, page):
    out = build(site / "site.toml").output
    page.emulate_media(color_scheme="dark")
    page.goto((out / "sochi.html").as_uri())
    assert page.errors == []
    page.hover("#ref-sergei-lavrov")
    page.locator(".note-popup").wait_for(state="visible")
    page.emulate_media(media="print", color_scheme="dark")
    got = page.evaluate(PRINT_STYLES)
    assert got["bodyBackground"] == "rgb(255, 255, 255)" and got["bodyColor"] == "rgb(0, 0, 0)"
    for part in ("header", "nav", "footer", "popup", "more"):
        assert got[part] == "none", f"{part} shows in print"
    assert got["prevNext"] in ("none", None)
    assert got["summary"] == "inline" and got["notes"] == "block" and got["pnum"] != "none"
    assert got["pnumLeft"] >= 0, "¶ numbers must sit inside the printable area"
    assert got["mentionMark"] == f'"{got["mentionNumber"]}"', "a noted mention shows its endnote's number"
    assert got["laterMention"] in ("none", "normal"), "a mention without a note shows no number"
    assert "https://example.org/transcript" in got["linkUrl"]
    assert got["h2"] == "avoid"
    assert got["quote"] == got["figure"] == got["note"] == "avoid"
    assert got["backShown"] != "none" and "¶ 1" in got["back"]
    page.emulate_media(media="screen", color_scheme="light")


# ------------------------------------------------------------------------------------- the PDF

def pdf_text(pdf: Path, *pages: int) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


needs_pdf_tools = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing: "
                                     "run `make test`, which installs it")


def pdf_lines(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, x, y, page width, text) of every line of the PDF, from pdftotext's word boxes, leaving out
    the page margins; lines that span the middle of the page (full-width ones) have x = -1."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout
    lines = []
    for number, page in enumerate(BeautifulSoup(xhtml, "html.parser").find_all("page"), start=1):
        for line in page.find_all("line"):
            text = " ".join(word.get_text() for word in line.find_all("word"))
            x, y, width = float(line["xmin"]), float(line["ymin"]), float(page["width"])
            if not 40 < y < float(page["height"]) - 45:  # the running head and the page number
                continue
            crosses = x < width * 0.45 and float(line["xmax"]) > width * 0.55
            lines.append((number, -1.0 if crosses else x, y, width, text))
    return lines


def note_markers(pdf: Path, heading: str, next_heading: str = "") -> list[int]:
    """The note numbers ("12.") that start a line of a column, read column by column, page by page, from the
    notes' heading on (up to `next_heading`), from pdftotext's word boxes."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found: list[tuple[int, float, float, float, str]] = []
    for number, page in enumerate(BeautifulSoup(xhtml, "html.parser").find_all("page"), start=1):
        width, height = float(page["width"]), float(page["height"])
        for word in page.find_all("word"):
            y = float(word["ymin"])
            if 40 < y < height - 45:
                found.append((number, float(word["xmin"]), y, width, word.get_text()))
    texts = [w[4] for w in found]
    first = next(i for i in range(len(texts)) if " ".join(texts[i:i + len(heading.split())]) == heading)
    first = texts.index("1.", first)  # the first note (the heading and the line under it stand further left)
    last = next((i for i in range(first, len(texts)) if next_heading and
                 " ".join(texts[i:i + len(next_heading.split())]) == next_heading), len(texts))
    columns: dict[tuple[int, bool], list] = {}
    for page, x, y, width, text in found[first:last]:
        columns.setdefault((page, x > width * 0.48), []).append((x, y, text))
    markers = []
    for _, column in sorted(columns.items()):
        left = min((x for x, _, text in column if not re.fullmatch(r"\d+\.", text)), default=1e9)
        markers += [int(text[:-1]) for x, _, text in sorted(column, key=lambda w: (w[1], w[0]))
                    if re.fullmatch(r"\d+\.", text) and x < left - 1]
    return markers


def check_pdf(html_file: Path, pdf: Path) -> BeautifulSoup:
    """Every ¶ number in the margin in order, every paragraph's text in order, and every note numbered in
    order (read by position: column by column, page by page) with its whole text."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    lines = pdf_lines(pdf)
    title = next(line for line in lines if soup.h1.get_text().split()[0] in line[4])
    left_edge = min(x for page, x, y, _, text in lines if (page, y) >= title[:3:2] and x > 0)
    margin = [int(text) for page, x, y, _, text in sorted(lines, key=lambda line: (line[0], line[2]))
              if text.isdigit() and 0 < x < left_edge + 1]
    paragraphs = soup.select(".article-body [id^=p] > a.pnum")
    assert paragraphs and margin == list(range(1, len(paragraphs) + 1)), "¶ numbers missing or out of order"

    text = pdf_text(pdf)
    flat, position = words(text), 0
    for n, pnum in enumerate(paragraphs, start=1):
        found = flat.find(words(pnum.parent.get_text()[len(str(n)):])[:40], position)
        assert found >= 0, f"the text of ¶ {n} is missing or out of order"
        position = found

    for h in soup.select("main h2, main h3"):  # no heading is the last line of its page
        title_text = " ".join(h.get_text().split()).casefold()
        for page, _, y, _, text in lines:
            if text.casefold() == title_text:
                assert any(other[0] == page and other[2] > y for other in lines), f"“{text}” ends page {page}"

    markers = note_markers(pdf, soup.select_one(".endnotes h2").get_text(),
                           soup.select_one(".questions h2").get_text() if soup.select_one(".questions h2") else "")
    notes = soup.select(".endnotes li.note")
    assert markers == [int(note["value"]) for note in notes] == list(range(1, len(notes) + 1))
    for note in notes:
        assert words(note.select_one(".note-text").get_text()) in flat, f"the text of note {note['value']} is missing"
    return soup


@needs_pdf_tools
@pytest.mark.browser
def test_pdf_of_a_small_article(site, capsys):
    assert handout_command(site / "site.toml", "sochi", pdf=True, out=None) == 0
    assert "handouts/sochi.pdf" in capsys.readouterr().out
    assert sorted(p.name for p in (site / "handouts").iterdir()) == ["sochi.html", "sochi.pdf"]
    pdf = site / "handouts" / "sochi.pdf"
    check_pdf(site / "handouts" / "sochi.html", pdf)
    first = " ".join(pdf_text(pdf, 1).split())
    assert "Talks in Sochi" in first and "DAILY MONITOR · VOLUME 16, ISSUE 72" in first
    assert "By A. Writer · 16 May 2019" in first or "A. Writer" in first
    assert "https://example.org/transcript" in first, "external links show their address on paper"
    assert "Лавров" in first and "Ελληνικά" in first, "Cyrillic and Greek need fonts"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Noto" in fonts or "DejaVu" in fonts


def last_page_fill(pdf: Path) -> tuple[int, float]:
    """(pages, how far down the last page's text area its text reaches), read by pdftotext."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout
    pages = BeautifulSoup(xhtml, "html.parser").find_all("page")
    height = float(pages[-1]["height"])
    top, bottom = 15 / 25.4 * 72, height - 17 / 25.4 * 72  # print.css's @page margins
    lowest = max([float(line["ymax"]) for line in pages[-1].find_all("line") if float(line["ymax"]) < bottom] or [top])
    return len(pages), (lowest - top) / (bottom - top)


def check_glosses_once(html_file: Path, pdf: Path) -> None:
    """Every entity's gloss text is in the PDF once, and so is every question."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    flat = words(pdf_text(pdf))
    glosses = soup.select(".endnotes .note-gloss")
    assert glosses
    for block in glosses:
        start = words(block.get_text())[:50]
        assert flat.count(start) == 1, f"{block.get_text()[:60]!r} printed {flat.count(start)} times"


def check_pages(pdf: Path, running: str) -> None:
    """Each page says "n / N"; every page after the first has the running head."""
    pages = pdf_text(pdf).split("\f")[:-1]
    for n, text in enumerate(pages, start=1):
        assert f"{n} / {len(pages)}" in text, f"page {n} lacks its number"
        if n > 1:
            assert words(running)[:40] in words(text), f"page {n} lacks the running head"


def test_pdf_dates_are_fixed():
    made = b"<< /CreationDate (D:20261207110147+00'00')\n/ModDate (D:20261207110148+00'00')>>"
    assert deterministic_pdf(made) == b"<< /CreationDate (D:20000101000000+00'00')\n/ModDate (D:20000101000000+00'00')>>"


@needs_pdf_tools
@pytest.mark.browser
def test_pdf_of_the_bundled_article(tmp_path):
    """The bundled article with its discussion questions and the online address: every ¶ and note in order,
    every gloss once, page numbers and running head, and a last page worth printing."""
    out = tmp_path / "handouts"
    options = HandoutOptions(questions=True, base_url="https://example.org/sochi/")
    assert handout_command(ROOT / "site.toml", BUNDLED, pdf=True, out=out, options=options) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{BUNDLED}.html", f"{BUNDLED}.pdf"]
    html, pdf = out / f"{BUNDLED}.html", out / f"{BUNDLED}.pdf"
    soup = check_pdf(html, pdf)
    check_glosses_once(html, pdf)
    check_pages(pdf, f"{soup.h1.get_text()} — Sochi, May 2019")
    first = " ".join(pdf_text(pdf, 1).split())
    assert " ".join(soup.h1.get_text().split()) in first
    assert soup.select_one(".kicker").get_text().upper() in first
    assert words(f"https://example.org/sochi/{BUNDLED}.html") in words(first), "the online address"
    pages, fill = last_page_fill(pdf)
    assert pages == 1 or fill >= MIN_FILL, f"the last of {pages} pages is only {fill:.0%} full"
    questions = words(pdf_text(pdf).split(soup.select_one(".questions h2").get_text())[-1])
    position = 0
    for item in soup.select(".questions li"):
        found = questions.find(words(item.get_text()), position)
        assert found >= 0, f"question {item.get_text()[:40]!r} missing, out of order or without its ¶"
        position = found


@needs_pdf_tools
@pytest.mark.browser
def test_pdf_of_three_fixture_articles_fills_the_last_page(tmp_path):
    """Three lengths of article: none ends on a page of a few lines; --wide-margins leaves a third free."""
    site_file = make_course(tmp_path / "course")
    for number, slug in enumerate(PARTS):
        options = HandoutOptions(wide_margins=number == 0)
        assert handout_command(site_file, slug, pdf=True, out=tmp_path / "out", options=options) == 0
        pdf = tmp_path / "out" / f"{slug}.pdf"
        pages, fill = last_page_fill(pdf)
        assert pages == 1 or fill >= MIN_FILL, f"{slug}: the last of {pages} pages is only {fill:.0%} full"
        check_glosses_once(tmp_path / "out" / f"{slug}.html", pdf)
        if number == 0:
            boxes = BeautifulSoup(subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pdf), "-"],
                                                 capture_output=True, text=True, check=True).stdout, "html.parser")
            right = max(float(word["xmax"]) for word in boxes.find_all("word") if 45 < float(word["ymin"]) < 790)
            assert right < 595 - 62 / 25.4 * 72 + 2, "the wide margin is kept free on paper"
