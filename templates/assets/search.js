// Search over the sharded index that tracker/search.py builds. Works over http and from file://:
// every index file is a script that calls rptSearch.<kind>(key, data) when a <script> tag loads it.
// Chinese is matched as adjacent character bigrams (电路 finds 集成电路, 第三极 finds only 第三极),
// English and numbers as words; every part of a query must match (AND).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = config.base.replace(/\/?$/, "/");  // the site root, relative to this page
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var WORD = /[a-z0-9]+/g;
  var waiting = {};  // file path -> [{resolve, reject}] while its script loads
  var loaded = {};   // file path -> data
  var manifest = null;

  function register(path, data) {
    loaded[path] = data;
    (waiting[path] || []).forEach(function (wait) { wait.resolve(data); });
    delete waiting[path];
  }

  window.rptSearch = {
    manifest: function (format, data) { register("search/manifest.js", data); },
    shard: function (n, data) { register("search/s/" + n + ".js", data); },
    doc: function (n, data) { register("search/d/" + n + ".js", data); }
  };

  function load(path) {
    if (loaded[path]) return Promise.resolve(loaded[path]);
    return new Promise(function (resolve, reject) {
      if (!waiting[path]) {
        waiting[path] = [];
        var script = document.createElement("script");
        script.src = root + path;
        script.async = true;
        script.onerror = function () {  // every wait fails; a later search tries again
          var failed = waiting[path] || [];
          delete waiting[path];
          script.remove();
          failed.forEach(function (wait) { wait.reject(new Error("cannot load " + path)); });
        };
        document.head.appendChild(script);
      }
      waiting[path].push({resolve: resolve, reject: reject});
    });
  }

  // The same folding as tracker/search.py: one character for one, so positions line up.
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      var f = ch.normalize("NFKC").toLowerCase();
      out += f.length === 1 ? f : ch;
    }
    return out;
  }

  function shardOf(term, shards) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      h ^= term.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  // An English word without its plural ending, as tracker/search.py stems it.
  function stem(word) {
    if (word.length > 4 && /ies$/.test(word)) return word.slice(0, -3) + "y";
    if (word.length > 3 && /s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
    return word;
  }

  // A query's parts: each run of Chinese characters (matched as a phrase) and each word (stemmed). A part that
  // names an industry (芯片, chips, "integrated circuits") matches any of the industry's names.
  function parse(query, m) {
    var parts = [], folded = fold(query), run = "";
    function addRun(text) {
      // 广东芯片: the industry name inside a run of Chinese is a part of its own
      var best = "";
      Object.keys(m.synonyms).forEach(function (name) {
        if (CJK.test(name) && name.length > best.length && text.indexOf(name) >= 0) best = name;
      });
      if (!best || best === text) { parts.push(expand({cjk: true, text: text}, m)); return; }
      var at = text.indexOf(best);
      if (at > 0) addRun(text.slice(0, at));
      parts.push(expand({cjk: true, text: best}, m));
      if (at + best.length < text.length) addRun(text.slice(at + best.length));
    }
    for (var i = 0; i <= folded.length; i++) {
      var ch = folded[i];
      if (ch !== undefined && CJK.test(ch)) { run += ch; continue; }
      if (run) { addRun(run); run = ""; }
    }
    var words = (folded.replace(new RegExp(CJK.source, "g"), " ").match(WORD) || []).map(stem);
    for (var w = 0; w < words.length;) {
      var taken = 1;
      for (var n = Math.min(4, words.length - w); n > 1; n--) {  // the longest run of words that names an industry
        if (words.slice(w, w + n).join(" ") in m.synonyms) { taken = n; break; }
      }
      parts.push(expand({cjk: false, text: words.slice(w, w + taken).join(" ")}, m));
      w += taken;
    }
    return parts;
  }

  function expand(part, m) {
    var industry = m.synonyms[part.text];
    if (industry === undefined) return part;
    part.industry = industry;
    part.alts = m.names[industry].map(function (name) { return {cjk: CJK.test(name), text: name}; });
    return part;
  }

  function alternatives(part) {
    return part.alts || [part];
  }

  // The terms a part needs: an industry's names have one term of their own (tracker/search.py: industry_term).
  function termsNeeded(part) {
    if (part.industry !== undefined) return ["#" + part.industry];
    return alternatives(part).reduce(function (all, alt) {
      return all.concat(termsOf(alt).map(function (t) { return t.term; }));
    }, []);
  }

  // A phrase's terms, each with where it starts in the phrase. Chinese: the bigrams at 0, 2, 4… and the last, which
  // hold every character, so that found at those places they are the phrase (产业集群: 产业 and 集群, without 业集:
  // a third fewer files to load). Terms are in the Basic Multilingual Plane (see CJK above), so char codes are
  // code points here.
  function termsOf(part) {
    var text = part.text;
    if (!part.cjk) return text.split(" ").map(function (word) { return {term: word, at: 0}; });
    if (text.length === 1) return [{term: text, at: 0}];
    var terms = [];
    for (var i = 0; i + 1 < text.length; i += 2) terms.push({term: text.substr(i, 2), at: i});
    if (text.length % 2) terms.push({term: text.substr(text.length - 2), at: text.length - 2});
    return terms;
  }

  // A match is two parallel lists: docs (ascending ids) and, for each, the start of each occurrence (ascending).
  // Lists merged in order, not objects keyed by id: a common term is in most of 10,000 reports, and the search runs
  // once on a fresh page, before the engine has optimized anything.

  // A posting's numbers, as tracker/search.py writes them (DIGITS): five bits a character, most significant first,
  // a character from the second half of the alphabet saying more follow.
  var DIGIT = new Int8Array(128);
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (ch, value) {
    DIGIT[ch.charCodeAt(0)] = value;
  });

  function numbers(text) {
    var out = [], n = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text.charCodeAt(i)];
      n = n * 32 + (digit & 31);
      if (digit < 32) { out.push(n); n = 0; }
    }
    return out;
  }

  // posting [doc gap, n, pos gaps…]* -> match
  function decode(text) {
    var posting = numbers(text), docs = [], pos = [], doc = 0;
    for (var i = 0; i < posting.length;) {
      doc += posting[i];
      var n = posting[i + 1], positions = new Array(n), p = 0;
      for (var j = 0; j < n; j++) { p += posting[i + 2 + j]; positions[j] = p; }
      docs.push(doc);
      pos.push(positions);
      i += 2 + n;
    }
    return {docs: docs, pos: pos};
  }

  var NONE = {docs: [], pos: []};

  function termMatch(postings, term) {
    return postings[term] ? decode(postings[term]) : NONE;
  }

  // The docs of both (a doc in one only is dropped), each with combine(its starts in a, in b).
  function intersect(a, b, combine) {
    var docs = [], pos = [];
    for (var i = 0, j = 0; i < a.docs.length && j < b.docs.length;) {
      if (a.docs[i] < b.docs[j]) i++;
      else if (a.docs[i] > b.docs[j]) j++;
      else {
        var starts = combine(a.pos[i], b.pos[j]);
        if (starts) { docs.push(a.docs[i]); pos.push(starts); }
        i++; j++;
      }
    }
    return {docs: docs, pos: pos};
  }

  // The docs of either, the starts of a doc in both together (in order).
  function union(a, b) {
    var docs = [], pos = [];
    for (var i = 0, j = 0; i < a.docs.length || j < b.docs.length;) {
      if (j >= b.docs.length || (i < a.docs.length && a.docs[i] < b.docs[j])) { docs.push(a.docs[i]); pos.push(a.pos[i]); i++; }
      else if (i >= a.docs.length || b.docs[j] < a.docs[i]) { docs.push(b.docs[j]); pos.push(b.pos[j]); j++; }
      else {
        docs.push(a.docs[i]);
        pos.push(a.pos[i].concat(b.pos[j]).sort(function (x, y) { return x - y; }));
        i++; j++;
      }
    }
    return {docs: docs, pos: pos};
  }

  // Docs where the part (or any of its alternatives) occurs, with the start of each occurrence. An industry's
  // names are matched at build time (its own term).
  function matchPart(part, postings) {
    if (part.industry !== undefined) return termMatch(postings, "#" + part.industry);
    return alternatives(part).reduce(function (found, alt) { return union(found, matchPhrase(alt, postings)); }, NONE);
  }

  // Docs where one phrase occurs: Chinese, its bigrams each at its place from the phrase's start; English, its
  // words all present (the starts of each).
  function matchPhrase(part, postings) {
    var terms = termsOf(part);
    var found = termMatch(postings, terms[0].term);
    terms.slice(1).forEach(function (t) {
      found = intersect(found, termMatch(postings, t.term), part.cjk ? function (starts, here) {
        var kept = [];
        for (var i = 0, j = 0; i < starts.length && j < here.length;) {
          if (here[j] < starts[i] + t.at) j++;
          else { if (here[j] === starts[i] + t.at) kept.push(starts[i]); i++; }
        }
        return kept.length ? kept : null;
      } : function (starts, here) { return starts.concat(here).sort(function (x, y) { return x - y; }); });
    });
    return found;
  }

  function search(query) {
    var parts;
    return load("search/manifest.js").then(function (m) {
      manifest = m;
      parts = parse(query, m);
      var needed = {};
      parts.forEach(function (part) {
        termsNeeded(part).forEach(function (t) { needed["search/s/" + shardOf(t, m.shards) + ".js"] = true; });
      });
      return Promise.all(Object.keys(needed).map(load));
    }).then(function (shards) {
      if (!parts.length) return {parts: parts, hits: []};
      var postings = {};
      shards.forEach(function (shard) { for (var t in shard) postings[t] = shard[t]; });
      // Every part must match; a doc scores by each part's occurrences, more where one comes near the start (the
      // scores kept where a match keeps its starts).
      var scored = null;
      parts.forEach(function (part) {
        var found = matchPart(part, postings);
        var scores = {docs: found.docs, pos: found.pos.map(function (starts) {
          return Math.max(starts.length, 1) + (starts[0] < 24 ? 6 : 0);
        })};
        scored = scored ? intersect(scored, scores, function (a, b) { return a + b; }) : scores;
      });
      // The industry a query names alone comes first; a region and an industry together, their own page.
      var pinned = parts.length === 1 ? parts[0].industry : undefined;
      var entities = manifest.kinds[0] + manifest.kinds[1], pairs = entities + manifest.kinds[2];
      var paired = parts.length > 1 && parts.some(function (p) { return p.industry !== undefined; });
      var hits = scored.docs.map(function (id, i) {
        return {id: id, score: scored.pos[i] + (id < entities ? 4 : 0) + (id === pinned ? 100 : 0) +
                              (paired && id >= entities && id < pairs ? 50 : 0)};
      });
      if (pinned !== undefined && scored.docs.indexOf(pinned) < 0) hits.push({id: pinned, score: 100});
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return {parts: parts, hits: hits};
    });
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; });
  }

  // The snippet around the first match, every match of every part marked: in a statement, the statement's own
  // words and figures (not the labels indexed after them).
  function snippet(doc, parts) {
    var text = doc.x, folded = fold(text), ranges = [];
    parts.forEach(function (part) {
      alternatives(part).forEach(function (alt) {
        alt.text.split(alt.cjk ? /\u0000/ : " ").forEach(function (needle) {
          for (var at = folded.indexOf(needle); needle && at >= 0; at = folded.indexOf(needle, at + needle.length)) {
            ranges.push([at, at + needle.length]);
          }
        });
      });
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    // Prefer a match inside a statement: the result then links to the statement itself.
    var inStatement = ranges.filter(function (r) { return spanAt(doc, r[0]); })[0];
    var first = inStatement ? inStatement[0] : ranges.length ? ranges[0][0] : 0;
    var span = spanAt(doc, first), start, end;
    if (span) { start = span[0]; end = Math.max(span[3], span[0] + 1); }
    else { start = Math.max(0, first - 30); end = Math.min(text.length, start + 120); }
    var out = start > 0 && !span ? "…" : "", cursor = start;
    ranges.forEach(function (r) {
      if (r[0] < cursor || r[0] >= end) return;
      out += escapeHtml(text.slice(cursor, r[0])) + "<mark>" + escapeHtml(text.slice(r[0], Math.min(r[1], end))) + "</mark>";
      cursor = Math.min(r[1], end);
    });
    out += escapeHtml(text.slice(cursor, end)) + (end < text.length && !span ? "…" : "");
    return {html: out, first: first, kind: span ? span[4] : ""};
  }

  function spanAt(doc, position) {
    for (var i = 0; i < doc.a.length; i++) {
      if (doc.a[i][0] <= position && position < doc.a[i][1]) return doc.a[i];
    }
    return null;
  }

  function anchorAt(doc, position) {
    var span = spanAt(doc, position);
    return span ? "#" + span[2] : "";
  }

  // The search box in the header: Material's look, our engine.
  var form = document.querySelector("form[data-rpt-search]");
  if (!form) return;
  var input = form.querySelector("input");
  var toggle = document.getElementById("__search");
  var meta = document.querySelector("[data-rpt-search-meta]");
  var list = document.querySelector("[data-rpt-search-list]");
  var current = 0;

  // Results go on screen as their docs arrive, in rank order: the first as soon as its own doc is here (a doc is
  // a file of its own, and ten of them come over as many requests). A doc that cannot be loaded leaves a gap the
  // results below it close over, and the count says what failed; the events fire all the same (with no results,
  // rpt-search-first-result fires when the empty list is drawn).
  function show(query) {
    var ticket = ++current;
    if (!query.trim()) { meta.textContent = meta.getAttribute("data-empty"); list.innerHTML = ""; return; }
    search(query).then(function (result) {
      var top = result.hits.slice(0, 10), arrived = [], shown = 0, started = false, failures = [];
      function announce(name) {
        document.dispatchEvent(new CustomEvent(name, {detail: {query: query, count: result.hits.length,
                                                               failed: failures.length}}));
      }
      function showArrived(settled) {  // settled: every doc has come or failed (arrived[i] null)
        if (ticket !== current) return;  // a newer query is on its way
        var html = "";
        for (; shown < top.length && arrived[shown] !== undefined; shown++) {
          if (arrived[shown]) html += item(arrived[shown], result.parts);
        }
        if (!html && !settled) return;
        if (!started) {  // the previous query's results go now, not before: no empty list in between
          list.innerHTML = "";
          list.removeAttribute("data-rpt-query");
          count(result.hits.length);
        }
        if (html) list.insertAdjacentHTML("beforeend", html);
        if (!started) { started = true; announce("rpt-search-first-result"); }
      }
      function fetchDoc(i) {
        return load("search/d/" + top[i].id + ".js").then(function (doc) { arrived[i] = doc; }, function (error) {
          arrived[i] = null;
          failures.push(error);
        }).then(function () { showArrived(false); });
      }
      // The first doc alone, then the others: asked together, the first waited its turn among ten requests (and
      // ten scripts to run), and the reader waited for it.
      return (top.length ? fetchDoc(0) : Promise.resolve()).then(function () {
        if (ticket !== current) return;
        return Promise.all(top.slice(1).map(function (h, i) { return fetchDoc(i + 1); }));
      }).then(function () {
        if (ticket !== current) return;
        showArrived(true);
        if (failures.length) {  // every file that failed, for a report to name them all
          meta.textContent += " · " + meta.getAttribute("data-failed") +
            failures.map(function (error) { return error.message; }).join("; ");
        }
        list.setAttribute("data-rpt-query", query);  // what the list now shows, whole (tests wait for it)
        announce("rpt-search-results");
      });
    }).catch(function (error) {
      if (ticket === current) meta.textContent = meta.getAttribute("data-failed") + error.message;
    });
  }

  function count(n) {  // the words are the page's language's (data-* from the catalog)
    meta.textContent = (n ? meta.getAttribute(n === 1 ? "data-one" : "data-many") : meta.getAttribute("data-none"))
      .replace("{n}", n);
  }

  function item(doc, parts) {
    var s = snippet(doc, parts);
    return '<li class="md-search-result__item"><a class="md-search-result__link" href="' + escapeHtml(root + doc.u + anchorAt(doc, s.first)) + '">' +
      '<article class="md-search-result__article md-typeset"><h1>' + escapeHtml(doc.t) + '</h1>' +
      '<p class="rpt-search-meta">' + escapeHtml(doc.m + (s.kind ? " · " + s.kind : "")) + "</p><p>" + s.html +
      "</p></article></a></li>";
  }

  input.addEventListener("input", function () { show(input.value); });
  input.addEventListener("focus", function () { toggle.checked = true; });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { toggle.checked = false; input.blur(); }
    if (event.key === "Enter") {
      event.preventDefault();
      var link = list.querySelector("a");
      if (link) window.location.href = link.href;
    }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { show(""); toggle.checked = false; });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); toggle.checked = true; show(input.value); }
  window.rptSearch.query = search;  // for tests and the benchmark
  // The manifest (a few KB, cached from page to page) is read before every query: load it now, while the reader
  // reaches for the search box. A failure shows when they search.
  load("search/manifest.js").catch(function () {});
})();
