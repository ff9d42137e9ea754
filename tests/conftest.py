"""Shared fixtures: small whole sites written into a temp folder, and a real Chromium."""

from __future__ import annotations

import contextlib
import sys
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
PATIENCE_MS = 30_000
PATIENCE_S = PATIENCE_MS / 1000  # the same bound for waits polled from Python (a server, a file)
# --disable-dev-shm-usage: shared memory goes to /tmp, since a container's /dev/shm is often 64 MB and Chromium
# crashes when it runs out ("Target page, context or browser has been closed").
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

# Java options for the validators' short runs (EPUBCheck, the Nu checker): the JIT's first tier only and the
# serial collector take about half the CPU time of the defaults for a run of seconds (measured on EPUBCheck:
# 11.3 s -> 5.2 s of CPU for the bundled EPUB).
JAVA_SHORT_RUN = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


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


def pause_clock(page) -> None:
    """Stop the page's fake clock, so that only page.clock.run_for() moves it. After page.clock.install() the
    fake time still flows with real time until paused: on a busy machine real seconds pass between two steps
    of a test (a pointer crossing to a note in several moves), and a note's close timer fired in them (a
    test_quality_browser failure under load). Call it once the page has loaded; it jumps 60 s ahead."""
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 60)


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


class Chromium:
    """One headless Chromium and its Playwright driver for the whole session, started when a test first asks.

    A browser per test would start ~80 Chromiums (each a dozen processes) and cost seconds apiece; one for
    the session is shared, and each test gets fresh contexts in it. If the browser or its driver has died
    (a crash, or a process killed on a shared machine: "Connection closed while reading from the driver"),
    the next test gets a new one instead of every later test failing with "Target … has been closed".
    """

    def __init__(self) -> None:
        self.playwright = None
        self.browser = None
        self.launches = 0

    def alive(self) -> bool:
        """Whether the browser and its driver still answer: one round trip to each (a CDP session opened and
        closed, a millisecond or two). Browser.is_connected() alone stays true when the driver has died."""
        if self.browser is None or not self.browser.is_connected():
            return False
        try:
            self.browser.new_browser_cdp_session().detach()
        except Exception:
            return False
        return True

    def get(self):
        if self.alive():
            return self.browser
        self.stop()
        api = pytest.importorskip("playwright.sync_api")
        if not Path(CHROMIUM).exists():
            pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or apt-get "
                        "install chromium")
        if self.launches:
            print(f"\nChromium or its driver had died; starting it again (launch {self.launches + 1})",
                  file=sys.stderr)
        self.playwright = api.sync_playwright().start()
        self.launches += 1
        browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                  timeout=PATIENCE_MS * 3)
        new_context = browser.new_context

        def patient_context(*args, **options):
            context = new_context(*args, **options)
            context.set_default_timeout(PATIENCE_MS)
            context.set_default_navigation_timeout(PATIENCE_MS)
            return context

        browser.new_context = patient_context  # every context a test makes waits as long as PATIENCE_MS
        self.browser = browser
        return browser

    def close_contexts(self) -> None:
        """Close what a test left open (a failed assertion skips its own close): open contexts keep their
        renderer processes and memory, and the next tests would share the machine with them."""
        if self.browser is None:
            return
        for context in list(self.browser.contexts):
            with contextlib.suppress(Exception):
                context.close()

    def stop(self) -> None:
        browser, playwright, self.browser, self.playwright = self.browser, self.playwright, None, None
        if browser is not None:
            with contextlib.suppress(Exception):
                browser.close()
        if playwright is not None:
            with contextlib.suppress(Exception):
                playwright.stop()


@pytest.fixture(scope="session")
def chromium_session():
    chromium = Chromium()
    yield chromium
    chromium.stop()


@pytest.fixture
def browser(chromium_session):
    """The session's Chromium (started again if it died); contexts the test leaves open are closed after it."""
    yield chromium_session.get()
    chromium_session.close_contexts()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    yield page
    with contextlib.suppress(Exception):  # (the test has already failed if its browser died under it)
        context.close()
