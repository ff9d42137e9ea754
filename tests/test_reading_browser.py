"""Reading (issue 16) in Chromium: margin notes on wide screens (and their fallbacks), reader settings that
persist from file://, footnotes that open like notes, the key to the kind marks, notes that never cover their
own mention, and text fragments from entity pages. Every wait is for a condition, never a fixed time."""

from __future__ import annotations

from pathlib import Path

import pytest
from quality_site import axe_source, edition, run_axe

from generator.build import build
from tests.conftest import parse_site, write_site

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_ARTICLE = "putin-and-lavrov-rebuff-pompeos-overtures-in-sochi.html"

OVERLAPS = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top + scrollY, r.right, r.bottom + scrollY]; };
  const meet = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  const notes = [...document.querySelectorAll('.margin-note')].map(box);
  const others = [...document.querySelectorAll('.in-this-article, .article-body > p, .article-body li, .endnotes, .prev-next, .site-footer')].map(box);
  const found = [];
  notes.forEach((a, i) => notes.forEach((b, j) => { if (i < j && meet(a, b)) found.push(`notes ${i} and ${j}`); }));
  notes.forEach((a, i) => others.forEach((b, j) => { if (meet(a, b)) found.push(`note ${i} and block ${j}`); }));
  const vw = document.documentElement.clientWidth;
  notes.forEach((a, i) => { if (a[2] > vw || a[0] < 0) found.push(`note ${i} outside the viewport`); });
  return {count: notes.length, found};
}"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    return edition("bundled", tmp_path_factory).output


