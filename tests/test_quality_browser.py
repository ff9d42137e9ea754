"""Quality gates in Chromium, on the bundled edition and the fixture edition: axe-core's WCAG 2.1 A/AA rules
on every kind of page (light and dark, 375 and 1280 px, with a note open too), and what axe cannot see:
WCAG 1.4.13 for notes, a keyboard-only walk through whole articles, visible focus, a touch walk on a phone,
and where notes sit in the reading order.

The note behaviour itself is tested on small sites in test_notes_browser.py; these are the edition-wide
walks. One browser for all (the session fixture), pages over loopback HTTP (and base_url routed to the
build, so 404.html's absolute links load too).
"""

from __future__ import annotations

import re

import pytest
from conftest import pause_clock
from quality_site import (
    EDITIONS,
    HANDOUT_MISSING,
    Edition,
    axe_source,
    edition,
    route_base_url,
    run_axe,
    served,
)

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = pytest.mark.browser

POPUP = ".note-popup"
BODY_TRIGGERS = ".article-body :is(a.mention[data-note], a.note-ref[data-note])"


def address(ed: Edition, rel: str) -> str:
    """Where a page is read: under base_url (routed to the build) when the edition has one, else loopback."""
    return (ed.base_url or served(ed).url) + rel


def open_context(browser, ed: Edition, **options):
    context = browser.new_context(bypass_csp=True, **options)  # bypass: axe is injected into the page
    route_base_url(context, ed)
    return context


