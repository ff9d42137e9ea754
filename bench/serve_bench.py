"""Save-to-reloaded-page time of `gloss serve`, measured in Chromium.

    .venv/bin/python bench/serve_bench.py                  # the bundled edition (a temp copy)
    .venv/bin/python bench/serve_bench.py --articles 1000  # make_corpus.py, 1,000 articles, 500 entities

A preview is started on a free port, an article page is opened in headless Chromium (Debian's
/usr/bin/chromium through Playwright), then one word of a paragraph is changed and saved several times
(atomically, as editors do). Each time it reports the wall time from the save until the reloaded page,
showing the new word, has parsed its HTML (DOMContentLoaded, as the page's own clock tells), and how long the rebuild itself took and how many pages it
rendered. The corpus edition is made under .bench/ (git-ignored) and reused. Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.serve import Preview  # noqa: E402

WORK = ROOT / ".bench"
CORPUS_SCRIPT = Path(os.environ.get("GLOSS_CORPUS_SCRIPT", ROOT.parent / "shared" / "bench" / "make_corpus.py"))
CHROMIUM = "/usr/bin/chromium"


def edition(articles: int, scratch: Path) -> Path:
    """A fresh copy of the bundled edition, or of a make_corpus.py edition of that many articles."""
    site = scratch / "edition"
    if articles:
        corpus = WORK / f"serve-{articles}"
        if not (corpus / "content").is_dir():
            subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--articles", str(articles), "--entities", "500",
                            "--words", "1500", "--seed", "1", "--out", str(corpus), "--force"], check=True,
                           stdout=subprocess.DEVNULL)
        shutil.copytree(corpus, site)
        (site / "site.toml").write_text('title = "Benchmark edition"\n', encoding="utf-8")
    else:
        site.mkdir()
        shutil.copy(ROOT / "site.toml", site / "site.toml")
        for folder in ("content", "annotations"):
            shutil.copytree(ROOT / folder, site / folder)
    return site


def save(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=0, help="a corpus edition of this size (0: the bundled one)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = edition(args.articles, Path(scratch))
        article = sorted((site / "content").glob("*.md"))[len(list((site / "content").glob("*.md"))) // 2]
        text = article.read_text(encoding="utf-8")
        paragraphs = [p for p in text.split("\n\n") if len(p) > 200 and not p.startswith(("+++", ":::"))]
        paragraph = paragraphs[len(paragraphs) // 2]
        word = next(w for w in paragraph.split() if w.isalpha() and len(w) > 4)
        started = time.perf_counter()
        preview = Preview(site / "site.toml", port=0, out=io.StringIO(), err=io.StringIO(), freeze=True)
        preview.start()
        print(f"{args.articles or 'bundled'} articles: first build {time.perf_counter() - started:.2f} s, "
              f"{preview.last.rendered if preview.last else 0} pages")
        walls, rebuilds = [], []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                page.goto(preview.url + article.stem + ".html")
                for run in range(args.runs):
                    marker = f"Edited{run}x"
                    page.evaluate("window.beforeTheSave = true")
                    saved = time.time()
                    save(article, text.replace(paragraph, paragraph.replace(word, marker, 1), 1))
                    while True:  # polled slowly: the reloaded page itself says when it was ready
                        time.sleep(0.05)
                        try:
                            ready = page.evaluate(
                                f"!window.beforeTheSave && document.body.textContent.includes('{marker}') && "
                                "performance.timeOrigin + performance.getEntriesByType('navigation')[0]"
                                ".domContentLoadedEventEnd")
                        except Exception:  # noqa: BLE001 - the page is reloading
                            ready = None
                        if ready:
                            break
                        if time.time() - saved > 30:
                            raise SystemExit("no reload within 30 s")
                    walls.append(ready / 1000 - saved)
                    last = preview.last
                    rebuilds.append(last.seconds if last else 0.0)
                    stages = ", ".join(f"{k} {v:.3f}" for k, v in (last.stages if last else {}).items())
                    print(f"  save {run + 1}: reloaded page after {walls[-1]:.3f} s (rebuild {rebuilds[-1]:.3f} s: "
                          f"{stages}; {last.rendered if last else 0} pages rendered)")
                    time.sleep(0.3)
                browser.close()
        finally:
            preview.stop()
        print(f"save to reloaded page: median {statistics.median(walls):.3f} s, min {min(walls):.3f} s, "
              f"max {max(walls):.3f} s; rebuild median {statistics.median(rebuilds):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
