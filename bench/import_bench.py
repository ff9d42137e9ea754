"""Benchmark `gloss import` on saved pages: word-level precision, recall and F1 of the imported body
against a hand-written expected text, and title accuracy.

    .venv/bin/python bench/import_bench.py               # Gloss's own extractor
    .venv/bin/python bench/import_bench.py --compare     # also trafilatura and readability-lxml, if installed

Each page is tests/import_pages/<name>.html with <name>.expected.txt beside it: the title on the first
line, then the body text. Words are compared as bags (multisets), case-folded; each CJK character counts
as a word. The imported body is compared as rendered (Markdown syntax and link URLs do not count; nor
does the "original image" link put after a remote image's caption).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402
from mdit_py_plugins.container import container_plugin  # noqa: E402

from generator.importer import import_article  # noqa: E402
from generator.importer.text import read_text  # noqa: E402

PAGES = ROOT / "tests" / "import_pages"
WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W_]+", re.UNICODE)
TARGET_F1 = 0.97
TARGET_TITLES = 0.90


@dataclass
class Extraction:
    title: str
    body_text: str


@dataclass
class Score:
    page: str
    precision: float
    recall: float
    f1: float
    title_ok: bool
    seconds: float


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(unicodedata.normalize("NFC", text).casefold()))


def same_title(found: str, expected: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())
    return norm(found) == norm(expected)


def markdown_text(body: str) -> str:
    """The text a reader sees once the Markdown is rendered."""
    renderer = MarkdownIt("commonmark").enable("table").use(container_plugin, name="figure")
    soup = BeautifulSoup(renderer.render(body), "html.parser")
    for link in soup.find_all("a"):
        if link.get_text() == "original image":
            link.decompose()
    return soup.get_text(" ")


def gloss(page: Path) -> Extraction:
    article = import_article(page)
    return Extraction(str(article.front_matter.get("title", "")), markdown_text(article.body))


def trafilatura_extractor() -> Callable[[Path], Extraction] | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def extract(page: Path) -> Extraction:
        html = read_text(page, declared_charset_allowed=True)
        text = trafilatura.extract(html, include_comments=False, include_tables=True, include_images=True,
                                   deduplicate=False) or ""
        metadata = trafilatura.extract_metadata(html)
        return Extraction((metadata.title if metadata else None) or "", text)

    return extract


def readability_extractor() -> Callable[[Path], Extraction] | None:
    try:
        from readability import Document
    except ImportError:
        return None

    def extract(page: Path) -> Extraction:
        document = Document(read_text(page, declared_charset_allowed=True))
        summary = BeautifulSoup(document.summary(html_partial=True), "html.parser").get_text(" ")
        return Extraction(document.short_title() or "", summary)

    return extract


def score(name: str, extract: Callable[[Path], Extraction], page: Path) -> Score:
    expected_lines = page.with_name(page.stem + ".expected.txt").read_text(encoding="utf-8").split("\n")
    expected_title, expected_body = expected_lines[0], "\n".join(expected_lines[1:])
    started = time.perf_counter()
    try:
        found = extract(page)
    except Exception as error:  # noqa: BLE001 - a crash scores zero and is shown
        print(f"  {name}: {page.name}: {type(error).__name__}: {error}", file=sys.stderr)
        found = Extraction("", "")
    seconds = time.perf_counter() - started
    got, want = words(found.body_text), words(expected_body)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(page.stem, precision, recall, f1, same_title(found.title, expected_title), seconds)


def run(name: str, extract: Callable[[Path], Extraction], pages: list[Path], verbose: bool) -> list[Score]:
    scores = [score(name, extract, page) for page in pages]
    print(f"\n{name}")
    if verbose:
        print(f"  {'page':34} {'P':>6} {'R':>6} {'F1':>6}  title  ms")
        for s in scores:
            print(f"  {s.page:34} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  {'yes' if s.title_ok else 'NO ':5}"
                  f" {s.seconds * 1000:4.0f}")
    mean = statistics.fmean
    titles = sum(s.title_ok for s in scores) / len(scores)
    print(f"  {'mean':34} {mean(s.precision for s in scores):6.3f} {mean(s.recall for s in scores):6.3f} "
          f"{mean(s.f1 for s in scores):6.3f}  titles {titles:.0%} ({sum(s.title_ok for s in scores)}/{len(scores)})")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", action="store_true", help="also run trafilatura and readability-lxml")
    parser.add_argument("pages", nargs="*", help="page names to run (default: all)")
    args = parser.parse_args(argv)
    pages = sorted(PAGES.glob("*.html"))
    if args.pages:
        pages = [page for page in pages if page.stem in args.pages]
    pages = [page for page in pages if page.with_name(page.stem + ".expected.txt").exists()]
    if not pages:
        print(f"no pages with expected text in {PAGES}", file=sys.stderr)
        return 1
    scores = run("gloss (beautifulsoup4)", gloss, pages, verbose=True)
    if args.compare:
        for name, factory in (("trafilatura", trafilatura_extractor), ("readability-lxml", readability_extractor)):
            extractor = factory()
            if extractor is None:
                print(f"\n{name}: not installed (pip install {name})")
            else:
                run(name, extractor, pages, verbose=True)
    f1 = statistics.fmean(s.f1 for s in scores)
    titles = sum(s.title_ok for s in scores) / len(scores)
    met = f1 >= TARGET_F1 and titles >= TARGET_TITLES
    print(f"\ntarget: mean F1 >= {TARGET_F1} and titles >= {TARGET_TITLES:.0%}: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