def watch(page) -> list[str]:
    """Script errors and failed loads on the page (none may happen)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda request: errors.append(f"failed to load {request.url}"))
    return errors


def open_a_note(page, selector: str, how: str) -> bool:
    """Open the first note of `selector` by focus or hover; False when the page has none."""
    trigger = page.locator(selector).first
    if not page.locator(selector).count():
        return False
    if how == "focus":
        trigger.focus()
    else:
        page.mouse.move(0, 0)
        trigger.hover()
    expect(page.locator(POPUP)).to_have_count(1)
    return True


# ------------------------------------------------------------------------------------------------ axe


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", EDITIONS)
def test_axe_finds_no_wcag_violation_on_any_kind_of_page(name, scheme, width, browser, tmp_path_factory) -> None:
    ed = edition(name, tmp_path_factory)
    source = axe_source()
    context = open_context(browser, ed, viewport={"width": width, "height": 900}, color_scheme=scheme)
    context.add_init_script(source)  # in every page before it loads: no injection per page
    page = context.new_page()
    errors = watch(page)
    found: list[str] = []
    pages = {label: address(ed, rel) for label, rel in ed.kinds().items()}
    if ed.handout:
        pages["handout"] = ed.handout.as_uri()
    try:
        for label, url in pages.items():
            page.goto(url)
            found += [f"{label} ({url.rsplit('/', 1)[-1]}): {v}" for v in run_axe(page, source)]
            # With a note open (an entity note by focus, a passage note by hover): the note and its mention;
            # the rest of the page is as checked above.
            for selector, how in (("main a.mention[data-note]", "focus"), ("main a.note-ref[data-note]", "hover")):
                if page.evaluate("s => !!document.querySelector(s)", selector) and open_a_note(page, selector, how):
                    found += [f"{label}, {how} note open: {v}"
                              for v in run_axe(page, source, only=['[aria-expanded="true"]', POPUP])]
                    page.keyboard.press("Escape")
    finally:
        context.close()
    assert found == [], f"{scheme}, {width} px:\n" + "\n".join(found)
    assert errors == []


def test_axe_fails_on_a_page_with_violations(browser, tmp_path) -> None:
    """The axe gate can fail: an image without alt text and grey-on-grey text are reported."""
    page_file = tmp_path / "bad.html"
    page_file.write_text('<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>'
                         '<img src="x.png"><p style="color:#999;background:#aaa">faint</p></main></body></html>',
                         encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        found = " ".join(run_axe(page, axe_source()))
    finally:
        page.close()
    assert "image-alt" in found and "color-contrast" in found, found


def test_the_handout_is_among_the_pages_checked(tmp_path_factory) -> None:
    ed = edition("bundled", tmp_path_factory)
    if ed.handout is None:
        pytest.skip(HANDOUT_MISSING)
    assert ed.handout.is_file() and ed.handout in ed.pages


# ------------------------------------------------------------------------------------- WCAG 1.4.13


def triggers_of_each_kind(page) -> list[str]:
    """A CSS selector for the first noted trigger of each kind in the article body: one per data-kind,
    and a passage-note number."""
    return page.evaluate("""sel => {
        const seen = new Map();
        for (const t of document.querySelectorAll(sel)) {
            const kind = t.classList.contains('note-ref') ? 'passage' : t.dataset.kind;
            if (!seen.has(kind)) seen.set(kind, t);
        }
        return [...seen.values()].map((t, i) => { t.dataset.quality = 'k' + i; return `[data-quality="k${i}"]`; });
    }""", BODY_TRIGGERS)


QUIET_SPOT = """el => {
    const r = el.getBoundingClientRect();
    for (let y = r.top + 4; y < r.bottom - 2; y += 6) for (let x = r.left + 4; x < r.right - 2; x += 10) {
        const hit = document.elementFromPoint(x, y);
        if (hit && el.contains(hit) && !hit.closest('a')) return [x, y];
    }
    return null;
}"""


@pytest.mark.parametrize("name", EDITIONS)
def test_notes_are_hoverable_persistent_and_dismissable(name, browser, tmp_path_factory) -> None:
    """WCAG 1.4.13 for a note of every kind: it opens on hover; the pointer can move onto it; it stays open
    (5 s on a fake clock) while the pointer rests on the mention or on the note; Esc closes it without the
    pointer or the focus moving."""
    ed = edition(name, tmp_path_factory)
    article = [rel for label, rel in ed.kinds().items() if label.startswith("article")][0]
    context = open_context(browser, ed, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = watch(page)
    page.clock.install()
    page.goto(address(ed, article))
    pause_clock(page)  # from here only run_for moves the page's time
    selectors = triggers_of_each_kind(page)
    assert len(selectors) >= 3, selectors
    try:
        for selector in selectors:
            for rest_on in ("mention", "note"):
                trigger = page.locator(selector)
                trigger.scroll_into_view_if_needed()
                page.mouse.move(2, 2)
                page.clock.run_for(400)
                expect(page.locator(POPUP)).to_have_count(0)
                box = trigger.bounding_box()
                page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2, steps=3)
                page.clock.run_for(200)
                popup = page.locator(f"{selector} + {POPUP}")
                expect(popup, f"{selector}: hover opens the note").to_be_visible()
                if rest_on == "note":  # hoverable: cross to the note, onto its text (a link there opens a note)
                    spot = popup.evaluate(QUIET_SPOT)
                    assert spot, f"{selector}: the note is all links"
                    page.mouse.move(*spot, steps=8)
                page.clock.run_for(5000)
                expect(popup, f"{selector}: still open after 5 s on the {rest_on}").to_be_visible()
                focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
                page.keyboard.press("Escape")
                expect(popup, f"{selector}: Esc closes the note").to_have_count(0)
                assert page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)") == focused
                page.clock.run_for(1000)
                # (Once the note is gone the pointer may rest on another mention, whose note may open.)
                expect(popup, f"{selector}: stays closed while the pointer rests on the {rest_on}").to_have_count(0)
                page.mouse.move(2, 2)
                page.keyboard.press("Escape")
    finally:
        context.close()
    assert errors == []


# --------------------------------------------------------------------------------- keyboard and focus

RECORDER = """() => {
    window.__walk = [];
    const describe = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
        + ' ' + JSON.stringify((el.textContent || '').trim().slice(0, 40));
    const ring = s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.textDecorationLine,
                       s.backgroundColor].join('|');
    const visible = s => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    document.addEventListener('focusin', e => {
        const el = e.target, s = getComputedStyle(el);
        if (window.__walk.some(w => w.end)) return;
        if (el.dataset.walk === '0') {  // round to the first again
            window.__walk.push({end: true, what: 'the first element again', ring: '', visible: true, trigger: false,
                                opened: false, note: '', inPopup: false});
            return;
        }
        const trigger = el.matches('a.mention[data-note], a.note-ref[data-note]')
            && !!document.getElementById(el.dataset.note);
        const popup = el.nextElementSibling;
        const opened = trigger && !!popup && popup.matches('.note-popup') && popup.getClientRects().length > 0
            && el.getAttribute('aria-controls') === popup.id;
        el.dataset.walk = window.__walk.length;
        window.__walk.push({what: describe(el), ring: ring(s), visible: visible(s), trigger, opened,
                            note: trigger ? el.dataset.note : '', inPopup: !!el.closest('.note-popup'),
                            end: false});
    });
}"""

UNFOCUSED = """() => {
    const ring = s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.textDecorationLine,
                       s.backgroundColor].join('|');
    document.activeElement.blur();
    return [...document.querySelectorAll('[data-walk]')].map(el => [+el.dataset.walk, ring(getComputedStyle(el))]);
}"""


def keyboard_walk(page, limit: int = 3000) -> list[dict]:
    """Press Tab from the top of the page until focus has been everywhere (it leaves the page or comes
    round to the first element again); what each Tab focused."""
    page.evaluate(RECORDER)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if presses % 25 == 0 and page.evaluate(
                "() => window.__walk.some(w => w.end) || (window.__walk.length > 0 && document.activeElement === document.body)"):
            break
    else:
        raise AssertionError(f"{limit} presses of Tab never came round to the top (a keyboard trap?)")
    return page.evaluate("() => window.__walk")


def focus_problems(page, walk: list[dict]) -> list[str]:
    """Elements whose focus is not visible: no outline of 2 px or more, no box-shadow, or a look that does
    not change when focus leaves them."""
    problems = [f"{w['what']}: no visible focus indicator ({w['ring']})" for w in walk if not w["visible"]]
    for index, unfocused in page.evaluate(UNFOCUSED):
        if walk[index]["ring"] == unfocused:
            problems.append(f"{walk[index]['what']}: looks the same focused and unfocused")
    return sorted(set(problems))


@pytest.mark.parametrize("name", EDITIONS)
def test_keyboard_walk_reaches_every_note_with_visible_focus(name, browser, tmp_path_factory) -> None:
    """Tab from the top of each representative article to the footer: every noted mention and passage
    number in the text is reached and shows its note right after it, and every focused element shows
    where focus is."""
    ed = edition(name, tmp_path_factory)
    context = open_context(browser, ed, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = watch(page)
    problems: list[str] = []
    try:
        for label, rel in ed.kinds().items():
            if not label.startswith("article"):
                continue
            page.goto(address(ed, rel))
            wanted = set(page.evaluate("s => [...document.querySelectorAll(s)].map(t => t.dataset.note)", BODY_TRIGGERS))
            walk = keyboard_walk(page)
            reached = {w["note"] for w in walk if w["trigger"] and w["opened"] and not w["inPopup"]}
            closed = [w["what"] for w in walk if w["trigger"] and not w["opened"]]
            problems += [f"{rel}: Tab never opened note {n}" for n in sorted(wanted - reached)]
            problems += [f"{rel}: focus on {what} left its note closed" for what in closed]
            problems += [f"{rel}: {p}" for p in focus_problems(page, walk)]
    finally:
        context.close()
    assert problems == [], "\n".join(problems[:40])
    assert errors == []


@pytest.mark.parametrize("name", EDITIONS)
def test_focus_is_visible_on_every_other_kind_of_page(name, browser, tmp_path_factory) -> None:
    ed = edition(name, tmp_path_factory)
    context = open_context(browser, ed, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    try:
        for label, rel in ed.kinds().items():
            if label.startswith("article"):
                continue
            page.goto(address(ed, rel))
            walk = keyboard_walk(page)
            assert len(walk) > 3, f"{label}: Tab reached almost nothing"
            problems += [f"{label}: {p}" for p in focus_problems(page, walk)]
    finally:
        context.close()
    assert problems == [], "\n".join(problems[:40])


# ------------------------------------------------------------------------------------------ touch


# A spot with nothing to activate within 24 px (a tap is a finger: the browser snaps it to a link nearby).
FREE_SPOT = """() => {
    const w = document.documentElement.clientWidth, h = document.documentElement.clientHeight;
    const free = (x, y) => { const el = document.elementFromPoint(x, y);
                             return el && !el.closest('a, button, input, .note-popup, summary'); };
    for (let y = h - 40; y > 40; y -= 17) for (let x = 30; x < w - 30; x += 23) {
        let ok = true;
        for (let dy = -24; dy <= 24 && ok; dy += 8) for (let dx = -24; dx <= 24 && ok; dx += 8) ok = free(x + dx, y + dy);
        if (ok) return [x, y];
    }
    return null;
}"""


# Scroll trigger number i to the middle of the screen; the middle of its first line (a mention that wraps
# has no text in the middle of its box), and its text.
AIM = """i => {
    const t = document.querySelector(`[data-tap="${i}"]`);
    t.scrollIntoView({block: 'center'});
    const r = t.getClientRects()[0];
    return [r.x + r.width / 2, r.y + r.height / 2, t.textContent.trim()];
}"""
# Once trigger i's note is open: where it is, the viewport, and a free spot to tap next.
OPENED = """i => {
    const t = document.querySelector(`[data-tap="${i}"]`), popup = t.nextElementSibling;
    if (!popup || !popup.matches('.note-popup')) return null;
    const r = popup.getBoundingClientRect();
    return {box: [r.left, r.top, r.right, r.bottom],
            view: [document.documentElement.clientWidth, document.documentElement.clientHeight],
            spot: (FREE_SPOT)()};
}""".replace("FREE_SPOT", FREE_SPOT)


@pytest.mark.parametrize("name", EDITIONS)
def test_touch_walk_on_a_phone(name, browser, tmp_path_factory) -> None:
    """On a 375 px phone, tap each noted mention and passage number of an article: its note opens (the page
    stays), inside the viewport; a tap elsewhere closes it."""
    ed = edition(name, tmp_path_factory)
    article = [rel for label, rel in ed.kinds().items() if label.startswith("article")][0]
    context = open_context(browser, ed, viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True,
                           device_scale_factor=2, reduced_motion="reduce")
    page = context.new_page()
    errors = watch(page)
    page.goto(address(ed, article))
    url = page.url
    count = page.evaluate("""s => [...document.querySelectorAll(s)].map((t, i) => t.dataset.tap = i).length""",
                          BODY_TRIGGERS)
    assert count > 5
    problems: list[str] = []
    try:
        for index in range(count):
            x, y, what = page.evaluate(AIM, index)
            page.touchscreen.tap(x, y)
            try:
                state = page.wait_for_function(OPENED, arg=index).json_value()
            except Exception:  # noqa: BLE001 - reported below with what was tapped
                raise AssertionError(f"a tap on {what!r} did not open its note (page: {page.url})") from None
            assert page.url == url, f"the first tap on {what!r} navigated"
            left, top, right, bottom = state["box"]
            if left < 0 or top < 0 or right > state["view"][0] + 0.5 or bottom > state["view"][1] + 0.5:
                problems.append(f"the note of {what!r} leaves the {state['view']} viewport: {state['box']}")
            assert state["spot"], "no free spot to tap"
            page.touchscreen.tap(*state["spot"])
            page.wait_for_function("() => !document.querySelector('.note-popup')")
            assert page.url == url, f"the tap beside the note of {what!r} navigated"
    finally:
        context.close()
    assert problems == [], "\n".join(problems[:30])
    assert errors == []


# ------------------------------------------------------------------------------------ reading order


def next_sibling_in_tree(snapshot: str, name: str) -> str:
    """In an ARIA snapshot (YAML-like, two spaces a level), what comes after the expanded link `name` at
    its own level: the node a screen reader reads next once the link's own content is read."""
    lines = snapshot.splitlines()
    at = next(i for i, line in enumerate(lines)
              if line.lstrip().startswith("- link") and "[expanded]" in line and name.split()[0] in line)
    depth = len(lines[at]) - len(lines[at].lstrip())
    for line in lines[at + 1:]:
        indent = len(line) - len(line.lstrip())
        if indent <= depth:
            return line.strip() if indent == depth else ""
    return ""


