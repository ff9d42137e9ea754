/* Gloss notes: a mention opens its note on hover, keyboard focus or tap.
 * No network, no modules: works from file://. Without this script every mention is a plain link and the
 * notes are listed at the end of the article. */
(function () {
  "use strict";
  var CLOSE_DELAY = 300;     // ms after the pointer leaves both the mention and its note
  var open = [];             // open notes, outermost first: {mention, popup, timer}
  var lastPointer = { type: "mouse", target: null, time: 0 };
  var counter = 0;

  function noteSource(mention) {
    var id = mention.getAttribute("data-note");
    return id ? document.getElementById(id) : null;
  }

  function isTrigger(el) {
    return el && el.matches && el.matches("a.mention[data-note], a.note-ref[data-note]");
  }

  function triggerOf(el) {
    return el && el.closest ? el.closest("a.mention[data-note], a.note-ref[data-note]") : null;
  }

  function entryFor(mention) {
    for (var i = 0; i < open.length; i++) if (open[i].mention === mention) return open[i];
    return null;
  }

  function build(mention, source) {
    var popup = document.createElement("span");
    popup.className = "note-popup";
    popup.id = "gloss-note-" + (++counter);
    popup.setAttribute("role", "group");
    var name = source.querySelector(".note-name");
    popup.setAttribute("aria-label", (name ? name.textContent : mention.textContent) + " — note");
    for (var child = source.firstElementChild; child; child = child.nextElementSibling) {
      var copy = child.cloneNode(true);
      copy.removeAttribute("id");
      var withIds = copy.querySelectorAll("[id]");
      for (var j = 0; j < withIds.length; j++) withIds[j].removeAttribute("id");
      var backs = copy.querySelectorAll(".note-back");
      for (var k = 0; k < backs.length; k++) backs[k].remove();
      var block = document.createElement("span");
      block.className = copy.className;
      block.style.display = "block";
      while (copy.firstChild) block.appendChild(copy.firstChild);
      popup.appendChild(block);
    }
    popup.addEventListener("pointerenter", function () { cancelClose(mention); });
    popup.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse") scheduleClose(mention); });
    return popup;
  }

  function place(mention, popup) {
    var margin = 8;
    var rects = mention.getClientRects();
    var anchor = rects.length ? rects[0] : mention.getBoundingClientRect();
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    popup.style.left = "0px";
    popup.style.top = "0px";
    popup.style.maxWidth = (vw - 2 * margin) + "px";
    var origin = popup.getBoundingClientRect();      // where (0, 0) of its containing block lands
    var width = popup.offsetWidth, height = popup.offsetHeight;
    var x = Math.min(Math.max(anchor.left, margin), Math.max(margin, vw - width - margin));
    var below = anchor.bottom + 6, above = anchor.top - 6 - height;
    var y = (below + height <= vh - margin || above < margin) ? below : above;
    if (y + height > vh - margin && height < vh) y = Math.max(margin, vh - height - margin);
    popup.style.left = (x - origin.left) + "px";
    popup.style.top = (y - origin.top) + "px";
  }

  function show(mention) {
    var entry = entryFor(mention);
    if (entry) { cancelClose(mention); return entry; }
    var source = noteSource(mention);
    if (!source) return null;
    // Close notes that are not the ones this mention sits inside.
    for (var i = open.length - 1; i >= 0; i--) {
      if (!open[i].popup.contains(mention)) hide(open[i].mention, false);
    }
    var popup = build(mention, source);
    mention.insertAdjacentElement("afterend", popup);
    mention.setAttribute("aria-expanded", "true");
    mention.setAttribute("aria-controls", popup.id);
    entry = { mention: mention, popup: popup, timer: 0 };
    open.push(entry);
    place(mention, popup);
    return entry;
  }

  function hide(mention, refocus) {
    var entry = entryFor(mention);
    if (!entry) return;
    // Close the notes opened from inside this one first.
    for (var i = open.length - 1; i >= 0; i--) {
      if (open[i] !== entry && entry.popup.contains(open[i].mention)) hide(open[i].mention, false);
    }
    clearTimeout(entry.timer);
    var hadFocus = entry.popup.contains(document.activeElement);
    entry.popup.remove();
    open.splice(open.indexOf(entry), 1);
    mention.setAttribute("aria-expanded", "false");
    mention.removeAttribute("aria-controls");
    if (refocus || hadFocus) mention.focus();
  }

  function scheduleClose(mention) {
    var entry = entryFor(mention);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(function () {
      var current = entryFor(mention);
      if (!current) return;
      if (current.mention.matches(":hover") || current.popup.matches(":hover")) return;
      if (current.popup.contains(document.activeElement) && lastPointer.type !== "mouse") return;
      hide(mention, false);
    }, CLOSE_DELAY);
  }

  function cancelClose(mention) {
    var entry = entryFor(mention);
    if (entry) clearTimeout(entry.timer);
    // Keep the notes this one sits inside open too.
    for (var i = 0; i < open.length; i++) if (open[i].popup.contains(mention)) clearTimeout(open[i].timer);
  }

  function init() {
    var triggers = document.querySelectorAll("a.mention[data-note], a.note-ref[data-note]");
    for (var i = 0; i < triggers.length; i++) triggers[i].setAttribute("aria-expanded", "false");
  }

  document.addEventListener("pointerdown", function (e) {
    lastPointer = { type: e.pointerType || "mouse", target: e.target, time: Date.now() };
    if (e.pointerType === "mouse") return;
    // A tap outside every mention and note closes the notes.
    var inside = false;
    for (var i = 0; i < open.length; i++) {
      if (open[i].popup.contains(e.target) || open[i].mention.contains(e.target)) inside = true;
    }
    if (!inside && !triggerOf(e.target)) while (open.length) hide(open[open.length - 1].mention, false);
  }, true);

  document.addEventListener("pointerover", function (e) {
    if (e.pointerType !== "mouse") return;
    var mention = triggerOf(e.target);
    if (mention) show(mention);
  });

  document.addEventListener("pointerout", function (e) {
    if (e.pointerType !== "mouse") return;
    var mention = triggerOf(e.target);
    if (mention && !mention.contains(e.relatedTarget)) {
      var entry = entryFor(mention);
      if (entry && !entry.popup.contains(e.relatedTarget)) scheduleClose(mention);
    }
  });

  document.addEventListener("focusin", function (e) {
    var mention = triggerOf(e.target);
    var byPointer = lastPointer.target && mention && mention.contains(lastPointer.target) &&
      Date.now() - lastPointer.time < 800;
    if (mention && isTrigger(mention) && !byPointer) show(mention);
  });

  document.addEventListener("focusout", function (e) {
    var next = e.relatedTarget;
    setTimeout(function () {
      for (var i = open.length - 1; i >= 0; i--) {
        var entry = open[i];
        var active = next || document.activeElement;
        var within = active && (entry.mention === active || entry.popup.contains(active));
        var hovered = entry.mention.matches(":hover") || entry.popup.matches(":hover");
        if (!within && !hovered && lastPointer.type === "mouse" || (!within && lastPointer.type !== "mouse" && next)) {
          hide(entry.mention, false);
        }
      }
    }, 0);
  });

  document.addEventListener("click", function (e) {
    var mention = triggerOf(e.target);
    if (!mention) return;
    var touch = lastPointer.type === "touch" || lastPointer.type === "pen";
    var recent = Date.now() - lastPointer.time < 1500;
    if (touch && recent) {
      // First tap opens the note; a second tap on the same mention follows the link.
      if (!entryFor(mention)) {
        e.preventDefault();
        show(mention);
      }
      return;
    }
    if (mention.classList.contains("note-ref") && !entryFor(mention)) {
      e.preventDefault();
      show(mention);
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !open.length) return;
    var entry = open[open.length - 1];
    var focusInside = entry.popup.contains(document.activeElement) || entry.mention === document.activeElement;
    hide(entry.mention, focusInside);
    e.preventDefault();
  });

  window.addEventListener("resize", function () {
    for (var i = 0; i < open.length; i++) place(open[i].mention, open[i].popup);
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
