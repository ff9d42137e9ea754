"""Shared fixtures: small whole sites written into a temp folder, and a real Chromium."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from generator.build import build

# Hypothesis on a busy machine: no per-example deadline and no "too slow to generate" failure, since both
# measure the machine's load rather than the code (tools/stress-test.sh runs the suite under stress-ng).
settings.register_profile("patient", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("patient")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# How long a browser test waits for a condition (a note visible, an element focused) before failing. Tests
# wait for conditions, never for fixed times, so this bound costs nothing when things are quick; it is
# generous because the suite must pass on a busy 2-core machine (tools/stress-test.sh runs it under load).
PATIENCE_MS = 20_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(config, items) -> None:
    """A test that needs the quality gates' tools (Java, npm) is a browser-part test too, so that
    `pytest -m "not browser"` needs neither."""
    for item in items:
        if item.get_closest_marker("gates") and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


def pytest_configure(config) -> None:
    try:
        from playwright.sync_api import expect
    except ImportError:
        return
    expect.set_options(timeout=PATIENCE_MS)


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
        new_context = chromium.new_context

        def patient_context(*args, **options):
            context = new_context(*args, **options)
            context.set_default_timeout(PATIENCE_MS)
            return context

        chromium.new_context = patient_context  # every context a test makes waits as long as PATIENCE_MS
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
