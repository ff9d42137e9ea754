/* Gloss search: find entities by name or alias, and the paragraphs, passage notes and glosses that hold
 * the words, as the reader types.
 *
 * The index is made at build time (generator/search/) as ordinary script files, each a call to
 * GlossSearch.add(name, data). This script inserts a <script> element for each file a query needs — the
 * list of documents, the entities, the term shards of its words, the passages of the documents it shows —
 * so it works from file://, under any subpath and with the page's Content-Security-Policy: no fetch, XHR,
 * modules, workers or WebAssembly. Words are folded (NFKD, marks dropped, lower case, ı ł ø … as slugs spell
 * them) as the build folds them; the build groups words by their stem in each shard, so this script needs no stemmer.
 *
 * The box is an ARIA combobox with a listbox popup (arrows move, Enter opens, Esc closes, `/` focuses
 * it); a polite live region says how many results there are, or that there are none. On search.html the
 * results are listed in the page. Without JavaScript the header shows a link to search.html, which lists
 * the edition's indexes. */
(function () {
  "use strict";
  var POPUP = { entities: 6, groups: 6, passages: 3, files: 8 };   // what the box shows (and may load)
  var PAGE = { entities: 30, groups: 20, passages: 6, files: 20 }; // what search.html shows per "more"
  var PREFIX_BUDGET = 400000;   // bytes of term shards a short prefix may load before it counts as a word
  var SNIPPET_BEFORE = 70, SNIPPET_AFTER = 170;   // characters of context around the first hit
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  var MARKS = /\p{M}+/gu;
  // generator/search/text.py's LETTERS: the Latin letters NFKD leaves alone, as slugs spell them.
  var LETTERS = {"æ": "ae", "ð": "d", "ø": "o", "þ": "th", "ß": "ss", "đ": "d", "ħ": "h", "ı": "i", "ĸ": "q", "ł": "l",
                 "ŋ": "ng", "œ": "oe", "ŧ": "t"};
  var LETTER = /[æðøþßđħıĸłŋœŧ]/g;

  var root = document.querySelector("[data-gloss-search]");
  if (!root) return;
  var base = root.getAttribute("data-gloss-search");          // URL of the search/ folder, from this page
  var siteRoot = root.getAttribute("data-gloss-root") || ""; // URL of the site root, from this page
  var t = {};
  try { t = JSON.parse(root.getAttribute("data-gloss-strings") || "{}"); } catch (e) { t = {}; }

  // ------------------------------------------------------------------ loading the index's files

  var store = {};     // name -> data, filled by GlossSearch.add
  var waiting = {};   // name -> promise of its data
  var loadedBytes = 0;
  window.GlossSearch = {
    add: function (name, data) { store[name] = data; },
    loadedBytes: function () { return loadedBytes; },
    loaded: function () { return Object.keys(store).sort(); }
  };

  function load(name, size) {
    if (waiting[name]) return waiting[name];
    waiting[name] = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = base + name + ".js";
      script.async = true;
      script.onload = function () {
        script.remove();
        if (name in store) { loadedBytes += size || 0; resolve(store[name]); }
        else reject(new Error(name));
      };
      script.onerror = function () { script.remove(); delete waiting[name]; reject(new Error(name)); };
      document.head.appendChild(script);
    });
    return waiting[name];
  }

  var ready = null;   // the documents, shards and entities, once loaded
  function start() {
    if (!ready) {
      ready = Promise.all([load("index"), load("entities")]).then(function (both) {
        var index = both[0];
        var keys = {};
        index.shards.forEach(function (s, n) { keys[s[0]] = { file: "t/" + n, size: s[1] }; });
        return { index: index, keys: keys, sortedKeys: index.shards.map(function (s) { return s[0]; }),
                 entities: prepareEntities(both[1]) };
      });
      ready.catch(function () { ready = null; });
    }
    return ready;
  }

  // ------------------------------------------------------------------ words

  function fold(text) {
    return text.normalize("NFKD").replace(MARKS, "").toLowerCase().replace(LETTER, function (c) { return LETTERS[c]; });
  }

  function words(text) { return fold(text).match(WORD) || []; }

  /* The query: words (the last a prefix while it is being typed) and "phrases in quotes". */
  function parse(query) {
    var terms = [];
    var rest = query.replace(/"([^"]*)("|$)/g, function (_, inner) {
      var ws = words(inner);
      if (ws.length > 1) terms.push({ words: ws, phrase: true });
      else if (ws.length === 1) terms.push({ words: ws, phrase: false, prefix: false });
      return " ";
    });
    var ws = words(rest);
    var typing = !/[\s"]$/.test(query);
    ws.forEach(function (w, i) {
      terms.push({ words: [w], phrase: false, prefix: typing && i === ws.length - 1 && !/"[^"]*$/.test(query) });
    });
    var all = [];
    terms.forEach(function (term) { all.push.apply(all, term.words); });
    return { terms: terms, words: all, text: query.trim() };
  }

  // ------------------------------------------------------------------ entities, by name and alias

  function prepareEntities(list) {
    return list.map(function (e, order) {
      var names = [e[0]].concat(e[1]);
      return { name: e[0], aliases: e[1], kind: e[2], summary: e[3], url: e[4], order: order,
               folded: names.map(function (n) { return { text: words(n).join(" "), words: words(n), name: n }; }) };
    });
  }

  function findEntities(entities, q, limit) {
    if (!q.words.length) return [];
    var joined = q.words.join(" ");
    var last = q.terms.length ? q.terms[q.terms.length - 1] : null;
    var prefix = last && last.prefix;
    var found = [];
    entities.forEach(function (e) {
      var best = 0, via = "";
      e.folded.forEach(function (n, i) {
        var score = 0;
        if (n.text === joined) score = 100;
        else if (prefix && n.text.indexOf(joined) === 0) score = 60;
        else if (q.words.every(function (w, k) {
          var isLast = prefix && k === q.words.length - 1;
          return n.words.some(function (nw) { return isLast ? nw.indexOf(w) === 0 : nw === w; });
        })) score = 30;
        if (score && i === 0) score += 5;   // the name itself before an alias
        if (score > best) { best = score; via = i ? n.name : ""; }
      });
      if (best) found.push({ entity: e, score: best, via: via });
    });
    found.sort(function (a, b) { return b.score - a.score || a.entity.order - b.entity.order; });
    return found.slice(0, limit);
  }

  // ------------------------------------------------------------------ documents, by the term shards

  function shardOf(data, word) {
    for (var k = Math.min(word.length, 8); k > 0; k--) {
      var key = word.slice(0, k);
      if (data.keys[key]) return key;
    }
    return null;
  }

  /* The shards a term needs: its word's shard, and for a prefix the deeper shards that begin with it. */
  function shardsFor(data, term) {
    var names = [];
    term.words.forEach(function (w, i) {
      var own = shardOf(data, w);
      if (own) names.push(own);
      if (term.prefix && i === term.words.length - 1 && w.length >= 2) {
        var deeper = data.sortedKeys.filter(function (k) { return k.length > w.length && k.indexOf(w) === 0; });
        var size = deeper.reduce(function (s, k) { return s + data.keys[k].size; }, 0);
        if (size <= PREFIX_BUDGET) names.push.apply(names, deeper);
        else term.prefix = false;   // too short a prefix to expand over the whole edition: a word
      }
    });
    return names;
  }

  /* For one word of a term: the words of the edition it stands for (its stem's words; with a prefix, every
   * word that begins with it) and the documents that hold them, with counts. */
  function expand(data, shards, word, prefix) {
    var forms = {}, docs = new Map(), exact = false;
    function take(shard, w) {
      forms[w] = true;
      var postings = shard[w][1], doc = 0;
      for (var i = 0; i < postings.length; i += 2) {
        doc += postings[i];
        docs.set(doc, (docs.get(doc) || 0) + postings[i + 1]);
      }
    }
    shards.forEach(function (shard) {
      var entry = shard[word];
      if (entry) {
        exact = true;
        for (var w in shard) if (shard[w][0] === entry[0] && !forms[w]) take(shard, w);
      }
      if (prefix && word.length >= 2) {
        for (var v in shard) if (!forms[v] && v.indexOf(word) === 0) take(shard, v);
      }
    });
    return { forms: forms, docs: docs, exact: exact };
  }

  function rankDocuments(data, q) {
    var total = data.index.docs.length;
    var scores = null;
    q.terms.forEach(function (term) {
      var termDocs = null;
      term.matches = term.words.map(function (w, i) {
        var prefix = term.prefix && i === term.words.length - 1;
        var shards = (term.shards[w] || []).map(function (k) { return store[data.keys[k].file]; });
        var m = expand(data, shards, w, prefix);
        var weight = Math.log(1 + total / Math.max(1, m.docs.size)) * (m.exact ? 1 : 0.7);
        var next = new Map();
        m.docs.forEach(function (count, doc) {
          if (termDocs === null || termDocs.has(doc)) next.set(doc, (termDocs ? termDocs.get(doc) : 0) + weight * (1 + Math.log(count)));
        });
        termDocs = next;
        return m;
      });
      if (scores === null) scores = termDocs || new Map();
      else {
        var both = new Map();
        termDocs.forEach(function (s, doc) { if (scores.has(doc)) both.set(doc, scores.get(doc) + s); });
        scores = both;
      }
    });
    var ranked = [];
    (scores || new Map()).forEach(function (score, doc) { ranked.push([doc, score]); });
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return ranked.map(function (r) { return r[0]; });
  }

  // ------------------------------------------------------------------ passages: which, and their snippets

  function tokens(text) {
    var list = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) list.push({ start: m.index, end: m.index + m[0].length, word: fold(m[0]) });
    return list;
  }

  function hits(term, toks) {
    var found = [];
    var n = term.matches.length;
    for (var i = 0; i + n <= toks.length; i++) {
      var ok = true;
      for (var k = 0; k < n && ok; k++) ok = !!term.matches[k].forms[toks[i + k].word];
      if (ok) for (var j = 0; j < n; j++) found.push(i + j);
    }
    return found;
  }

  /* The passages of a document that hold every term (or, failing that, the most terms; a phrase must be
   * there whole), best first, each with the tokens to mark. */
  function matchPassages(doc, q, isArticle) {
    var out = [];
    doc.forEach(function (p, order) {
      var toks = tokens(p[1]), marked = [], count = 0, phraseMissing = false;
      q.terms.forEach(function (term) {
        var h = hits(term, toks);
        if (h.length) { count++; marked.push.apply(marked, h); }
        else if (term.phrase) phraseMissing = true;
      });
      if (count && !phraseMissing) out.push({ anchor: p[0], text: p[1], toks: toks, marked: marked, count: count, order: order });
    });
    if (isArticle && out.length > 1 && out[0].order === 0) out.shift();  // the title, when the text has hits
    var full = out.filter(function (o) { return o.count === q.terms.length; });
    var chosen = full.length ? full : out;
    chosen.sort(function (a, b) { return b.count - a.count || b.marked.length - a.marked.length || a.order - b.order; });
    if (full.length) chosen.sort(function (a, b) { return a.order - b.order; });  // all equal: reading order
    return chosen;
  }

  function snippet(passage) {
    var toks = passage.toks, marks = {};
    passage.marked.forEach(function (i) { marks[i] = true; });
    var first = Math.min.apply(null, passage.marked);
    var text = passage.text;
    var from = 0, to = text.length;
    if (toks[first].start > SNIPPET_BEFORE) {
      from = toks[first].start - SNIPPET_BEFORE;
      var space = text.indexOf(" ", from);
      from = space >= 0 && space < toks[first].start ? space + 1 : from;
    }
    if (to - from > SNIPPET_BEFORE + SNIPPET_AFTER) {
      to = text.lastIndexOf(" ", from + SNIPPET_BEFORE + SNIPPET_AFTER);
      if (to <= toks[first].end) to = from + SNIPPET_BEFORE + SNIPPET_AFTER;
    }
    var parts = [], at = from;
    toks.forEach(function (tok, i) {
      if (!marks[i] || tok.start < from || tok.end > to) return;
      if (tok.start > at) parts.push([text.slice(at, tok.start), false]);
      parts.push([text.slice(tok.start, tok.end), true]);
      at = tok.end;
    });
    if (at < to) parts.push([text.slice(at, to), false]);
    if (from > 0) parts.unshift(["… ", false]);
    if (to < text.length) parts.push([" …", false]);
    return parts;
  }

  // ------------------------------------------------------------------ one search

  function search(query, limits, early) {
    var q = parse(query);
    return start().then(function (data) {
      var result = { query: q, entities: findEntities(data.entities, q, limits.entities), groups: [], more: false,
                     early: early };
      if (!q.terms.length) return result;
      var needed = {};
      q.terms.forEach(function (term) {
        term.shards = {};
        term.words.forEach(function (w) { term.shards[w] = []; });
        var names = shardsFor(data, term);
        names.forEach(function (k) { needed[k] = true; });
        term.words.forEach(function (w, i) {
          var own = shardOf(data, w);
          term.shards[w] = own ? [own] : [];
          if (term.prefix && i === term.words.length - 1) {
            names.forEach(function (k) { if (k !== own && k.indexOf(w) === 0) term.shards[w].push(k); });
          }
        });
      });
      return Promise.all(Object.keys(needed).map(function (k) {
        return load(data.keys[k].file, data.keys[k].size);
      })).then(function () {
        var ranked = rankDocuments(data, q);
        return fill(data, q, ranked, 0, limits, result);
      });
    });
  }

  /* Load the passages of the best documents, a few files at a time, until enough groups have a passage. */
  function addGroup(data, q, doc, passages, limits, result) {
    var info = data.index.docs[doc];
    var matched = matchPassages(passages, q, !info[2]);
    if (matched.length) {
      result.groups.push({ url: info[0], title: info[1], kind: info[2], total: matched.length,
                           passages: matched.slice(0, limits.passages) });
    }
  }

  function fill(data, q, ranked, from, limits, result) {
    var perFile = data.index.per_file;
    var batch = [], files = {};
    var i = from;
    while (i < ranked.length && batch.length < limits.groups - result.groups.length) {
      var file = "d/" + Math.floor(ranked[i] / perFile);
      if (!files[file] && Object.keys(files).length >= limits.files) break;
      files[file] = true;
      batch.push(ranked[i]);
      i++;
    }
    if (!batch.length) { result.more = i < ranked.length; result.next = i; result.ranked = ranked; return result; }
    var missing = Object.keys(files).filter(function (f) { return !(f in store); });
    if (result.early && missing.length) {
      // While the other passages load, show what the files already here hold (a later keystroke mostly
      // ranks documents it has shown): the complete results replace them when they come.
      var early = { query: q, entities: result.entities, groups: result.groups.slice(), more: true, partial: true };
      batch.forEach(function (doc) {
        var name = "d/" + Math.floor(doc / perFile);
        if (name in store) addGroup(data, q, doc, store[name][doc], limits, early);
      });
      if (early.groups.length) result.early(early);
    }
    return Promise.all(Object.keys(files).map(function (f) { return load(f); })).then(function () {
      batch.forEach(function (doc) { addGroup(data, q, doc, store["d/" + Math.floor(doc / perFile)][doc], limits, result); });
      if (result.groups.length >= limits.groups || i >= ranked.length) {
        result.more = i < ranked.length; result.next = i; result.ranked = ranked;
        return result;
      }
      return fill(data, q, ranked, i, limits, result);
    });
  }

  // ------------------------------------------------------------------ the interface

  function say(key, values) {
    var text = t[key] || key;
    for (var k in values) text = text.split("{" + k + "}").join(values[k]);
    return text;
  }

  function href(url, anchor) { return siteRoot + url + (anchor ? "#" + anchor : ""); }

  function passageLabel(anchor) {
    if (/^p\d+$/.test(anchor)) return "¶ " + anchor.slice(1);
    if (/^pn\d+$/.test(anchor)) return say("search_note", { n: anchor.slice(2) });
    return "";
  }

  var uid = 0;
  function Widget(host, inline) {
    var self = this;
    this.inline = inline;
    this.limits = inline ? PAGE : POPUP;
    this.id = "gloss-search-" + (++uid);
    this.box = document.createElement("div");
    this.box.className = "search-box";
    var label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = this.id + "-input";
    label.textContent = t.search_label || "Search";
    this.input = document.createElement("input");
    this.input.type = "search";
    this.input.id = this.id + "-input";
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.id + "-list");
    this.input.setAttribute("autocomplete", "off");
    this.input.setAttribute("spellcheck", "false");
    this.input.placeholder = t.search_placeholder || "";
    this.list = document.createElement("div");
    this.list.id = this.id + "-list";
    this.list.className = "search-results" + (inline ? " search-results-inline" : "");
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", t.search_results || "Results");
    this.list.hidden = true;
    this.status = document.createElement("p");
    this.status.className = "search-status" + (inline ? "" : " visually-hidden");
    this.status.setAttribute("role", "status");
    this.box.append(label, this.input, this.status, this.list);
    host.appendChild(this.box);
    this.options = [];
    this.active = -1;
    this.run = 0;
    this.input.addEventListener("focus", function () { start(); });
    this.input.addEventListener("input", function () { self.query(); });
    this.input.addEventListener("keydown", function (event) { self.key(event); });
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep focus
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.open(option, event);
    });
    if (!inline) {
      document.addEventListener("click", function (event) { if (!self.box.contains(event.target)) self.close(); });
      this.input.addEventListener("blur", function () {
        setTimeout(function () { if (!self.box.contains(document.activeElement)) self.close(); }, 0);
      });
    }
  }

  Widget.prototype.query = function () {
    var self = this, value = this.input.value, run = ++this.run;
    if (!value.trim()) { this.show(null); return; }
    search(value, this.limits, function (partial) { if (run === self.run) self.show(partial); }).then(function (result) {
      if (run === self.run) self.show(result);
    }, function (error) {
      if (window.console) console.warn("Gloss search:", error);
      if (run === self.run) self.say(t.search_unavailable || "Search is unavailable.");
    });
  };

  Widget.prototype.say = function (text) {
    // Changing the text is what a live region announces; the same text twice is set again after a pause.
    this.status.textContent = text;
  };

  Widget.prototype.option = function (parent, url, lines, data) {
    var option = document.createElement("div");
    option.setAttribute("role", "option");
    option.id = this.id + "-o" + this.options.length;
    option.setAttribute("aria-selected", "false");
    option.className = "search-option";
    option.setAttribute("data-href", url);
    lines.forEach(function (line) { option.appendChild(line); });
    if (data) for (var k in data) option.setAttribute(k, data[k]);
    parent.appendChild(option);
    this.options.push(option);
    return option;
  };

  Widget.prototype.group = function (title, className) {
    var group = document.createElement("div");
    group.setAttribute("role", "group");
    group.className = "search-group " + (className || "");
    var head = document.createElement("div");
    head.className = "search-group-title";
    head.id = this.id + "-g" + this.list.children.length;
    head.setAttribute("role", "presentation");
    title.forEach(function (part) { head.appendChild(part); });
    group.setAttribute("aria-labelledby", head.id);
    group.appendChild(head);
    this.list.appendChild(group);
    return group;
  };

  function span(className, text) {
    var el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  }

  function marked(parts) {
    var el = document.createElement("span");
    el.className = "search-snippet";
    parts.forEach(function (part) {
      if (part[1]) { var m = document.createElement("mark"); m.textContent = part[0]; el.appendChild(m); }
      else el.appendChild(document.createTextNode(part[0]));
    });
    return el;
  }

  Widget.prototype.show = function (result) {
    var self = this;
    this.list.textContent = "";
    this.options = [];
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.result = result;
    if (!result) {
      this.list.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.say("");
      return;
    }
    if (result.entities.length) {
      var entities = this.group([document.createTextNode(t.search_entities || "Entries")], "search-entities");
      result.entities.forEach(function (found) {
        var e = found.entity;
        var lines = [span("search-title", e.name), span("search-kind", e.kind)];
        if (found.via) lines.push(span("search-via", say("search_also_called", { name: found.via })));
        if (e.summary) lines.push(span("search-summary", e.summary));
        self.option(entities, href(e.url), lines, { "data-kind": "entity" });
      });
    }
    var passages = 0;
    result.groups.forEach(function (g) {
      var title = [span("search-group-name", g.title)];
      if (g.kind) title.push(span("search-kind", say("search_gloss", { kind: g.kind })));
      var group = self.group(title, "search-article");
      g.passages.forEach(function (p) {
        var lines = [];
        var where = passageLabel(p.anchor);
        if (where) lines.push(span("search-where", where));
        lines.push(marked(snippet(p)));
        self.option(group, href(g.url, p.anchor), lines, { "data-anchor": p.anchor || "" });
        passages++;
      });
    });
    if (this.inline && result.more) {
      var more = document.createElement("button");
      more.type = "button";
      more.className = "search-more";
      more.textContent = t.search_more || "More results";
      more.addEventListener("click", function () { self.more(); });
      this.list.appendChild(more);
    } else if (!this.inline && (result.more || result.groups.length) && result.query.text) {
      var all = this.group([document.createTextNode("")], "search-all");
      this.option(all, href("search.html") + "?q=" + encodeURIComponent(result.query.text),
                  [span("search-title", t.search_all || "All results")], { "data-kind": "all" });
    }
    var count = result.entities.length + passages;
    var empty = !result.entities.length && !result.groups.length;
    this.list.hidden = empty;
    this.input.setAttribute("aria-expanded", empty ? "false" : "true");
    if (result.partial) { /* the live region waits for the complete results */ }
    else if (empty) this.say(say("search_none", { query: result.query.text }));
    else this.say(say("search_count", { entities: result.entities.length, passages: passages,
                                         groups: result.groups.length, count: count }));
    if (this.inline) this.list.hidden = empty;
    this.box.classList.toggle("search-open", !empty && !this.inline);
    // For themes and for `make bench`: the results for the box's current text are on screen.
    this.box.dispatchEvent(new CustomEvent("gloss-search-shown", { bubbles: true, detail: { query: result.query.text, complete: !result.partial } }));
  };

  Widget.prototype.more = function () {
    var self = this, result = this.result, run = ++this.run;
    if (!result || !result.more) return;
    var limits = { entities: 0, groups: result.groups.length + this.limits.groups, passages: this.limits.passages,
                   files: this.limits.files };
    start().then(function (data) {
      return fill(data, result.query, result.ranked, result.next, limits, result);
    }).then(function (r) { if (run === self.run) self.show(r); });
  };

  Widget.prototype.move = function (to) {
    if (!this.options.length) return;
    if (this.active >= 0) this.options[this.active].setAttribute("aria-selected", "false");
    this.active = (to + this.options.length) % this.options.length;
    var option = this.options[this.active];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  Widget.prototype.key = function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); this.list.hidden = false; this.move(this.active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); this.move(this.active - 1); }
    else if (event.key === "Enter") {
      event.preventDefault();
      if (this.active >= 0) this.open(this.options[this.active], event);
      else if (!this.inline && this.input.value.trim()) {
        location.href = href("search.html") + "?q=" + encodeURIComponent(this.input.value.trim());
      } else if (this.options.length) this.open(this.options[0], event);
    } else if (event.key === "Escape") {
      if (!this.inline && !this.list.hidden) { event.preventDefault(); this.close(); }
      else if (this.input.value) { event.preventDefault(); this.input.value = ""; this.show(null); }
    }
  };

  Widget.prototype.open = function (option, event) {
    var url = option.getAttribute("data-href");
    if (event && (event.ctrlKey || event.metaKey || event.shiftKey)) window.open(url);
    else location.href = url;
    this.close();
  };

  Widget.prototype.close = function () {
    if (this.inline) return;
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.box.classList.remove("search-open");
    if (this.active >= 0) this.options[this.active].setAttribute("aria-selected", "false");
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
  };

  // ------------------------------------------------------------------ on this page

  var link = root.querySelector(".search-link");
  var page = document.querySelector("[data-gloss-search-page]");
  var widget;
  if (page) {
    widget = new Widget(page, true);
    var fallback = page.querySelector(".search-fallback");
    if (fallback) fallback.hidden = true;
    var wanted = new URLSearchParams(location.search).get("q");
    if (wanted) { widget.input.value = wanted; widget.query(); }
  } else {
    widget = new Widget(root, false);
    if (link) link.hidden = true;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    widget.input.focus();
    widget.input.select();
  });
})();
