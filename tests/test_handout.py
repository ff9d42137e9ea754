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

from generator.build import build
from generator.cli import main
from generator.handout import handout_command

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
    # The mention links and the who's who lead to the notes inside the file.
    assert soup.select_one('a.mention[href="#note-sergei-lavrov"]')
    assert soup.select_one('.in-this-article a[href="#note-sochi"]')
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

    heading = next(line for line in lines if line[4] == soup.select_one(".endnotes h2").get_text())
    after = [line for line in lines if (line[0], line[2]) > (heading[0], heading[2])]
    columns: dict[tuple[int, bool], list] = {}
    for line in after:
        if line[1] >= 0:
            columns.setdefault((line[0], line[1] > line[3] * 0.45), []).append(line)
    markers = []
    for _, column in sorted(columns.items()):
        left = min((x for _, x, _, _, text in column if not re.match(r"\d+\.\s", text)), default=1e9)
        markers += [int(text.split(".")[0]) for _, x, y, _, text in sorted(column, key=lambda c: c[2])
                    if re.match(r"\d+\.\s", text) and x < left - 1]
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


@needs_pdf_tools
@pytest.mark.browser
def test_pdf_of_the_bundled_article(tmp_path):
    out = tmp_path / "handouts"
    assert handout_command(ROOT / "site.toml", BUNDLED, pdf=True, out=out) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{BUNDLED}.html", f"{BUNDLED}.pdf"]
    soup = check_pdf(out / f"{BUNDLED}.html", out / f"{BUNDLED}.pdf")
    first = " ".join(pdf_text(out / f"{BUNDLED}.pdf", 1).split())
    assert " ".join(soup.h1.get_text().split()) in first
    assert soup.select_one(".kicker").get_text().upper() in first
