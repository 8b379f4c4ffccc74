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
  var waiting = {};  // file path -> [resolve callbacks]
  var loaded = {};   // file path -> data
  var manifest = null;

  function register(path, data) {
    loaded[path] = data;
    (waiting[path] || []).forEach(function (resolve) { resolve(data); });
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
        script.onerror = function () { reject(new Error("cannot load " + path)); };
        document.head.appendChild(script);
      }
      waiting[path].push(resolve);
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

  // A query's parts: each run of Chinese characters (matched as a phrase) and each word.
  function parse(query) {
    var parts = [], folded = fold(query), run = "";
    for (var i = 0; i <= folded.length; i++) {
      var ch = folded[i];
      if (ch !== undefined && CJK.test(ch)) { run += ch; continue; }
      if (run) { parts.push({cjk: true, text: run}); run = ""; }
    }
    (folded.replace(new RegExp(CJK.source, "g"), " ").match(WORD) || []).forEach(function (word) {
      parts.push({cjk: false, text: word});
    });
    return parts;
  }

  // Terms are in the Basic Multilingual Plane (see CJK above), so char codes are code points here.
  function termsOf(part) {
    if (!part.cjk || part.text.length === 1) return [part.text];
    var bigrams = [];
    for (var i = 0; i + 1 < part.text.length; i++) bigrams.push(part.text.substr(i, 2));
    return bigrams;
  }

  // posting [doc gap, n, pos gaps…]* -> {doc: [positions]}
  function decode(posting) {
    var out = {}, doc = 0;
    for (var i = 0; i < posting.length;) {
      doc += posting[i];
      var n = posting[i + 1], positions = [], p = 0;
      for (var j = 0; j < n; j++) { p += posting[i + 2 + j]; positions.push(p); }
      out[doc] = positions;
      i += 2 + n;
    }
    return out;
  }

  // Docs where the part occurs, with the start of each occurrence ([] when only the document is known).
  function matchPart(part, postings) {
    var terms = termsOf(part);
    var lists = terms.map(function (t) { return postings[t] ? decode(postings[t]) : {}; });
    var result = {};
    Object.keys(lists[0]).forEach(function (doc) {
      var starts = lists[0][doc];
      if (terms.length === 1) { result[doc] = starts; return; }
      for (var k = 1; k < terms.length && starts.length; k++) {
        var here = lists[k][doc];
        if (!here) { starts = []; break; }
        var next = new Set(here), step = k;  // bigram k of a phrase starts k characters after its start
        starts = starts.filter(function (s) { return next.has(s + step); });
      }
      if (starts.length) result[doc] = starts;
    });
    return result;
  }

  function search(query) {
    var parts = parse(query);
    if (!parts.length) return Promise.resolve({parts: parts, hits: []});
    return load("search/manifest.js").then(function (m) {
      manifest = m;
      var needed = {};
      parts.forEach(function (part) {
        termsOf(part).forEach(function (t) { needed["search/s/" + shardOf(t, m.shards) + ".js"] = true; });
      });
      return Promise.all(Object.keys(needed).map(load));
    }).then(function (shards) {
      var postings = {};
      shards.forEach(function (shard) { for (var t in shard) postings[t] = shard[t]; });
      var scores = null;
      parts.forEach(function (part) {
        var found = matchPart(part, postings), next = {};
        for (var doc in found) {
          if (scores === null || doc in scores) {
            var starts = found[doc];
            next[doc] = (scores ? scores[doc] : 0) + Math.max(starts.length, 1) + (starts[0] < 24 ? 6 : 0);
          }
        }
        scores = next;
      });
      var pinned = manifest.synonyms[fold(query.trim())];
      var entities = manifest.kinds[0] + manifest.kinds[1];
      var hits = Object.keys(scores).map(function (doc) {
        var id = Number(doc);
        return {id: id, score: scores[doc] + (id < entities ? 4 : 0) + (id === pinned ? 100 : 0)};
      });
      if (pinned !== undefined && !(pinned in scores)) hits.push({id: pinned, score: 100});
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return {parts: parts, hits: hits};
    });
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; });
  }

  // The snippet around the first match, every match of every part marked.
  function snippet(doc, parts) {
    var text = doc.x, folded = fold(text), ranges = [];
    parts.forEach(function (part) {
      var needle = part.text;
      for (var at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.length)) {
        ranges.push([at, at + needle.length]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    // Prefer a match inside a statement: the result then links to the statement itself.
    var inStatement = ranges.filter(function (r) { return anchorAt(doc, r[0]); })[0];
    var first = inStatement ? inStatement[0] : ranges.length ? ranges[0][0] : 0;
    var start = Math.max(0, first - 30), end = Math.min(text.length, start + 120);
    var out = start > 0 ? "…" : "", cursor = start;
    ranges.forEach(function (r) {
      if (r[0] < cursor || r[0] >= end) return;
      out += escapeHtml(text.slice(cursor, r[0])) + "<mark>" + escapeHtml(text.slice(r[0], Math.min(r[1], end))) + "</mark>";
      cursor = Math.min(r[1], end);
    });
    out += escapeHtml(text.slice(cursor, end)) + (end < text.length ? "…" : "");
    return {html: out, first: first};
  }

  function anchorAt(doc, position) {
    for (var i = 0; i < doc.a.length; i++) {
      if (doc.a[i][0] <= position && position < doc.a[i][1]) return "#" + doc.a[i][2];
    }
    return "";
  }

  // The search box in the header: Material's look, our engine.
  var form = document.querySelector("form[data-rpt-search]");
  if (!form) return;
  var input = form.querySelector("input");
  var toggle = document.getElementById("__search");
  var meta = document.querySelector("[data-rpt-search-meta]");
  var list = document.querySelector("[data-rpt-search-list]");
  var current = 0;

  function show(query) {
    var ticket = ++current;
    if (!query.trim()) { meta.textContent = meta.getAttribute("data-empty"); list.innerHTML = ""; return; }
    search(query).then(function (result) {
      var top = result.hits.slice(0, 10);
      return Promise.all(top.map(function (h) { return load("search/d/" + h.id + ".js"); })).then(function (docs) {
        if (ticket !== current) return;  // a newer query is on its way
        meta.textContent = result.hits.length ? "找到 " + result.hits.length + " 个结果 · " + result.hits.length + " results"
                                              : "没有找到 No results";
        list.innerHTML = docs.map(function (doc) {
          var s = snippet(doc, result.parts);
          return '<li class="md-search-result__item"><a class="md-search-result__link" href="' + escapeHtml(root + doc.u + anchorAt(doc, s.first)) + '">' +
            '<article class="md-search-result__article md-typeset"><h1>' + escapeHtml(doc.t) + '</h1>' +
            '<p class="rpt-search-meta">' + escapeHtml(doc.m) + "</p><p>" + s.html + "</p></article></a></li>";
        }).join("");
        document.dispatchEvent(new CustomEvent("rpt-search-results", {detail: {query: query, count: result.hits.length}}));
      });
    }).catch(function (error) {
      meta.textContent = "搜索出错 Search failed: " + error.message;
    });
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
})();