def new_page(browser, width: int = 1280, height: int = 900, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


@pytest.mark.parametrize("width", [1280, 1600, 1920])
def test_margin_notes_sit_beside_their_lines_without_overlap(width, browser, bundled):
    page = new_page(browser, width)
    try:
        page.goto((bundled / BUNDLED_ARTICLE).as_uri())
        expect(page.locator(".margin-note")).to_have_count(21)
        result = page.evaluate(OVERLAPS)
        assert result == {"count": 21, "found": []}
        # each note is at its mark's line, or below the note before it (never above its line)
        tops = page.evaluate("""() => [...document.querySelectorAll('.article-body a.note-ref[data-in-margin]')].map(
            (ref, i) => [ref.getClientRects()[0].top, document.querySelectorAll('.margin-note')[i].getBoundingClientRect().top])""")
        assert all(note >= line - 1 for line, note in tops)
        assert abs(tops[0][1] - tops[0][0]) <= 2  # the first has nothing above it to push it down
        # the mark opens no popup there: its note is already in view; hovering it marks the note
        page.locator("a.note-ref[data-in-margin]").first.hover()
        expect(page.locator(".margin-note.is-current")).to_have_count(1)
        assert page.locator(".note-popup").count() == 0
        assert page.errors == []
    finally:
        page.context.close()


def test_margin_notes_fall_back_on_narrow_screens_in_print_and_without_javascript(browser, bundled):
    url = (bundled / BUNDLED_ARTICLE).as_uri()
    page = new_page(browser, 1100)
    try:
        page.goto(url)
        page.wait_for_function("() => document.readyState === 'complete'")
        assert page.locator(".margin-note").count() == 0
        page.locator("a.note-ref[data-note]").first.hover()
        expect(page.locator(".note-popup")).to_have_count(1)  # a popup as before
        page.set_viewport_size({"width": 1400, "height": 900})  # wider: the margin fills
        expect(page.locator(".margin-note")).to_have_count(21)
        page.emulate_media(media="print")
        expect(page.locator(".margin-notes")).to_be_hidden()
        expect(page.locator(".endnotes")).to_be_visible()
    finally:
        page.context.close()
    page = new_page(browser, 1600, java_script_enabled=False)
    try:
        page.goto(url)
        assert page.locator(".margin-note").count() == 0
        expect(page.locator(".endnotes li#pn11")).to_be_visible()
        expect(page.locator("[data-gloss-settings]")).to_be_hidden()  # no control that could do nothing
    finally:
        page.context.close()


def test_reader_settings_persist_from_file_and_are_keyboard_reachable(browser, bundled):
    page = new_page(browser, 1280)
    try:
        page.goto((bundled / BUNDLED_ARTICLE).as_uri())
        toggle = page.locator("[data-gloss-settings-toggle]")
        expect(toggle).to_be_visible()
        # from the keyboard: Tab reaches the control (after the skip link, the title and the index links)
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('[data-gloss-settings-toggle]')"):
                break
        assert page.evaluate("() => document.activeElement.matches('[data-gloss-settings-toggle]')")
        page.keyboard.press("Enter")
        panel = page.locator("[data-gloss-settings-panel]")
        expect(panel).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        assert run_axe(page, axe_source()) == []
        page.locator("input[name=gloss-theme][value=dark]").check()
        page.locator("input[name=gloss-notes][value=every]").check()
        page.locator("input[name=gloss-margin][value=off]").check()
        page.locator("input[name=gloss-size][value=xl]").check()
        page.locator("input[name=gloss-size][value=xl]").focus()
        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()
        assert page.evaluate("() => document.activeElement.matches('[data-gloss-settings-toggle]')")
        # at once: dark colours, larger text, no margin notes, a note on a later mention too
        expect(page.locator("body")).to_have_css("background-color", "rgb(22, 22, 26)")
        expect(page.locator(".margin-note")).to_have_count(0)
        # reloaded, and on another page of the edition: the same
        page.reload()
        state = page.evaluate("""() => [document.documentElement.dataset.theme, document.documentElement.dataset.textSize,
            getComputedStyle(document.documentElement).fontSize, document.querySelectorAll('.margin-note').length]""")
        assert state == ["dark", "xl", "20px", 0]
        later = page.locator(".article-body a.mention[href='people/sergei-lavrov.html']").nth(2)
        expect(later).to_have_attribute("data-note", "note-sergei-lavrov")
        later.focus()
        expect(page.locator(".note-popup")).to_have_count(1)
        page.goto((bundled / "people" / "sergei-lavrov.html").as_uri())
        assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(22, 22, 26)"
        # back to first mentions only: the later mention is a plain link again
        page.goto((bundled / BUNDLED_ARTICLE).as_uri())
        page.locator("[data-gloss-settings-toggle]").click()
        page.locator("input[name=gloss-notes][value=first]").check()
        expect(page.locator(".article-body a.mention[href='people/sergei-lavrov.html']").nth(2)).not_to_have_attribute(
            "data-note", "note-sergei-lavrov")
        assert page.errors == []
    finally:
        page.context.close()


FOOTNOTES = """
-- site.toml --
title = "Footnotes"
-- content/alpha.md --
+++
title = "Alpha"
+++
Ada Lovelace wrote the notes.[^1] They were long.[^long]

[^1]: Published in 1843, in Taylor's *Scientific Memoirs*.
[^long]: Longer than the paper they translated.
-- annotations/people/ada-lovelace.md --
+++
name = "Ada Lovelace"
+++
"""


def footnote_site(tmp_path: Path) -> Path:
    root = write_site(tmp_path / "footnotes", parse_site(FOOTNOTES))
    report = build(root / "site.toml")
    assert report.output is not None
    return report.output / "alpha.html"


@pytest.mark.parametrize("how", ["hover", "focus", "tap"])
def test_footnotes_open_like_notes(how, browser, tmp_path):
    url = footnote_site(tmp_path).as_uri()
    options = {"has_touch": True, "is_mobile": True} if how == "tap" else {}
    page = new_page(browser, 375 if how == "tap" else 900, **options)
    try:
        page.goto(url)
        ref = page.locator("a.footnote-link").first
        if how == "hover":
            ref.hover()
        elif how == "focus":
            ref.focus()
        else:
            ref.tap()
        popup = page.locator(".note-popup")
        expect(popup).to_have_count(1)
        expect(popup).to_contain_text("Published in 1843")
        assert popup.locator(".footnote-backref").count() == 0
        assert page.evaluate("() => location.hash") == ""  # it did not jump to the end
        if how == "focus":
            page.keyboard.press("Escape")
            expect(popup).to_have_count(0)
            assert page.evaluate("() => document.activeElement.classList.contains('footnote-link')")
        assert page.errors == []
    finally:
        page.context.close()


def test_footnotes_stay_numbered_endnotes_in_print_and_without_javascript(browser, tmp_path):
    url = footnote_site(tmp_path).as_uri()
    page = new_page(browser, 1280, java_script_enabled=False)
    try:
        page.goto(url)
        page.locator("a.footnote-link").first.click()
        expect(page.locator("#fn1")).to_be_in_viewport()
        page.emulate_media(media="print")
        expect(page.locator("section.footnotes li")).to_have_count(2)
        expect(page.locator("section.footnotes")).to_be_visible()
    finally:
        page.context.close()


def test_footnotes_go_in_the_margin_on_wide_screens(browser, tmp_path):
    page = new_page(browser, 1400)
    try:
        page.goto(footnote_site(tmp_path).as_uri())
        expect(page.locator(".margin-note")).to_have_count(2)
        expect(page.locator(".margin-note").first).to_contain_text("Published in 1843")
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_kind_marks_are_explained_where_first_seen_and_read_out(width, browser, bundled):
    page = new_page(browser, width)
    try:
        page.goto((bundled / BUNDLED_ARTICLE).as_uri())
        key = page.locator(".kind-key")
        expect(key).to_be_visible()
        # above the text: the key comes before the first mention
        assert page.evaluate("""() => document.querySelector('.kind-key').getBoundingClientRect().bottom <=
            document.querySelector('.article-body a.mention[data-note]').getBoundingClientRect().top""")
        marks = page.evaluate("""() => [...document.querySelectorAll('.kind-key-item')].map(i =>
            [getComputedStyle(i.querySelector('.kind-mark'), '::before').content, i.textContent.trim()])""")
        assert sorted(marks) == [['"§"', "Institution"], ['"°"', "Person"], ['"†"', "Event"], ['"‡"', "Place"]]
        # each mark after a name is the key's mark for its kind
        after = page.evaluate("""() => getComputedStyle(document.querySelector('.article-body a.mention[data-kind=institution][data-note]'),
            '::after').content""")
        assert after.startswith('"§"')
        # a screen reader reads the key as text; the mark is not in the mention's name (it would be read as
        # "degree"), the note it opens is announced with the kind in words, right after the mention
        mention = page.locator(".article-body a.mention[data-kind=person][data-note]").first
        expect(mention).to_have_accessible_name(mention.inner_text().strip())
        # and the note names the kind with its mark
        mention.focus()
        head = page.locator(".note-popup .note-kind")
        expect(head).to_have_text("Person")
        name = page.locator(".note-popup .note-name").inner_text().strip()
        expect(page.locator(".note-popup")).to_have_accessible_name(f"{name}, Person")
        assert "°" in page.evaluate(
            "() => getComputedStyle(document.querySelector('.note-popup .note-kind'), '::before').content")
    finally:
        page.context.close()


COVERS = """(trigger) => {
  const popup = document.querySelector('.note-popup');
  if (!popup) return 'no note';
  const p = popup.getBoundingClientRect();
  for (const r of trigger.getClientRects()) {
    if (r.width && p.left < r.right && r.left < p.right && p.top < r.bottom && r.top < p.bottom) return 'covers';
  }
  return 'clear';
}"""


@pytest.mark.parametrize("width", [320, 375, 768, 1280, 1920])
def test_a_note_never_covers_its_own_wrapped_mention(width, browser, tmp_path_factory):
    ed = edition("fixture", tmp_path_factory)
    page = new_page(browser, width, 700)
    try:
        checked = 0
        for article in sorted(ed.output.glob("*.html"))[:6]:
            if article.name in ("index.html", "404.html"):
                continue
            page.goto(article.as_uri())
            # the longest mentions that wrap at this width
            wrapped = page.evaluate("""() => [...document.querySelectorAll('.article-body a.mention[data-note]')]
                .map((m, i) => [m.getClientRects().length, m.textContent.length, i]).filter(x => x[0] > 1)
                .sort((a, b) => b[1] - a[1]).slice(0, 3).map(x => x[2])""")
            for index in wrapped:
                mention = page.locator(".article-body a.mention[data-note]").nth(index)
                for where in ("start", "center", "end"):  # near the top, middle and bottom of the viewport
                    page.keyboard.press("Escape")
                    expect(page.locator(".note-popup")).to_have_count(0)
                    page.evaluate("() => document.activeElement && document.activeElement.blur()")
                    mention.evaluate(f"m => m.scrollIntoView({{block: '{where}'}})")
                    mention.focus()
                    expect(page.locator(".note-popup")).to_have_count(1)
                    assert mention.evaluate(COVERS) == "clear", (article.name, index, where)
                    checked += 1
        assert checked >= 3, "no wrapping mention found"
    finally:
        page.context.close()


def test_mention_rows_open_the_paragraph_at_their_words(browser, bundled):
    page = new_page(browser, 1280, 800)
    try:
        entity = (bundled / "people" / "sergei-lavrov.html").as_uri()
        page.goto(entity)
        rows = page.locator(".mention-place")
        count = rows.count()
        assert count >= 5
        for n in range(count):
            page.goto(entity)
            href = rows.nth(n).get_attribute("href")
            anchor = href.split("#", 1)[1].split(":~:", 1)[0]
            rows.nth(n).click()
            page.wait_for_url(lambda url: BUNDLED_ARTICLE in url)
            page.wait_for_function("id => { const r = document.getElementById(id).getBoundingClientRect(); "
                                   "return r.top < innerHeight && r.bottom > 0; }", arg=anchor)
            # Chromium scrolled to the words (to the middle of the window), not to the top of the ¶
            assert page.evaluate("() => location.hash") == f"#{anchor}"
        # a directive that finds nothing still lands on the ¶ (what browsers without text fragments get from
        # reader.js; Chromium itself strips the directive before a script could see it)
        page.goto((bundled / BUNDLED_ARTICLE).as_uri() + "#p6:~:text=words%20not%20there")
        page.wait_for_function("() => Math.abs(document.getElementById('p6').getBoundingClientRect().top) < 20")
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_settings_panel_opens_on_screen(width, browser, bundled):
    """Seen in the screenshots: on a phone the control wrapped to the left and its panel opened off screen."""
    page = new_page(browser, width, 740, **({"is_mobile": True, "has_touch": True} if width < 600 else {}))
    try:
        page.goto((bundled / BUNDLED_ARTICLE).as_uri())
        page.locator("[data-gloss-settings-toggle]").click()
        panel = page.locator("[data-gloss-settings-panel]")
        expect(panel).to_be_visible()
        left, right = panel.evaluate("p => { const r = p.getBoundingClientRect(); return [r.left, r.right]; }")
        assert left >= 0 and right <= width
        page.mouse.click(width // 2, 730)  # a press elsewhere (below the panel) closes it
        expect(panel).to_be_hidden()
    finally:
        page.context.close()


def test_the_settings_panel_stays_on_screen_with_the_largest_text(browser, bundled):
    page = new_page(browser, 1280, 900)
    try:
        page.goto((bundled / BUNDLED_ARTICLE).as_uri())
        page.evaluate("() => localStorage.setItem('gloss-settings', JSON.stringify({size: 'xl'}))")
        page.reload()
        page.locator("[data-gloss-settings-toggle]").click()
        panel = page.locator("[data-gloss-settings-panel]")
        expect(panel).to_be_visible()
        left, right = panel.evaluate("p => { const r = p.getBoundingClientRect(); return [r.left, r.right]; }")
        assert left >= 0 and right <= 1280
        page.locator("input[name=gloss-size][value=m]").check()
        expect(page.locator("html")).to_have_attribute("data-text-size", "m")
    finally:
        page.context.close()
