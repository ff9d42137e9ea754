"""Hover notes in the reader's browser (issue 3, point 4): mouse, keyboard, touch, placement, nesting,
reduced motion, no JavaScript, the disclosure pattern and contrast — in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.build import build
from tests.conftest import parse_site, pause_clock, write_site

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent

# A small edition: entities of every kind, a summary with [[ref]]s (one to an entity the article never
# names, so its note lives only in the hidden store), and a passage note.
SITE = """
-- site.toml --
title = "Notes test"
-- content/alpha.md --
+++
title = "Alpha"
order = 1
+++
Ada Lovelace met Charles Babbage in London.

The engine was shown at the Royal Society in the year of the Great Exhibition.

A misspelling: Babbadge wrote it.
-- content/beta.md --
+++
title = "Beta"
order = 2
+++
| Year | What happened in the year that made the engines famous | Where it happened |
|------|---------------------------------------------------------|-------------------|
| 1851 | The Great Exhibition opened to visitors from every country of the world | Hyde_Park_(London)_Crystal_Palace |

Charles Babbage lived in London.
-- annotations/people/ada-lovelace.md --
+++
name = "Ada Lovelace"
summary = "Mathematician; worked with [[charles-babbage|Babbage]], daughter of [[lord-byron|the poet]]."
born = 1815-12-10
died = 1852-11-27
+++
She wrote the first published program, for the engine [[charles-babbage|Babbage]] designed.
-- annotations/people/charles-babbage.md --
+++
name = "Charles Babbage"
summary = "Mathematician and inventor of the Difference Engine; friend of [[ada-lovelace|Lovelace]], fellow of the [[royal-society]]."
born = 1791-12-26
+++
-- annotations/people/lord-byron.md --
+++
name = "Lord Byron"
summary = "Poet; father of Ada Lovelace."
+++
-- annotations/institutions/royal-society.md --
+++
name = "Royal Society"
summary = "A learned society in London, founded in 1660."
+++
-- annotations/events/great-exhibition.md --
+++
name = "Great Exhibition"
date = 1851-05-01
end = 1851-10-15
summary = "An international exhibition in Hyde Park."
+++
-- annotations/places/london.md --
+++
name = "London"
summary = "Capital of the United Kingdom."
+++
-- annotations/notes/alpha.toml --
[[note]]
exact = "Babbadge"
body = "Sic in the source: the name is Babbage."
"""

ADA = "#p1 > a.mention[data-note='note-ada-lovelace']"
LONDON = "#p1 > a.mention[data-kind='place']"
POPUP = ".note-popup"


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """The fixture edition, built once for this file (the tests only read it)."""
    root = write_site(tmp_path_factory.mktemp("notes") / "site", parse_site(SITE))
    output = build(root / "site.toml").output
    assert output is not None
    return output


@pytest.fixture
def article(edition) -> str:
    """The fixture edition's first article as a file:// URL."""
    return (edition / "alpha.html").as_uri()


@pytest.fixture
def new_page(browser):
    """new_page(**context_options) -> a page in a fresh context; errors collected in page.errors."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
        return page

    yield make
    for context in contexts:
        context.close()


def controlled(page, mention):
    """The popup an open note's mention names with aria-controls (waiting for it to open)."""
    expect(mention).to_have_attribute("aria-controls", re.compile(r"\S"))
    return page.locator(f"[id='{mention.get_attribute('aria-controls')}']")


