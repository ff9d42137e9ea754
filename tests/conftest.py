"""Shared fixtures: small whole sites written into a temp folder, and a real Chromium."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write a site from {relative path: text}; a site.toml with a title is added when missing."""
    files = {"site.toml": 'title = "Test edition"\n', **files}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def parse_site(text: str) -> dict[str, str]:
    """Hugo-style inline site: `-- path --` lines start each file."""
    files: dict[str, str] = {}
    name = None
    for line in textwrap.dedent(text).splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("-- ") and stripped.endswith(" --"):
            name = stripped[3:-3].strip()
            files[name] = ""
        elif name is not None:
            files[name] += line
    return files


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site(text) -> folder: write an inline `-- path --` site into a temp folder."""

    def make(text: str | dict[str, str], folder: str = "site") -> Path:
        files = parse_site(text) if isinstance(text, str) else text
        return write_site(tmp_path / folder, files)

    return make


@pytest.fixture
def built(make_site):
    """built(text) -> build folder: write the inline site and build it."""

    def run(text: str | dict[str, str], **options) -> Path:
        root = make_site(text)
        report = build(root / "site.toml", **options)
        assert report.output is not None
        return report.output

    return run


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or apt-get install chromium")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
