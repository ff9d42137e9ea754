"""Offline search on the 1,000-article benchmark edition (issue 15, point 3), from one run:

    .venv/bin/python bench/search_bench.py [--runs 3]

- building the index: clean builds with search on and off, interleaved (same machine load), median of each, in
  wall time and in CPU seconds (user + system of the build and its workers: what a busy machine disturbs least);
- sizes: the whole search/ index against the site's HTML; the data one query loads (the files it asked for);
- in Chromium from file://: for a one-word query on a cold page (a new browser context each time), the time
  from the first keystroke to the first result on screen, and for each later keystroke (typing the word one
  letter at a time) the time from the key to its results. search.js signals "gloss-search-shown" when the
  results for the box's text are on screen; the times are taken in the page with performance.now().
This is a program, not a timed test: CI does not run it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_bench as bb  # noqa: E402

QUERIES = ["lavrov", "sanctions", "strait", "gazette", "consultations"]
CHROMIUM = "/usr/bin/chromium"
TIMING = """() => {
  window.__keys = []; window.__shown = [];  // keydowns, and results on screen: [time, query, options]
  document.addEventListener('keydown', () => window.__keys.push(performance.now()), true);
  document.addEventListener('gloss-search-shown', e => window.__shown.push([performance.now(), e.detail.query,
      document.querySelectorAll('.site-search [role=option]').length, e.detail.complete]));
}"""


def without_search(edition: Path) -> Path:
    """A copy of the edition with search = false in site.toml (the B of the A/B)."""
    other = edition.with_name(edition.name + "-nosearch")
    if not (other / "content").is_dir():
        shutil.rmtree(other, ignore_errors=True)
        other.mkdir()
        for name in ("content", "annotations"):
            shutil.copytree(edition / name, other / name)
    (other / "site.toml").write_text(bb.SITE_TOML + "search = false\n", encoding="utf-8")
    return other


def build_times(edition: Path, runs: int) -> None:
    other = without_search(edition)
    on: list[bb.Run] = []
    off: list[bb.Run] = []
    for _ in range(runs):
        off.append(bb.clean_build(other))
        on.append(bb.clean_build(edition))
    for label, value in (("wall", lambda r: r.seconds), ("CPU (user+sys, with workers)", lambda r: r.cpu)):
        a, b = statistics.median(map(value, on)), statistics.median(map(value, off))
        print(f"   {label}: clean build, search on:  {a:6.2f} s   (runs: {', '.join(f'{value(r):.2f}' for r in on)})")
        print(f"   {label}: clean build, search off: {b:6.2f} s   (runs: {', '.join(f'{value(r):.2f}' for r in off)})")
        print(f"   {label}: building the index adds {100 * (a - b) / b:+.1f} % (median against median; the limit is 10 %)")


def sizes(site: Path) -> None:
    html = sum(p.stat().st_size for p in site.rglob("*.html"))
    index = sum(p.stat().st_size for p in (site / "search").rglob("*") if p.is_file())
    files = sum(1 for p in (site / "search").rglob("*") if p.is_file())
    print(f"   site HTML {html / 1e6:.1f} MB; search index {index / 1e6:.1f} MB in {files} files = "
          f"{100 * index / html:.1f} % of the HTML (the limit is 40 %)")


PASTE = """(q) => { const box = document.querySelector('.site-search input');
  box.focus(); window.__t0 = performance.now(); box.value = q;
  box.dispatchEvent(new Event('input', {bubbles: true})); }"""


def shown(page, query: str) -> tuple[list, list]:
    """When the results for `query` were first on screen, and when complete (the same when shown at once)."""
    page.wait_for_function("(q) => window.__shown.some(s => s[1] === q && s[3])", arg=query)  # (no eval: CSP)
    times = [s for s in page.evaluate("window.__shown") if s[1] == query]
    return times[0], next(s for s in times if s[3])


def browser_times(site: Path, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    page_url = sorted(site.glob("0*.html"))[10].as_uri()
    base = site.as_uri() + "/search/"
    firsts: list[float] = []
    laters: list[float] = []
    firsts_complete: list[float] = []
    laters_complete: list[float] = []
    loaded: list[int] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=bb_chromium_args())
        for _ in range(runs):
            for query in QUERIES:
                # A cold page: the whole word arrives in one input event; time until its first results.
                context = browser.new_context()
                page = context.new_page()
                requested: set[str] = set()
                page.on("request", lambda r, requested=requested: requested.add(r.url))
                page.goto(page_url)
                page.evaluate(TIMING)
                page.evaluate(PASTE, query)
                first, complete = shown(page, query)
                assert complete[2] > 0, f"no result for {query}"
                firsts.append(first[0] - page.evaluate("window.__t0"))
                firsts_complete.append(complete[0] - page.evaluate("window.__t0"))
                loaded.append(sum((site / "search" / u[len(base):]).stat().st_size
                                  for u in requested if u.startswith(base)))
                context.close()
                # Typing it: two letters on a cold page, then each later letter timed from its keydown.
                context = browser.new_context()
                page = context.new_page()
                page.goto(page_url)
                page.evaluate(TIMING)
                page.evaluate(PASTE, query[:2])
                shown(page, query[:2])
                for n in range(3, len(query) + 1):
                    page.keyboard.press(query[n - 1])
                    first, complete = shown(page, query[:n])
                    key = page.evaluate("window.__keys[window.__keys.length - 1]")
                    laters.append(first[0] - key)
                    laters_complete.append(complete[0] - key)
                context.close()
        browser.close()
    print(f"   Chromium, file://, {len(firsts)} one-word queries ({', '.join(QUERIES)}), each on a cold page:")
    print(f"   query -> first results: median {statistics.median(firsts):.0f} ms, "
          f"max {max(firsts):.0f} ms (the limit is 300 ms)")
    print(f"   (complete results, all passages loaded: median {statistics.median(firsts_complete):.0f} ms, "
          f"max {max(firsts_complete):.0f} ms)")
    print(f"   each later keystroke -> its results: median {statistics.median(laters):.1f} ms, "
          f"max {max(laters):.1f} ms, over {len(laters)} keystrokes (the limit is 50 ms)")
    print(f"   (complete results: median {statistics.median(laters_complete):.1f} ms, "
          f"max {max(laters_complete):.1f} ms; until then the passages already loaded are shown)")
    print(f"   search data a query loaded: median {statistics.median(loaded) / 1e3:.0f} KB, "
          f"max {max(loaded) / 1e3:.0f} KB (the limit is 1 MB)")


def bb_chromium_args() -> list[str]:
    return ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bb.WORK.mkdir(exist_ok=True)
    bb.snapshot()
    edition = bb.corpus(1000, bb.ENTITIES)
    print(f"search benchmark — {os.cpu_count()} cores, load average {bb.load_average()}")
    print("\n== building the index (1,000 articles, clean builds interleaved)")
    build_times(edition, args.runs)
    print("\n== sizes")
    sizes(edition / "build")
    print("\n== in the browser")
    browser_times(edition / "build", args.runs)
    print(f"\n   load average after: {bb.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
