"""The course reader (issue 17, point 2) and handouts read as a reader would (point 4): `gloss reader` writes one
self-contained file with a cover, contents, each article with its ¶ numbers and notes, and one shared who's who;
its PDF's bookmarks and contents page numbers match the articles."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from classroom_site import PARTS, make_course
from playwright.sync_api import expect

from generator.cli import main
from generator.handout import HandoutOptions, handout_command
from generator.reader import outline_entries, reader_command

TITLES = [title for _, title, _ in PARTS.values()]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return make_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def reader_html(course) -> Path:
    assert reader_command(course, [], pdf=False, title="Russia and the US in May 2019", out=None) == 0
    return course.parent / "handouts" / "reader.html"


def test_reader_is_one_file_with_cover_contents_articles_and_one_whos_who(reader_html):
    soup = BeautifulSoup(reader_html.read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text() == "Russia and the US in May 2019"
    assert soup.select_one(".reader-cover h1").get_text() == "Russia and the US in May 2019"
    assert soup.select_one('.reader-cover svg.handout-qr[aria-label="QR code: https://example.org/course/index.html"]')
    # Contents: the articles in the edition's order, then the who's who; each entry leads to its part.
    entries = [a.get_text() for a in soup.select(".reader-toc a.toc-title")]
    assert entries == [*TITLES, "Who’s who"]
    for link in soup.select(".reader-toc a.toc-title"):
        assert soup.find(id=link["href"][1:]), link["href"]
    # Self-contained: nothing fetched, every in-file link lands on an id, ids unique.
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids)), "ids must be unique across the articles"
    for tag in soup.select("[href]"):
        href = tag["href"]
        if href.startswith("#"):
            assert href[1:] in ids, f"{href} points at nothing"
        elif tag.name != "link":
            assert href.startswith("https://"), href
    assert all(tag["src"].startswith("data:") for tag in soup.select("[src]"))
    assert not soup.select('link[rel~="stylesheet"], script[src], .in-this-article, nav.prev-next')
    # Each article: its heading under the reader's title, its ¶ numbers and its numbered notes.
    articles = soup.select("main > article.article")
    assert [a.select_one("h2").get_text() for a in articles] == TITLES
    for n, article in enumerate(articles, start=1):
        numbers = [p.get_text() for p in article.select(".article-body a.pnum")]
        assert numbers == [str(k) for k in range(1, len(numbers) + 1)] and numbers
        assert article.select_one(f"#a{n}-p1 > a.pnum")["href"] == f"#a{n}-p1"
        notes = article.select("ol.notes > li.note")
        assert [int(li["value"]) for li in notes] == list(range(1, len(notes) + 1))
        for mention in article.select(".article-body a.mention[data-note]"):
            assert mention["href"] == "#" + mention["data-note"] and mention["data-note"].startswith(f"a{n}-")
    # One who's who: each entity once, glossed once, listing the articles and ¶ that mention it.
    entries = soup.select(".whos-who li.who")
    names = [e.select_one(".note-name").get_text() for e in entries]
    assert len(names) == len(set(names)) > 20
    putin = soup.select_one("#who-vladimir-putin")
    mentions = putin.select_one(".who-mentions").get_text()
    assert [t for t in TITLES if t in mentions] == TITLES, "Putin is mentioned in all three articles"
    for link in putin.select(".who-mentions a[href]"):
        paragraph = soup.find(id=link["href"][1:])
        assert paragraph is not None and re.fullmatch(r"a\d-p\d+", paragraph["id"])
        assert any("vladimir-putin" in (m.get("data-note", "") + m.get("href", ""))
                   for m in paragraph.select("a.mention")), f"{link['href']} does not mention Putin"
    gloss = putin.select_one(".note-gloss").get_text()[:60]
    assert soup.get_text().count(gloss) == 1, "each gloss printed once"


def test_reader_names_articles_and_refuses_unknown_ones(course, capsys):
    out = course.parent / "picked"
    assert main(["reader", "--site", str(course), "sochi-the-meetings", "sochi-phone-call", "--out", str(out)]) == 0
    soup = BeautifulSoup((out / "reader.html").read_text(encoding="utf-8"), "html.parser")
    assert [a.get_text() for a in soup.select(".reader-toc a.toc-title")] == ["The Sochi meetings",
                                                                              "The phone call of 3 May", "Who’s who"]
    assert soup.select_one(".reader-cover h1").get_text() == "A course on Russia and the US, 2019"
    assert "Two crises" not in soup.get_text()
    capsys.readouterr()
    assert main(["reader", "--site", str(course), "nowhere"]) == 1
    assert "error: no article `nowhere`" in capsys.readouterr().err


# ------------------------------------------------------------------------------------- the PDF

@pytest.mark.browser
def test_reader_pdf_bookmarks_and_contents_page_numbers_are_right(course, tmp_path):
    from pypdf import PdfReader

    assert reader_command(course, [], pdf=True, title="Russia and the US in May 2019", out=tmp_path) == 0
    pdf = tmp_path / "reader.pdf"
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    outline = outline_entries(reader)
    assert outline[0][:2] == (0, "Russia and the US in May 2019")
    chapters = [(title, page) for depth, title, page in outline if depth == 1]
    assert [title for title, _ in chapters] == ["Contents", *TITLES, "Who’s who"], \
        "the bookmarks are the contents (its text once), the articles and the who's who"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    # The contents page as printed: each entry with its page number.
    printed = dict(re.findall(r"^\s*(\S.*?)(?:\s{2,}Eurasia Daily Monitor)?\s{2,}(\d+)\s*$", pages[1], re.M))
    printed = {" ".join(k.replace("Eurasia Daily Monitor", "").split()): int(v) for k, v in printed.items()}
    for title in [*TITLES, "Who’s who"]:
        # Where it really starts: the first page after the contents with the title as a line of its own.
        start = next(n for n, text in enumerate(pages, start=1)
                     if n > 2 and any(line.strip() == title for line in text.splitlines()))
        assert printed[title] == start, f"the contents say {title!r} starts on page {printed.get(title)}, not {start}"
        assert dict(chapters)[title] == start, f"the bookmark of {title!r} is on another page"
    for n, text in enumerate(pages[:-1], start=1):
        assert f"{n} / {len(pages) - 1}" in text, f"page {n} lacks its number"


# ------------------------------------------------------------------------------------- as a reader would

@pytest.mark.browser
def test_handout_and_reader_notes_open_on_hover_focus_and_tap_from_disk(course, reader_html, tmp_path, browser):
    """Opened from an e-mail attachment (file://, no other file): nothing else loads, and notes open on hover,
    keyboard focus and tap."""
    assert handout_command(course, "sochi-two-crises", pdf=False, out=tmp_path,
                           options=HandoutOptions(questions=True)) == 0
    for file, mention in ((tmp_path / "sochi-two-crises.html", "#ref-vladimir-putin"),
                          (reader_html, "#a2-ref-vladimir-putin")):
        url = file.as_uri()
        for touch in (False, True):
            context = browser.new_context(viewport={"width": 390, "height": 800} if touch else
                                          {"width": 1280, "height": 900}, has_touch=touch, is_mobile=touch)
            page = context.new_page()
            errors: list[str] = []
            requests: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
            page.on("request", lambda r, requests=requests: requests.append(r.url))
            page.goto(url)
            assert requests == [url] and errors == [], f"{file.name}: {requests} {errors}"
            link = page.locator(mention)
            popup = page.locator(".note-popup")
            if touch:
                link.tap()
                expect(popup).to_be_visible()
                assert page.url == url, "a tap opens the note instead of following the link"
                assert "Russia" in popup.inner_text()
            else:
                link.hover()
                expect(popup).to_be_visible()
                assert "Russia" in popup.inner_text()
                page.mouse.move(0, 0)
                expect(popup).to_have_count(0)
                link.focus()
                expect(popup).to_be_visible()
                page.keyboard.press("Escape")
                expect(popup).to_have_count(0)
                assert page.evaluate("document.activeElement.id") == mention[1:]
            context.close()