@pytest.mark.parametrize("name", EDITIONS)
def test_closed_notes_are_not_read_inside_sentences_and_an_open_one_follows_its_mention(
        name, browser, tmp_path_factory) -> None:
    """A screen reader reads the text without the notes (they are listed after it, the nested ones hidden);
    an opened note is in the accessibility tree right after its mention, inside the same paragraph."""
    ed = edition(name, tmp_path_factory)
    article = [rel for label, rel in ed.kinds().items() if label.startswith("article")][0]
    context = open_context(browser, ed, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(address(ed, article))
    try:
        layout = page.evaluate("""() => {
            const body = document.querySelector('.article-body');
            const notes = document.querySelector('.endnotes');
            const store = document.querySelector('.note-store');
            return {inside: body.querySelectorAll('.note, .note-popup, .note-text').length,
                    after: !notes || !!(body.compareDocumentPosition(notes) & Node.DOCUMENT_POSITION_FOLLOWING),
                    storeHidden: !store || (store.hidden && getComputedStyle(store).display === 'none')};
        }""")
        assert layout == {"inside": 0, "after": True, "storeHidden": True}, layout
        closed = page.locator(".article-body").aria_snapshot()
        assert not re.search(r"^\s*- group\b", closed, re.M), "a note is read inside the text while closed"
        for selector in triggers_of_each_kind(page):
            trigger = page.locator(selector)
            name_ = trigger.inner_text().strip()
            block = trigger.locator("xpath=ancestor::*[self::p or self::li or self::figcaption][1]")
            before = block.aria_snapshot()
            trigger.focus()
            expect(page.locator(f"{selector} + {POPUP}")).to_have_count(1)
            following = next_sibling_in_tree(block.aria_snapshot(), name_)
            assert following.startswith("- group"), (f"{selector}: the note is not read right after {name_!r} "
                                                      f"but {following!r}")
            page.keyboard.press("Escape")
            expect(page.locator(POPUP)).to_have_count(0)
            assert block.aria_snapshot() == before, f"{selector}: closing the note left the paragraph changed"
    finally:
        context.close()


# ------------------------------------------------------------------------------------------- layout


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", EDITIONS)
def test_paragraph_numbers_share_one_gutter(name, width, browser, tmp_path_factory) -> None:
    """The ¶ numbers of paragraphs, list items and quoted paragraphs line up (seen in the screenshots:
    a quote's number sat a gutter further out, a list's numbers inside it)."""
    ed = edition(name, tmp_path_factory)
    context = open_context(browser, ed, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for label, rel in ed.kinds().items():
            if label.startswith("article"):
                page.goto(address(ed, rel))
                edges = page.evaluate("""() => [...document.querySelectorAll('.article-body .pnum')]
                    .map(a => [a.textContent, Math.round(a.getBoundingClientRect().right)])""")
                assert len({right for _, right in edges}) == 1, f"{rel} at {width} px: {edges}"
                assert all(right > 0 for _, right in edges), f"{rel}: numbers outside the page: {edges}"
    finally:
        context.close()
