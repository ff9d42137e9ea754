"""The W3C annotations' selectors applied in Chromium to the text of the built pages, opened from disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from open_data_site import SITE

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser

APPLY = """(items) => {
  const results = [];
  for (const item of items) {
    for (const selector of item.target.selector) {
      if (selector.type !== "CssSelector") continue;
      const element = document.querySelector(selector.value);
      const text = Array.from(element.innerText);  // code points, as the Web Annotation model counts
      const quote = item.target.selector.find(s => s.type === "TextQuoteSelector");
      const {start, end} = selector.refinedBy;
      results.push([item.id, text.slice(start, end).join(""), quote.exact,
                    text.slice(Math.max(0, start - Array.from(quote.prefix).length), start).join(""), quote.prefix,
                    text.slice(end, end + Array.from(quote.suffix).length).join(""), quote.suffix]);
    }
  }
  return results;
}"""


def check_selectors(page, folder: Path, slug: str) -> int:
    items = json.loads((folder / "data" / f"{slug}.annotations.jsonld").read_text(encoding="utf-8"))["items"]
    page.goto((folder / f"{slug}.html").as_uri())
    results = page.evaluate(APPLY, items)
    assert len(results) == len(items)
    for ident, found, exact, before, prefix, after, suffix in results:
        assert found == exact, ident
        assert before == prefix and after == suffix, ident
    # the words are the mention's own: the n-th mention element's text, in order
    words = page.evaluate("""() => Array.from(document.querySelectorAll(
        ".article-body a.mention, .article-body span.passage")).map(e => e.innerText.replace(/\\s+/g, " "))""")
    quoted = [" ".join(i["target"]["selector"][0]["exact"].split()) for i in items]
    assert sorted(quoted) == sorted(words)
    assert page.errors == []  # nothing refused by the Content-Security-Policy, no script error
    return len(items)


def test_every_selector_selects_the_mention_in_chromium(page, tmp_path):
    from conftest import parse_site, write_site

    root = write_site(tmp_path / "site", parse_site(SITE))
    out = build(root / "site.toml").output
    assert check_selectors(page, out, "talks") > 25
    assert check_selectors(page, out, "second") == 3


def test_the_bundled_edition_selectors_in_chromium(page, tmp_path):
    out = build(ROOT / "site.toml", tmp_path / "build", cache=False).output
    assert check_selectors(page, out, "putin-and-lavrov-rebuff-pompeos-overtures-in-sochi") > 150


def test_the_cite_control_opens_from_disk_and_its_files_are_there(page, tmp_path):
    from conftest import parse_site, write_site

    root = write_site(tmp_path / "site", parse_site(SITE))
    out = build(root / "site.toml").output
    for path in ("talks.html", "index.html"):
        page.goto((out / path).as_uri())
        reference = page.locator("details.cite .cite-reference")
        assert not reference.is_visible()
        page.locator("details.cite summary").click()
        reference.wait_for(state="visible")
        assert "Writer, Pavel. 2019." in reference.inner_text() or "The Test Editors. n.d." in reference.inner_text()
        for link in page.locator("details.cite .cite-files a").all():
            target = page.evaluate("(a) => a.href", link.element_handle())
            assert target.startswith("file://") and Path(target[len("file://"):]).is_file(), target
        assert page.errors == []
