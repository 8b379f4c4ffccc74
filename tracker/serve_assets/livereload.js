// `python3 build.py serve` only (never part of the site): reload when a new build is ready, and show the
// problems of a build that failed on top of the last good one.
(function () {
  var build = Number(document.currentScript.getAttribute("data-build"));
  var seen = build - 1;  // the first answer comes at once: the state of the build this page belongs to
  function show(problems) {
    var box = document.getElementById("rpt-serve-problems") || document.createElement("pre");
    box.id = "rpt-serve-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;z-index:1000;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;" +
      "margin:0;padding:1em;background:#fff3f3;color:#8b0000;border-top:3px solid #c00;font-size:.8rem;" +
      "white-space:pre-wrap";
    box.textContent = "The content has problems; this page is the last good build.\n\n" + problems;
    document.body.appendChild(box);
  }
  function wait() {
    fetch("/__serve/wait?after=" + seen, {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.build > seen) {
          seen = state.build;
          if (!state.ok) {
            show(state.problems);
          } else if (state.build > build) {
            location.reload();
            return;
          }
        }
        wait();
      })
      .catch(function () { setTimeout(wait, 1000); });  // the server restarts: try again
  }
  wait();
})();