def centre(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def inside_viewport(page, popup) -> None:
    """Assert the popup's whole box lies inside the viewport."""
    box = popup.bounding_box()
    width, height = page.evaluate("[document.documentElement.clientWidth, window.innerHeight]")
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5, (box, width, height)


def next_frames(page) -> None:
    """Wait for two animation frames: whatever an event handler scheduled has been drawn."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


# ---------------------------------------------------------------- mouse


def test_hover_opens_note_which_stays_open_while_pointer_rests_on_it(new_page, article):
    page = new_page()
    page.clock.install()
    page.goto(article)
    pause_clock(page)  # from here only run_for moves the page's time
    mention = page.locator(ADA)
    expect(mention).to_have_attribute("aria-expanded", "false")
    mention.hover()
    page.clock.run_for(500)  # within half a second of the page's own time, however busy the machine
    expect(page.locator(f"{ADA} + {POPUP}")).to_be_visible()
    popup = controlled(page, mention)
    expect(mention).to_have_attribute("aria-expanded", "true")
    expect(popup).to_contain_text("Ada Lovelace")
    expect(popup).to_contain_text("Person")
    expect(popup).to_contain_text("1815")
    # Cross the gap onto the note and rest there: no timer may close it.
    page.mouse.move(*centre(popup.bounding_box()), steps=6)
    page.clock.run_for(5000)
    expect(popup).to_be_visible()
    popup.locator("a.note-more").click()
    page.wait_for_url("**/people/ada-lovelace.html")
    assert page.errors == []


def test_leaving_mention_and_note_closes_it(page, article):
    page.goto(article)
    mention = page.locator(ADA)
    mention.hover()
    expect(page.locator(f"{ADA} + {POPUP}")).to_be_visible()
    popup = controlled(page, mention)
    page.mouse.move(*centre(popup.bounding_box()), steps=4)
    page.mouse.move(1200, 880, steps=4)
    expect(page.locator(POPUP)).to_have_count(0)
    expect(mention).to_have_attribute("aria-expanded", "false")
    # Straight from the mention to elsewhere, too.
    mention.hover()
    expect(page.locator(POPUP)).to_have_count(1)
    page.mouse.move(1200, 880)
    expect(page.locator(POPUP)).to_have_count(0)


def test_escape_closes_a_hovered_note_without_moving_focus_or_pointer(page, article):
    page.clock.install()
    page.goto(article)
    page.locator("h1").click()  # the pointer rests elsewhere first, and focus is on the body
    mention = page.locator(ADA)
    mention.hover()
    expect(page.locator(POPUP)).to_be_visible()
    focused_before = page.evaluate("document.activeElement.tagName")
    page.keyboard.press("Escape")
    expect(page.locator(POPUP)).to_have_count(0)
    assert page.evaluate("document.activeElement.tagName") == focused_before
    # The pointer is still on the mention and the note stays dismissed until the pointer moves off and back.
    assert page.locator(ADA).evaluate("m => m.matches(':hover')")
    page.clock.run_for(400)  # the page's own time: no timer may bring it back
    expect(page.locator(POPUP)).to_have_count(0)
    page.mouse.move(5, 5)
    mention.hover()
    expect(page.locator(POPUP)).to_have_count(1)


# ---------------------------------------------------------------- keyboard


def test_keyboard_tab_opens_tab_enters_escape_returns(page, article):
    page.goto(article)
    page.locator("#p1 .pnum").focus()
    page.keyboard.press("Tab")
    mention = page.locator(ADA)
    expect(mention).to_be_focused()
    popup = controlled(page, mention)
    expect(popup).to_be_visible()
    expect(mention).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(popup.locator("a.note-name")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(POPUP)).to_have_count(0)
    expect(mention).to_be_focused()
    expect(mention).to_have_attribute("aria-expanded", "false")
    assert mention.get_attribute("aria-controls") is None


def test_keyboard_tab_past_the_note_closes_it_and_opens_the_next(page, article):
    page.goto(article)
    page.locator("#p1 .pnum").focus()
    page.keyboard.press("Tab")
    popup = controlled(page, page.locator(ADA))
    expect(popup).to_be_visible()
    babbage = page.locator("#p1 > a.mention[data-note='note-charles-babbage']")
    stops = []  # each Tab goes through the note's links (and nested notes' links) before leaving it
    while len(stops) < 20 and not babbage.evaluate("b => b === document.activeElement"):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.className"))
    assert stops[:2] == ["note-name", "mention"] and "note-more" in stops, stops
    expect(babbage).to_be_focused()
    expect(page.locator(POPUP)).to_have_count(1)
    expect(controlled(page, babbage)).to_contain_text("Difference Engine")
    page.keyboard.press("Shift+Tab")
    # Back into Ada's note? No: Shift+Tab from Babbage goes to the link before it, which is Ada's mention.
    expect(page.locator(ADA)).to_be_focused()
    expect(page.locator(POPUP)).to_have_count(1)


def test_enter_follows_the_mention_link(page, article):
    page.goto(article)
    page.locator("#p1 .pnum").focus()
    page.keyboard.press("Tab")
    expect(page.locator(POPUP)).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/people/ada-lovelace.html")


# ---------------------------------------------------------------- touch


def test_touch_tap_opens_second_tap_follows_elsewhere_closes(new_page, article):
    page = new_page(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page.goto(article)
    mention = page.locator(ADA)
    mention.tap()
    popup = controlled(page, mention)
    expect(popup).to_be_visible()
    assert page.url == article
    # Tapping elsewhere closes it.
    page.locator("h1").tap()
    expect(page.locator(POPUP)).to_have_count(0)
    assert page.url == article
    # A second tap on the mention follows its link.
    mention.tap()
    expect(controlled(page, mention)).to_be_visible()
    mention.tap()
    page.wait_for_url("**/people/ada-lovelace.html")
    # The note's own link goes to the entity page too.
    page.goto(article)
    mention = page.locator(LONDON)
    mention.tap()
    popup = controlled(page, mention)
    expect(popup).to_be_visible()
    popup.locator("a.note-more").tap()
    page.wait_for_url("**/places/london.html")
    assert page.errors == []


def test_touch_tap_on_a_cross_reference_opens_a_nested_note(new_page, article):
    page = new_page(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page.goto(article)
    page.locator(ADA).tap()
    outer = controlled(page, page.locator(ADA))
    inner_mention = outer.locator("a.mention[data-note='note-charles-babbage']")
    inner_mention.tap()
    inner = controlled(page, inner_mention)
    expect(inner).to_be_visible()
    expect(outer).to_be_visible()
    assert page.url == article
    # A tap inside the outer note but outside the inner one closes only the inner one.
    box = outer.bounding_box()
    outer.tap(position={"x": box["width"] - 3, "y": 3})
    expect(page.locator(POPUP)).to_have_count(1)
    expect(outer).to_be_visible()


def test_touch_tap_on_passage_note_number_opens_it(new_page, article):
    page = new_page(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page.goto(article)
    ref = page.locator("a.note-ref")
    ref.tap()
    expect(controlled(page, ref)).to_contain_text("Sic in the source")
    assert page.url == article


# ---------------------------------------------------------------- placement


@pytest.mark.parametrize("width", [320, 1280])
def test_note_stays_inside_viewport_near_every_edge(new_page, article, width):
    page = new_page(viewport={"width": width, "height": 640})
    page.goto(article)
    mention = page.locator(LONDON)
    spots = {
        "top left": "left: 0; top: 0",
        "top right": "right: 0; top: 0",
        "bottom left": "left: 0; bottom: 0",
        "bottom right": "right: 0; bottom: 0",
        "middle right": "right: 2px; top: 300px",
    }
    for where, css in spots.items():
        page.keyboard.press("Escape")
        expect(page.locator(POPUP)).to_have_count(0)
        mention.evaluate("(m, css) => m.style.cssText = 'position: fixed; z-index: 30; ' + css", css)
        mention.hover()
        popup = controlled(page, mention)
        expect(popup).to_be_visible()
        try:
            inside_viewport(page, popup)
        except AssertionError as error:
            raise AssertionError(f"{where} at {width}px: {error}") from None
    assert page.errors == []


def test_every_note_fits_at_320px(new_page, article):
    page = new_page(viewport={"width": 320, "height": 568})
    page.goto(article)
    triggers = page.locator(".article-body > p > a[data-note]")
    assert triggers.count() == 6
    for i in range(triggers.count()):
        trigger = triggers.nth(i)
        trigger.scroll_into_view_if_needed()
        trigger.focus()
        popup = controlled(page, trigger)
        expect(popup).to_be_visible()
        inside_viewport(page, popup)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("table_style", ["", "position: relative"])
def test_note_in_a_scrolling_table_is_not_clipped(new_page, edition, table_style):
    """The default theme's wide tables scroll sideways; a theme that also positions them would clip an
    absolutely placed note, so the note is then placed against the viewport."""
    page = new_page(viewport={"width": 320, "height": 568})
    page.goto((edition / "beta.html").as_uri())
    table = page.locator(".article-body table")
    table.evaluate("(t, css) => t.style.cssText = css", table_style)
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # the table scrolls sideways at 320 px
    mention = table.locator("a.mention[data-kind=event]")
    mention.scroll_into_view_if_needed()
    mention.focus()
    popup = controlled(page, mention)
    expect(popup).to_be_visible()
    inside_viewport(page, popup)
    box = popup.bounding_box()
    for fx, fy in ((0.1, 0.1), (0.9, 0.1), (0.5, 0.5), (0.1, 0.9), (0.9, 0.9)):
        x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
        assert popup.evaluate("(p, [x, y]) => p.contains(document.elementFromPoint(x, y))", [x, y]), (fx, fy)
    # Scrolling the table or the page carries the note along with its mention.
    def offset() -> tuple[float, float]:
        return popup.evaluate("""p => {
            const a = p.previousElementSibling.getClientRects()[0], b = p.getBoundingClientRect();
            return [Math.min(Math.max(a.left, 8), innerWidth - b.width - 8) - b.left, b.top - a.top];
        }""")

    assert offset() == pytest.approx((0, offset()[1]), abs=1)
    before = offset()
    table.evaluate("t => t.scrollLeft = 60")
    page.evaluate("window.scrollBy(0, 30)")
    next_frames(page)  # the scroll handlers have run and the page has been laid out again
    assert offset() == pytest.approx(before, abs=1)


def test_a_gloss_on_an_entity_page_opens_notes_too(page, edition):
    page.goto((edition / "people/ada-lovelace.html").as_uri())
    mention = page.locator(".gloss a.mention[data-note]").first
    mention.hover()
    popup = controlled(page, mention)
    expect(popup).to_contain_text("Difference Engine")
    inside_viewport(page, popup)
    assert page.errors == []


# ---------------------------------------------------------------- nesting


def test_cross_reference_in_a_note_opens_its_own_note(page, article):
    page.clock.install()
    page.goto(article)
    # From here only run_for moves the page's time: the pointer crosses from a mention to its note in several
    # moves, and with the clock running, a busy machine could let a close timer fire between two of them.
    pause_clock(page)
    outer_mention = page.locator(ADA)
    outer_mention.hover()
    page.clock.run_for(100)  # the open delay
    outer = controlled(page, outer_mention)
    expect(outer).to_be_visible()
    for target, text in (("note-charles-babbage", "Difference Engine"), ("note-lord-byron", "Poet")):
        inner_mention = outer.locator(f"a.mention[data-note='{target}']")
        page.mouse.move(*centre(outer.bounding_box()), steps=3)
        inner_mention.hover()
        page.clock.run_for(100)
        inner = controlled(page, inner_mention)
        expect(inner).to_be_visible()
        expect(inner).to_contain_text(text)
        expect(outer).to_be_visible()
        page.mouse.move(*centre(inner.bounding_box()), steps=4)
        page.clock.run_for(450)  # longer than the close delay, in the page's own time
        expect(inner).to_be_visible()
        expect(outer).to_be_visible()
        inside_viewport(page, inner)
    page.mouse.move(1200, 880)
    page.clock.run_for(450)
    expect(page.locator(POPUP)).to_have_count(0)


def test_nested_note_by_keyboard_and_escape_one_level_at_a_time(page, article):
    page.goto(article)
    page.locator("#p1 .pnum").focus()
    page.keyboard.press("Tab")  # Ada
    page.keyboard.press("Tab")  # her note's name link
    page.keyboard.press("Tab")  # the cross-reference to Babbage
    outer_mention = page.locator(ADA)
    outer = controlled(page, outer_mention)
    inner_mention = outer.locator("a.mention[data-note='note-charles-babbage']")
    expect(inner_mention).to_be_focused()
    inner = controlled(page, inner_mention)
    expect(inner).to_be_visible()
    expect(page.locator(POPUP)).to_have_count(2)
    page.keyboard.press("Escape")
    expect(page.locator(POPUP)).to_have_count(1)
    expect(inner_mention).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(POPUP)).to_have_count(0)
    expect(outer_mention).to_be_focused()


def test_nesting_stops_after_one_level_and_never_repeats_a_note(page, article):
    """Babbage's note (opened inside Ada's) refers back to Ada and on to the Royal Society: both are plain
    links there, so Tab through the whole article comes out at the end."""
    page.goto(article)
    page.locator(ADA).focus()
    outer = controlled(page, page.locator(ADA))
    inner_mention = outer.locator("a.mention[data-note='note-charles-babbage']")
    inner_mention.focus()
    inner = controlled(page, inner_mention)
    expect(inner).to_contain_text("Lovelace")
    plain = inner.locator("a.mention")
    expect(plain).to_have_count(2)
    for i in range(2):
        assert plain.nth(i).get_attribute("data-note") is None
        assert plain.nth(i).get_attribute("aria-expanded") is None
    plain.first.focus()
    expect(page.locator(POPUP)).to_have_count(2)
    # The whole article by Tab: every note opens and closes, and focus reaches the links after the text.
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.locator("h1").click()
    presses = 0
    while not page.evaluate("!!document.activeElement.closest('.in-this-article')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 40, "Tab never left the article text"


# ---------------------------------------------------------------- motion, no script, ARIA, contrast


def test_reduced_motion_turns_the_animation_off(new_page, article):
    animation = "p => [getComputedStyle(p).animationName, getComputedStyle(p).animationDuration]"
    page = new_page()
    page.goto(article)
    page.locator(ADA).hover()
    name, duration = page.locator(POPUP).evaluate(animation)
    assert name != "none" and duration != "0s"  # the test can tell
    calm = new_page(reduced_motion="reduce")
    calm.goto(article)
    calm.locator(ADA).hover()
    name, duration = calm.locator(POPUP).evaluate(animation)
    assert name == "none" or duration == "0s"


def test_without_javascript_mentions_are_links_and_notes_are_listed(new_page, edition):
    out = edition
    page = new_page(java_script_enabled=False)
    page.goto((out / "alpha.html").as_uri())
    hrefs = page.locator("a.mention").evaluate_all("all => all.map(a => a.href)")
    assert len(hrefs) == 9  # five in the text, two in the notes of Ada Lovelace and of Charles Babbage
    for href in hrefs:
        target = Path(unquote(urlsplit(href).path))
        assert target.is_file(), href
        assert target.is_relative_to(out)
    for note in page.locator(".article-body [data-note]").evaluate_all("all => all.map(a => a.dataset.note)"):
        expect(page.locator(f".endnotes li#{note}")).to_be_visible()
    expect(page.locator(".endnotes li.note")).to_have_count(6)
    page.locator(ADA).hover()
    expect(page.locator(POPUP)).to_have_count(0)
    assert page.locator(ADA).get_attribute("aria-expanded") is None  # no false promise without the script
    page.locator("a.note-ref").click()
    assert urlsplit(page.url).fragment == "pn6"
    page.locator(LONDON).click()
    page.wait_for_url("**/places/london.html")


def test_note_is_a_disclosure_not_a_tooltip(page, article):
    page.goto(article)
    triggers = page.locator("a[data-note]")
    states = triggers.evaluate_all("all => all.map(a => a.getAttribute('aria-expanded'))")
    assert set(states) == {"false"}
    mention = page.locator(ADA)
    mention.focus()
    popup = controlled(page, mention)
    expect(popup).to_be_visible()
    assert popup.get_attribute("role") == "group"
    assert popup.get_attribute("aria-label")
    assert popup.evaluate("(p) => p.previousElementSibling") is not None
    assert popup.evaluate("(p, m) => p.previousElementSibling === m", mention.element_handle())
    expect(page.locator("[role=tooltip]")).to_have_count(0)
    assert mention.get_attribute("aria-describedby") is None
    popup.locator("a.note-name").focus()
    page.keyboard.press("Escape")
    expect(mention).to_be_focused()
    expect(mention).to_have_attribute("aria-expanded", "false")


CONTRAST = """
els => {
  const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  };
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return els.map(el => {
    const bg = background(el), fg = rgba(getComputedStyle(el).color);
    const mix = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
    const [a, b] = [lum(mix), lum(bg)].sort((x, y) => y - x);
    return [el.className || el.tagName, (a + 0.05) / (b + 0.05)];
  });
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_mentions_are_quiet_distinct_and_meet_contrast(new_page, article, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(article)
    mention = page.locator(ADA)
    style = mention.evaluate("m => [getComputedStyle(m).textDecorationLine, getComputedStyle(m).textDecorationStyle]")
    assert style == ["underline", "dotted"]
    # A kind cue that is not colour alone: a different mark after each kind.
    cues = page.locator(".article-body a.mention").evaluate_all(
        "all => Object.fromEntries(all.map(a => [a.dataset.kind, getComputedStyle(a, '::after').content]))")
    assert set(cues) == {"person", "place", "institution", "event"}
    assert all(cue not in ("none", "normal", '""') for cue in cues.values()), cues
    assert len(set(cues.values())) == 4, cues
    mention.hover()
    popup = page.locator(POPUP)
    expect(popup).to_be_visible()
    ratios = page.locator(f"{ADA}, {POPUP}, {POPUP} a, {POPUP} .note-kind, {POPUP} .note-dates").evaluate_all(CONTRAST)
    assert len(ratios) >= 6
    low = [(what, round(ratio, 2)) for what, ratio in ratios if ratio < 4.5]
    assert not low, f"below WCAG AA 4.5:1 in {scheme}: {low}"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(22, 22, 26)") == (scheme == "dark")  # the scheme really switched


# ---------------------------------------------------------------- the bundled edition


EVERY_NOTE_FITS = """() => {
  const misplaced = [];
  const triggers = [...document.querySelectorAll('.article-body a[data-note]')].filter(a => !a.closest('.note-popup'));
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  for (const trigger of triggers) {
    trigger.focus();
    const popup = document.getElementById(trigger.getAttribute('aria-controls'));
    const r = popup ? popup.getBoundingClientRect() : null;
    if (!r || r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) misplaced.push(trigger.textContent);
  }
  return [triggers.length, misplaced];
}"""


def test_bundled_edition_opens_a_note_on_hover_and_every_note_fits(new_page, tmp_path):
    output = build(ROOT / "site.toml", output=tmp_path / "out").output
    articles = sorted(p for p in output.glob("*.html") if p.name not in ("index.html", "404.html"))
    assert articles
    page = new_page()
    page.goto(articles[0].as_uri())
    mention = page.locator(".article-body a.mention[data-note]").first
    mention.hover()
    popup = controlled(page, mention)
    expect(popup).to_be_visible()
    inside_viewport(page, popup)
    assert page.errors == []
    narrow = new_page(viewport={"width": 320, "height": 568})
    narrow.goto(articles[0].as_uri())
    count, misplaced = narrow.evaluate(EVERY_NOTE_FITS)
    assert count >= 20 and misplaced == []
    assert narrow.errors == []
