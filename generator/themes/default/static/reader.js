/* Gloss reader settings and margin notes.
 *
 * Loaded in <head> without defer, so the reader's settings (localStorage, which works from file:// too) are on
 * <html> before anything is drawn: data-theme (auto | light | dark), data-notes (first | every mention),
 * data-margin (on | off), data-text-size (s | m | l | xl). The control that changes them is the theme's
 * [data-gloss-settings] block, hidden until this script shows it.
 *
 * Margin notes: on a wide screen (the same breakpoint as gloss.css, 75rem) passage notes and footnotes are shown
 * beside their line, in the margin, each as high as its mark or just below the note before it, so no two
 * overlap. They are a copy for the eye (aria-hidden): the mark still links to the numbered note at the end,
 * which is what screen readers, print and pages without JavaScript get. */
(function () {
  "use strict";
  var KEY = "gloss-settings";
  var DEFAULTS = { theme: "auto", notes: "", margin: "on", size: "m" };   // notes "": as the edition was built
  var CHOICES = { theme: ["auto", "light", "dark"], notes: ["", "first", "every"], margin: ["on", "off"],
                  size: ["s", "m", "l", "xl"] };
  var WIDE = "(min-width: 75rem)";
  var GAP = 8;            // px between margin notes
  var root = document.documentElement;

  function read() {
    var saved = {};
    try { saved = JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { saved = {}; }
    var settings = {};
    for (var name in DEFAULTS) {
      var value = saved[name];
      settings[name] = CHOICES[name].indexOf(value) >= 0 ? value : DEFAULTS[name];
    }
    return settings;
  }

  function save(settings) {
    try { window.localStorage.setItem(KEY, JSON.stringify(settings)); } catch (e) { /* private mode: this page only */ }
  }

  function apply(settings) {
    root.setAttribute("data-theme", settings.theme);
    root.setAttribute("data-margin", settings.margin);
    root.setAttribute("data-text-size", settings.size);
    if (settings.notes) root.setAttribute("data-notes", settings.notes);
    else root.removeAttribute("data-notes");
  }

  var settings = read();
  apply(settings);

  // ---------------------------------------------------------------- notes on first or every mention

  /* The edition was built with notes on the first mention of each entity, or on all: show them as the reader
   * asked. A mention with no note of its own gets its entity's note (the endnote whose name links where the
   * mention does); the later mentions of an entity lose theirs when only the first should have one. */
  var changedMentions = [];
  function noteMentions() {
    for (var i = 0; i < changedMentions.length; i++) {
      var m = changedMentions[i];
      if (m.added) { m.el.removeAttribute("data-note"); m.el.removeAttribute("aria-expanded"); }
      else { m.el.setAttribute("data-note", m.note); m.el.setAttribute("aria-expanded", "false"); }
    }
    changedMentions = [];
    var mode = settings.notes;
    if (mode) changeMentions(mode);
  }

  function changeMentions(mode) {
    var mentions = document.querySelectorAll(".article-body a.mention");
    if (mode === "every") {
      var notes = {};
      var names = document.querySelectorAll(".endnotes li.note[id] .note-name");
      for (var n = 0; n < names.length; n++) notes[names[n].href] = names[n].closest("li.note").id;
      for (var j = 0; j < mentions.length; j++) {
        var el = mentions[j];
        if (el.hasAttribute("data-note") || !notes[el.href]) continue;
        el.setAttribute("data-note", notes[el.href]);
        el.setAttribute("aria-expanded", "false");
        changedMentions.push({ el: el, added: true });
      }
    } else {
      var seen = {};
      for (var k = 0; k < mentions.length; k++) {
        var note = mentions[k].getAttribute("data-note");
        if (!note) continue;
        if (seen[note]) {
          mentions[k].removeAttribute("data-note");
          mentions[k].removeAttribute("aria-expanded");
          changedMentions.push({ el: mentions[k], added: false, note: note });
        }
        seen[note] = true;
      }
    }
  }

  // ---------------------------------------------------------------- margin notes

  var margin = null;      // {box, items: [{ref, note}]} while margin notes are shown
  var frame = 0;

  function marginWanted() {
    return settings.margin === "on" && window.matchMedia && window.matchMedia(WIDE).matches &&
      !!document.querySelector(".article-body");
  }

  function refsWithNotes(body) {
    var found = [];
    var refs = body.querySelectorAll("a.note-ref[data-note], a.note-ref[data-margin-note]");
    for (var i = 0; i < refs.length; i++) {
      var id = refs[i].getAttribute("data-margin-note") || refs[i].getAttribute("data-note");
      var source = document.getElementById(id);
      if (source && !refs[i].closest(".footnotes, .note-popup")) found.push({ ref: refs[i], source: source, id: id });
    }
    return found;
  }

  function copyOf(source, ref) {
    var note = document.createElement("div");
    note.className = "margin-note";
    var number = document.createElement("span");
    number.className = "margin-note-number";
    number.textContent = (ref.textContent || "").replace(/[\[\]\s]/g, "");
    note.appendChild(number);
    for (var child = source.firstElementChild; child; child = child.nextElementSibling) {
      if (child.matches(".note-links")) continue;
      var copy = child.cloneNode(true);
      var drop = copy.querySelectorAll(".note-back, .footnote-backref, [id]");
      for (var i = 0; i < drop.length; i++) {
        if (drop[i].matches(".note-back, .footnote-backref")) drop[i].remove();
        else drop[i].removeAttribute("id");
      }
      copy.className = "margin-note-" + (child.matches(".note-text") ? "text" : "part");  // not a .note-text of the page
      var links = copy.querySelectorAll("a, [data-note]");
      for (var j = 0; j < links.length; j++) {          // a copy for the eye: the focusable original is at the end
        links[j].setAttribute("tabindex", "-1");
        links[j].removeAttribute("data-note");
      }
      note.appendChild(copy);
    }
    return note;
  }

  function showMargin() {
    var body = document.querySelector(".article-body");
    var items = refsWithNotes(body);
    if (!items.length) return;
    var box = document.createElement("div");
    box.className = "margin-notes";
    box.setAttribute("aria-hidden", "true");
    for (var i = 0; i < items.length; i++) {
      var ref = items[i].ref;
      items[i].note = copyOf(items[i].source, ref);
      box.appendChild(items[i].note);
      // a plain link to the numbered note now (gloss.js opens no popup for it): the note is in view already
      ref.setAttribute("data-margin-note", items[i].id);
      ref.setAttribute("data-in-margin", "");
      ref.removeAttribute("data-note");
      ref.removeAttribute("aria-expanded");
      ref.addEventListener("pointerenter", highlight);
      ref.addEventListener("pointerleave", highlight);
      ref.addEventListener("focus", highlight);
      ref.addEventListener("blur", highlight);
    }
    // beside the text, not in it: the text is read without its notes (they are listed after it)
    body.parentNode.insertBefore(box, body.nextSibling);
    root.classList.add("gloss-margin");
    margin = { box: box, body: body, items: items };
    layout();
  }

  function hideMargin() {
    if (!margin) return;
    for (var i = 0; i < margin.items.length; i++) {
      var ref = margin.items[i].ref;
      ref.removeAttribute("data-in-margin");
      ref.setAttribute("data-note", margin.items[i].id);
      ref.removeAttribute("data-margin-note");
      ref.setAttribute("aria-expanded", "false");
      ref.removeEventListener("pointerenter", highlight);
      ref.removeEventListener("pointerleave", highlight);
      ref.removeEventListener("focus", highlight);
      ref.removeEventListener("blur", highlight);
    }
    margin.box.remove();
    margin.body.style.minHeight = "";
    margin = null;
    root.classList.remove("gloss-margin");
  }

  function highlight(e) {
    if (!margin) return;
    var on = e.type === "pointerenter" || e.type === "focus";
    for (var i = 0; i < margin.items.length; i++) {
      if (margin.items[i].ref === e.currentTarget) margin.items[i].note.classList.toggle("is-current", on);
    }
  }

  /* Each note at the height of its mark's line, pushed below the note before it where they would meet. */
  function layout() {
    if (!margin) return;
    var body = margin.body, bodyBox = body.getBoundingClientRect();
    var holder = margin.box.parentNode.getBoundingClientRect();
    // the column starts a little after the text's right edge (the paragraphs keep their measure)
    var text = body.querySelector(":scope > p[id]") || body;
    var start = text.getBoundingClientRect().right - holder.left + 2 * GAP + 16;
    var room = bodyBox.right - holder.left - start;
    margin.box.style.left = Math.round(start) + "px";
    margin.box.style.width = Math.round(Math.min(room, 20 * parseFloat(getComputedStyle(root).fontSize))) + "px";
    var column = margin.box.getBoundingClientRect();
    var previous = -Infinity;
    for (var i = 0; i < margin.items.length; i++) {
      var item = margin.items[i];
      var rects = item.ref.getClientRects();
      var line = rects.length ? rects[0] : item.ref.getBoundingClientRect();
      var want = line.top - column.top;
      var top = Math.max(want, previous + GAP);
      item.note.style.top = Math.round(top) + "px";
      previous = top + item.note.offsetHeight;
    }
    var need = Math.ceil(previous + (column.top - bodyBox.top));
    var has = parseFloat(body.style.minHeight) || 0;
    if (need > body.offsetHeight || (has && need !== has)) body.style.minHeight = need > 0 ? need + "px" : "";
  }

  function relayout() {
    if (frame) return;
    frame = requestAnimationFrame(function () {
      frame = 0;
      var wanted = marginWanted();
      if (wanted && !margin) showMargin();
      else if (!wanted && margin) hideMargin();
      else layout();
    });
  }

  // ---------------------------------------------------------------- the settings control

  function control() {
    var block = document.querySelector("[data-gloss-settings]");
    if (!block) return;
    var toggle = block.querySelector("[data-gloss-settings-toggle]");
    var panel = block.querySelector("[data-gloss-settings-panel]");
    if (!toggle || !panel) return;
    block.hidden = false;
    var inputs = panel.querySelectorAll("input[name]");
    function sync() {
      for (var i = 0; i < inputs.length; i++) {
        var name = inputs[i].name.replace(/^gloss-/, "");
        var current = name === "notes" && !settings.notes ? panel.getAttribute("data-built-notes") : settings[name];
        inputs[i].checked = inputs[i].value === current;
      }
    }
    function open(yes) {
      panel.hidden = !yes;
      toggle.setAttribute("aria-expanded", yes ? "true" : "false");
      panel.style.right = "";
      if (!yes) return;
      var box = panel.getBoundingClientRect();   // kept on screen, whatever line the header wrapped the button onto
      if (box.left < 8) panel.style.right = (box.left - 8) + "px";
    }
    sync();
    toggle.addEventListener("click", function () { open(panel.hidden); });
    panel.addEventListener("change", function (e) {
      var input = e.target;
      if (!input.name) return;
      settings[input.name.replace(/^gloss-/, "")] = input.value;
      save(settings);
      apply(settings);
      noteMentions();
      relayout();
    });
    document.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && !panel.hidden && block.contains(document.activeElement)) {
        open(false);
        toggle.focus();
      }
    });
    document.addEventListener("pointerdown", function (e) {
      if (!panel.hidden && !block.contains(e.target)) open(false);
    });
    // another page of the edition changed the settings (another tab): follow
    window.addEventListener("storage", function (e) {
      if (e.key !== KEY) return;
      settings = read();
      apply(settings);
      sync();
      noteMentions();
      relayout();
    });
  }

  // ---------------------------------------------------------------- text fragments where the browser has none

  /* An entity page links each mention to `#p9:~:text=…`. A browser without text fragments looks for an element
   * with that whole id and stays at the top: take it to the ¶ instead. (Browsers that have them remove the
   * directive from location.hash.) */
  function fragmentFallback() {
    var hash = window.location.hash;
    var at = hash.indexOf(":~:");
    if (at < 1) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1, at)));
    if (target) target.scrollIntoView();
  }

  function start() {
    control();
    noteMentions();
    fragmentFallback();
    relayout();
    window.addEventListener("resize", relayout);
    window.addEventListener("hashchange", fragmentFallback);
    if (window.ResizeObserver) {
      var body = document.querySelector(".article-body");
      if (body) new ResizeObserver(relayout).observe(body);
    }
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(relayout);
    window.addEventListener("load", relayout);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
