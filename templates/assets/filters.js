// Filters for the timeline and the commitments: progressive enhancement, no server, no library.
// A form [data-rpt-filters] narrows the [data-rpt-item] elements of the page's article. An item or
// its [data-rpt-sub] parts carry data-industries, data-regions, data-kinds, data-statuses (space-
// separated); a part of an item is kept when it matches the filters its attributes name, an item
// when it matches and, if it has parts, keeps at least one. The choice is kept in the address
// (?industry=…&region=…) so that a filtered view can be shared.
(function () {
  "use strict";
  var ATTRIBUTES = {industry: "data-industries", region: "data-regions", kind: "data-kinds", status: "data-statuses"};
  var FIELDS = Object.keys(ATTRIBUTES);

  function matches(el, wanted) {
    return FIELDS.every(function (field) {
      var have = el.getAttribute(ATTRIBUTES[field]);
      return !wanted[field] || have === null || have.split(" ").indexOf(wanted[field]) >= 0;
    });
  }

  function setUp(form) {
    var scope = document.querySelector(form.getAttribute("data-rpt-filters") || "article") || document;
    var items = Array.prototype.slice.call(scope.querySelectorAll("[data-rpt-item]"));
    var groups = Array.prototype.slice.call(scope.querySelectorAll(".rpt-group"));
    var output = form.querySelector("output");
    var tallies = Array.prototype.slice.call(scope.querySelectorAll("[data-rpt-tally] [data-status]"));
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (field) {
      var select = form.elements[field];
      if (select && params.get(field)) select.value = params.get(field);
    });

    function apply() {
      var wanted = {}, shown = 0, parts = 0, query = new URLSearchParams(window.location.search);
      FIELDS.forEach(function (field) {
        var select = form.elements[field];
        wanted[field] = select ? select.value : "";
        if (wanted[field]) query.set(field, wanted[field]); else query.delete(field);
      });
      var narrowing = Boolean(wanted.industry || wanted.kind || wanted.status);
      items.forEach(function (item) {
        var ok = matches(item, wanted);
        var subs = item.querySelectorAll("[data-rpt-sub]");
        if (subs.length) {
          var kept = 0;
          Array.prototype.forEach.call(subs, function (sub) {
            var keep = ok && matches(sub, wanted);
            sub.hidden = !keep;
            if (keep) kept += 1;
          });
          ok = ok && kept > 0;
          parts += kept;
          var fold = item.querySelector("details");
          if (fold) fold.open = ok && narrowing;
          var count = item.querySelector(".rpt-sub-count");
          if (count) count.textContent = narrowing ? kept + " / " : "";
        }
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      // A group heading (.rpt-group) stays while something under it, up to the next heading of its
      // level or above, is still shown.
      groups.forEach(function (heading) {
        var level = Number(heading.tagName[1]), any = false;
        for (var el = heading.nextElementSibling; el; el = el.nextElementSibling) {
          if (/^H[1-6]$/.test(el.tagName) && Number(el.tagName[1]) <= level) break;
          if (el.matches("[data-rpt-item]:not([hidden])") || el.querySelector("[data-rpt-item]:not([hidden])")) { any = true; break; }
        }
        heading.hidden = !any;
      });
      // The words are the page's language's (data-* from the catalog).
      output.textContent = output.getAttribute("data-shown").replace("{shown}", shown).replace("{total}", items.length)
        + (parts ? output.getAttribute("data-parts").replace("{n}", parts) : "");
      // Counts by status (commitments) follow what is shown.
      var byStatus = {};
      items.forEach(function (item) {
        var status = item.getAttribute("data-statuses");
        if (!item.hidden && status) byStatus[status] = (byStatus[status] || 0) + 1;
      });
      tallies.forEach(function (tally) {
        var n = byStatus[tally.getAttribute("data-status")] || 0;
        tally.querySelector(".rpt-tally-n").textContent = n;
        tally.hidden = !n;
      });
      var search = query.toString();
      try {
        history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      } catch (e) { /* some browsers refuse this for file:// pages: the filter still works */ }
    }

    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-rpt-filters]"), setUp);
})();
