/* Gloss notes: a mention opens its note on hover, keyboard focus or tap.
 *
 * A note is a disclosure, not a tooltip: it holds links, so it is inserted right after its mention (Tab
 * reaches its links next), the mention carries aria-expanded and aria-controls, and focus goes back to
 * the mention when the note closes. Mouse, touch and pen are told apart with Pointer Events, because a
 * tap also fires mouse events. No network, no modules: this works from file://. Without this script every
 * mention is a plain link and the notes are listed at the end of the article. */
(function () {
  "use strict";
  var OPEN_DELAY = 80;      // ms the mouse rests on a mention before its note opens (a sweep opens nothing)
  var CLOSE_DELAY = 300;    // ms after the pointer leaves both the mention and its note
  var TAP_WINDOW = 1500;    // ms within which a click counts as the end of a tap
  var MARGIN = 8;           // px kept free between a note and the edge of the viewport
  var GAP = 6;              // px between a mention and its note
  var MAX_DEPTH = 2;        // a note, and the notes of the cross-references inside it
  var TRIGGERS = "a.mention[data-note], a.note-ref[data-note]";

  var open = [];            // open notes, outermost first: {trigger, popup, timer}
  var pending = null;       // a note about to open under the mouse: {trigger, timer}
  var pointer = { type: "mouse", time: 0 };   // the last press of a pointer
  var keyboard = false;     // the last input was a key press (so focus means the keyboard)
  var quiet = null;         // a trigger getting focus back from its closed note: do not reopen it
  var counter = 0;

  function noteFor(trigger) {
    var id = trigger.getAttribute("data-note");
    return id ? document.getElementById(id) : null;
  }

  function triggerOf(el) {
    var trigger = el && el.closest ? el.closest(TRIGGERS) : null;
    return trigger && noteFor(trigger) ? trigger : null;
  }

  function entryOf(trigger) {
    for (var i = 0; i < open.length; i++) if (open[i].trigger === trigger) return open[i];
    return null;
  }

  function holds(entry, el) {
    return !!el && (entry.trigger.contains(el) || entry.popup.contains(el));
  }

  function hovered(entry) {
    return entry.trigger.matches(":hover") || entry.popup.matches(":hover");
  }

  function focusWithin(entry) {
    return holds(entry, document.activeElement);
  }

  /* Would a note placed absolutely after this trigger be clipped? It is when a box that clips overflow is
   * its containing block or holds it (a box below the containing block, such as a wide table, does not
   * clip it). Such a note is placed against the viewport instead (position: fixed). */
  function clipped(trigger) {
    var held = false;       // passed the note's containing block
    for (var el = trigger.parentElement; el && el !== document.body; el = el.parentElement) {
      var style = getComputedStyle(el);
      if (style.position !== "static" || style.transform !== "none") held = true;
      if (held && (style.overflowX !== "visible" || style.overflowY !== "visible")) return true;
    }
    return false;
  }

  function build(trigger, source) {
    // Cross-references inside the note open notes of their own, one level deep and never a note that is
    // already open around it, so Tab through a note always comes out again.
    var chain = [trigger.getAttribute("data-note")];
    for (var k = 0; k < open.length; k++) if (open[k].popup.contains(trigger)) chain.push(open[k].trigger.getAttribute("data-note"));
    var popup = document.createElement("span");
    popup.className = "note-popup";
    popup.id = "gloss-note-" + (++counter);
    popup.setAttribute("role", "group");
    if (source.getAttribute("data-kind")) popup.setAttribute("data-kind", source.getAttribute("data-kind"));
    var name = source.querySelector(".note-name"), kind = source.querySelector(".note-kind");
    // its name and kind ("Sergei Lavrov, Person"): what the mark after the mention stands for, said in words
    popup.setAttribute("aria-label", name ? name.textContent + (kind ? ", " + kind.textContent : "")
                                          : (trigger.getAttribute("aria-label") || trigger.textContent));
    for (var child = source.firstElementChild; child; child = child.nextElementSibling) {
      var copy = child.cloneNode(true);
      var marked = copy.querySelectorAll("[id], .note-back, .footnote-backref");
      for (var i = 0; i < marked.length; i++) {
        if (marked[i].matches(".note-back, .footnote-backref")) marked[i].remove();
        else marked[i].removeAttribute("id");
      }
      var triggers = copy.querySelectorAll("[data-note]");
      for (var j = 0; j < triggers.length; j++) {
        if (chain.length >= MAX_DEPTH || chain.indexOf(triggers[j].getAttribute("data-note")) >= 0) {
          triggers[j].removeAttribute("data-note");             // a plain link to the entity's page
          triggers[j].removeAttribute("aria-expanded");
        } else {
          triggers[j].setAttribute("aria-expanded", "false");
        }
      }
      // The note sits inside a paragraph, where only phrasing content may go: blocks become spans.
      var block = document.createElement("span");
      block.className = copy.className + " note-block";
      while (copy.firstChild) block.appendChild(copy.firstChild);
      if (block.textContent.replace(/\s+/g, "")) popup.appendChild(block);
    }
    if (clipped(trigger)) popup.style.position = "fixed";
    return popup;
  }

  /* Put the note under the last line of its trigger (or else over its first line), inside the viewport: a
   * mention that wraps onto several lines is never covered by its own note, whichever line the note is by. */
  function place(entry) {
    var trigger = entry.trigger, popup = entry.popup;
    var rects = trigger.getClientRects();
    var box = trigger.getBoundingClientRect();
    var first = rects.length ? rects[0] : box, last = rects.length ? rects[rects.length - 1] : box;
    var top = first.top, bottom = last.bottom;
    for (var r = 0; r < rects.length; r++) {
      top = Math.min(top, rects[r].top);
      bottom = Math.max(bottom, rects[r].bottom);
    }
    var vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
    popup.style.left = "0px";
    popup.style.top = "0px";
    popup.style.maxWidth = Math.max(0, vw - 2 * MARGIN) + "px";
    popup.style.maxHeight = "";
    popup.style.overflowY = "";
    var origin = popup.getBoundingClientRect();     // where (0, 0) of its containing block lands
    var width = popup.offsetWidth, height = popup.offsetHeight;
    var rtl = getComputedStyle(trigger).direction === "rtl";
    var below = vh - bottom - GAP - MARGIN, above = top - GAP - MARGIN;
    var under = height <= below || (height > above && below >= above);
    var line = under ? last : first;                // the line the note hangs from
    var x = rtl ? line.right - width : line.left;
    x = Math.min(Math.max(x, MARGIN), Math.max(MARGIN, vw - width - MARGIN));
    if (height > (under ? below : above)) {
      // Too tall for either side: the roomier one, scrolling inside the note (never over the mention).
      var room = Math.max(under ? below : above, 48);
      popup.style.maxHeight = room + "px";
      popup.style.overflowY = "auto";
      height = Math.min(height, room);
    }
    var y = under ? bottom + GAP : top - GAP - height;
    popup.style.left = (x - origin.left) + "px";
    popup.style.top = (y - origin.top) + "px";
  }

  function show(trigger) {
    cancelPending();
    var entry = entryOf(trigger);
    if (entry) { keep(entry); return entry; }
    var source = noteFor(trigger);
    if (!source) return null;
    // Close the notes this trigger does not sit inside.
    for (var i = open.length - 1; i >= 0; i--) if (!open[i].popup.contains(trigger)) hide(open[i], false);
    var popup = build(trigger, source);
    trigger.insertAdjacentElement("afterend", popup);
    trigger.setAttribute("aria-expanded", "true");
    trigger.setAttribute("aria-controls", popup.id);
    entry = { trigger: trigger, popup: popup, timer: 0 };
    open.push(entry);
    place(entry);
    keep(entry);
    return entry;
  }

  function hide(entry, refocus) {
    if (open.indexOf(entry) < 0) return;
    for (var i = open.length - 1; i >= 0; i--) {          // the notes opened from inside this one first
      if (open[i] !== entry && entry.popup.contains(open[i].trigger)) hide(open[i], false);
    }
    clearTimeout(entry.timer);
    var hadFocus = entry.popup.contains(document.activeElement);
    entry.popup.remove();
    open.splice(open.indexOf(entry), 1);
    entry.trigger.setAttribute("aria-expanded", "false");
    entry.trigger.removeAttribute("aria-controls");
    if ((refocus || hadFocus) && document.activeElement !== entry.trigger) {
      quiet = entry.trigger;
      entry.trigger.focus();
      quiet = null;
    }
  }

  function hideAll(except) {
    for (var i = open.length - 1; i >= 0; i--) if (open[i] && !holds(open[i], except)) hide(open[i], false);
  }

  /* Keep a note open, and the notes it sits inside. */
  function keep(entry) {
    for (var i = 0; i < open.length; i++) {
      if (open[i] === entry || open[i].popup.contains(entry.trigger)) clearTimeout(open[i].timer);
    }
  }

  function scheduleClose(entry) {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(function () {
      if (open.indexOf(entry) < 0 || hovered(entry)) return;
      if (keyboard && focusWithin(entry)) return;            // the keyboard still holds it open
      hide(entry, false);
    }, CLOSE_DELAY);
  }

  function cancelPending() {
    if (pending) clearTimeout(pending.timer);
    pending = null;
  }

  function init() {
    var triggers = document.querySelectorAll(TRIGGERS);
    for (var i = 0; i < triggers.length; i++) {
      if (noteFor(triggers[i])) triggers[i].setAttribute("aria-expanded", "false");
    }
  }

  // ------------------------------------------------------------------ mouse

  document.addEventListener("pointerover", function (e) {
    if (e.pointerType !== "mouse") return;
    for (var i = 0; i < open.length; i++) if (holds(open[i], e.target)) keep(open[i]);
    var trigger = triggerOf(e.target);
    if (!trigger || entryOf(trigger) || (pending && pending.trigger === trigger)) return;
    cancelPending();
    pending = { trigger: trigger, timer: setTimeout(function () { show(trigger); }, OPEN_DELAY) };
  });

  document.addEventListener("pointerout", function (e) {
    if (e.pointerType !== "mouse") return;
    if (pending && pending.trigger.contains(e.target) && !pending.trigger.contains(e.relatedTarget)) cancelPending();
    for (var i = 0; i < open.length; i++) {
      if (holds(open[i], e.target) && !holds(open[i], e.relatedTarget)) scheduleClose(open[i]);
    }
  });

  // ------------------------------------------------------------------ any pointer

  document.addEventListener("pointerdown", function (e) {
    pointer = { type: e.pointerType || "mouse", time: Date.now() };
    keyboard = false;
    hideAll(e.target);                                        // a tap or click elsewhere closes notes
  }, true);

  document.addEventListener("click", function (e) {
    var trigger = triggerOf(e.target);
    if (!trigger) return;
    // A click is a PointerEvent in current browsers and says itself what made it, however long the tap took
    // on a busy device; elsewhere, a click soon after a touch or pen press ends that tap.
    var type = e.pointerType || ((Date.now() - pointer.time < TAP_WINDOW) ? pointer.type : "mouse");
    var tap = type === "touch" || type === "pen";
    if (entryOf(trigger)) return;                             // a second tap, or a click: follow the link
    if (tap || trigger.classList.contains("note-ref")) {      // the first tap opens the note instead
      e.preventDefault();
      show(trigger);
    }
  });

  // ------------------------------------------------------------------ keyboard

  document.addEventListener("keydown", function (e) {
    keyboard = true;
    if (e.key !== "Escape" && e.key !== "Esc") return;
    if (!open.length) return;
    var entry = open[open.length - 1];
    hide(entry, focusWithin(entry));                          // focus returns to the mention only if it was there
    e.preventDefault();
  });

  document.addEventListener("focusin", function (e) {
    // Focus that follows a press of the pointer (a link, or the text inside a note focusing <main>) is
    // the pointer's business: pointerdown, hover and tap open and close notes themselves.
    if (!keyboard && Date.now() - pointer.time < TAP_WINDOW) return;
    var target = e.target;
    for (var i = open.length - 1; i >= 0; i--) {
      if (open[i] && !holds(open[i], target) && !(pointer.type === "mouse" && hovered(open[i]))) hide(open[i], false);
    }
    var trigger = triggerOf(target);
    if (trigger && trigger !== quiet) show(trigger);
  });

  // ------------------------------------------------------------------ layout

  var frame = 0;
  function replace(fixedOnly) {
    if (frame) return;
    frame = requestAnimationFrame(function () {
      frame = 0;
      for (var i = 0; i < open.length; i++) if (!fixedOnly || open[i].popup.style.position === "fixed") place(open[i]);
    });
  }
  window.addEventListener("resize", function () { replace(false); });
  document.addEventListener("scroll", function () { replace(true); }, { capture: true, passive: true });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
