"""gloss serve in Chromium: a save reloads the open page by itself (issue 5, point 4), on a temp copy of
the bundled edition, with the pages' Content-Security-Policy in force."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from conftest import PATIENCE_S

from generator.serve import Preview
from tests.test_serve import edit

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
Error = pytest.importorskip("playwright.sync_api").Error


def poll(page, script: str, timeout: float = PATIENCE_S) -> None:
    """Wait until `script` is true in the page, polled from here: the pages' CSP forbids the eval that
    page.wait_for_function needs, and a reload may happen in between."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(script):
                return
        except Error:
            pass  # the page is being reloaded
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {script}")
        time.sleep(0.01)


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    site = tmp_path / "edition"
    site.mkdir()
    shutil.copy(ROOT / "site.toml", site / "site.toml")
    for folder in ("content", "annotations"):
        shutil.copytree(ROOT / folder, site / folder)
    return site


def test_a_save_reloads_the_open_page(bundled: Path, page):
    preview = Preview(bundled / "site.toml", port=0, out=io.StringIO(), err=io.StringIO())
    preview.start()
    try:
        article = next((bundled / "content").glob("*.md"))
        page.goto(preview.url + article.stem + ".html")
        assert page.locator('script[src="/__gloss__/reload.js"]').count() == 1
        page.evaluate("window.beforeTheSave = true")
        saved = time.monotonic()
        edit(article, "The delay stemmed", "The long delay stemmed")
        poll(page, "!window.beforeTheSave && document.body.textContent.includes('The long delay')")
        seconds = time.monotonic() - saved
        print(f"save to reloaded page: {seconds:.2f} s")
        assert page.errors == [], page.errors  # no CSP violation, no script error
        # A broken edit: the error overlay on top of the last good page, then gone once fixed.
        page.evaluate("window.beforeTheSave = true")
        edit(article, "+++\ntitle", "+++\ntitle title")
        page.wait_for_selector("#gloss-errors")
        assert "content/" + article.name in page.inner_text("#gloss-errors")
        assert page.is_visible("#gloss-errors")
        edit(article, "+++\ntitle title", "+++\ntitle")
        page.wait_for_selector("#gloss-errors", state="detached")
        assert "The long delay" in page.inner_text("main")
    finally:
        preview.stop()
