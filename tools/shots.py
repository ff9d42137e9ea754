#!/usr/bin/env python3
"""Screenshots of every kind of page, to look at (not to compare pixel by pixel): `make shots`.

Builds the bundled edition (or --fixture: the generated fixture edition) into a temp folder and writes
into shots/ (git-ignored): each kind of page at 375, 1280 and 1920 px, light and dark; the article with a note
open, with its margin notes in view (1280 and 1920 px), and with the reading settings open; and each page as
printed (print media, A4 width) plus the article as a PDF.

    python tools/shots.py [--fixture] [--out shots] [--full]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import build  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
A4_WIDTH = 794  # CSS px at 96 dpi


def pages_of(output: Path) -> dict[str, Path]:
    """One page of each kind: {label: file}."""
    pages = {"home": output / "index.html", "404": output / "404.html"}
    articles = sorted(p for p in output.glob("*.html") if p.name not in ("index.html", "404.html"))
    if articles:
        pages["article"] = max(articles, key=lambda p: p.stat().st_size)
    for index in sorted(output.glob("*/index.html")):
        pages[f"index-{index.parent.name}"] = index
    entities = [p for p in output.glob("*/*.html") if p.name != "index.html"]
    if entities:
        pages["entity"] = max(entities, key=lambda p: (p.stat().st_size, p.name))
    return pages


def fixture_site(folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("fixture_edition", ROOT / "tools" / "fixture_edition.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.write_edition(folder / "source") / "site.toml"


def handout(site: Path, folder: Path) -> Path | None:
    """The first article's handout, once `gloss handout` exists."""
    if importlib.util.find_spec("generator.handout") is None:
        return None
    from generator.cli import main

    slug = sorted((site.parent / "content").glob("*.md"))[0].stem
    if main(["handout", "--site", str(site), slug, "--out", str(folder)]) != 0:
        return None
    return folder / f"{slug}.html"


def open_note(page, width: int) -> None:
    """Open the first note of the text the way a reader would: hover at 1280 px, a tap on a phone."""
    trigger = page.locator(".article-body p[id] a.mention[data-note]").nth(1)
    trigger.evaluate("t => t.scrollIntoView({block: 'center'})")
    if width < 600:
        box = trigger.evaluate("t => { const r = t.getClientRects()[0]; return [r.x + r.width / 2, r.y + r.height / 2]; }")
        page.touchscreen.tap(*box)
    else:
        trigger.hover()
    page.wait_for_selector(".note-popup", timeout=5000)
    page.wait_for_timeout(300)


def margin_notes(page) -> None:
    """Scroll to where the first margin notes sit beside their lines."""
    page.locator(".article-body a.note-ref[data-in-margin]").first.evaluate("r => r.scrollIntoView({block: 'start'})")
    page.evaluate("() => scrollBy(0, -120)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", action="store_true", help="the generated fixture edition, not the bundled one")
    parser.add_argument("--out", type=Path, default=ROOT / "shots")
    parser.add_argument("--full", action="store_true", help="whole pages at 1280 and 375 px, not the first screens")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        site = fixture_site(folder) if args.fixture else ROOT / "site.toml"
        output = Path(build(site, output=folder / "build").output)
        pages = pages_of(output)
        sheet = handout(site, folder / "handouts")
        if sheet:
            pages["handout"] = sheet
        written: list[Path] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            phone = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
                     "has_touch": True}
            looks = [(f"{width}{'-dark' if scheme == 'dark' else ''}",
                      (phone if width == 375 else {"viewport": {"width": width, "height": 900}}) | {"color_scheme": scheme})
                     for width in (375, 1280, 1920) for scheme in ("light", "dark")]
            for look, options in looks:
                context = browser.new_context(**options)
                page = context.new_page()
                width = options["viewport"]["width"]
                for label, path in pages.items():
                    page.goto(path.as_uri())
                    page.wait_for_load_state("load")
                    target = out / f"{label}-{look}.png"
                    page.screenshot(path=target, full_page=args.full or width == 375 and label != "article")
                    written.append(target)
                    if label == "article" and page.locator(".margin-note").count():
                        margin_notes(page)
                        target = out / f"{label}-{look}-margin.png"
                        page.screenshot(path=target)
                        written.append(target)
                    if label in ("article", "handout"):
                        open_note(page, width)
                        target = out / f"{label}-{look}-note.png"
                        page.screenshot(path=target)
                        written.append(target)
                    if label == "article" and page.locator("[data-gloss-settings-toggle]").is_visible():
                        page.keyboard.press("Escape")
                        page.evaluate("() => scrollTo(0, 0)")
                        page.locator("[data-gloss-settings-toggle]").click()
                        page.wait_for_selector("[data-gloss-settings-panel]", state="visible")
                        target = out / f"{label}-{look}-settings.png"
                        page.screenshot(path=target)
                        written.append(target)
                context.close()
            context = browser.new_context(viewport={"width": A4_WIDTH, "height": 1123})
            page = context.new_page()
            for label, path in pages.items():
                page.goto(path.as_uri())
                page.emulate_media(media="print")
                target = out / f"{label}-print.png"
                page.screenshot(path=target, full_page=True)
                written.append(target)
                if label == "article":
                    target = out / f"{label}-print.pdf"
                    page.pdf(path=str(target), format="A4", print_background=False, prefer_css_page_size=True)
                    written.append(target)
            context.close()
            browser.close()
    print(f"wrote {len(written)} files into {out}/ — open them and look")


if __name__ == "__main__":
    main()
