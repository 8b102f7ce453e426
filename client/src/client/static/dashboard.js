// Keeps the dashboard's figures live: every few seconds the figures fragment
// (/events/:id/dashboard/figures, server-rendered HTML) replaces the one on the page.
// Polling, not the availability stream: the figures (revenue, check-ins, the chart)
// come from the statistics route, which has no stream. A failed fetch keeps the old
// figures and marks them stale until a fetch succeeds again.
(function () {
  "use strict";
  var root = document.querySelector("[data-dashboard-event]");
  var target = document.querySelector("[data-live-figures]");
  if (!root || !target || !window.fetch) { return; }
  var state = document.querySelector("[data-live-state]");
  var url = "/events/" + encodeURIComponent(root.getAttribute("data-dashboard-event")) + "/dashboard/figures";
  var seconds = Math.max(2, parseInt(root.getAttribute("data-refresh-seconds"), 10) || 5);
  var busy = false;

  function mark(live) {
    if (!state) { return; }
    state.textContent = live ? "live" : "reconnecting…";
    state.className = "live-state muted" + (live ? "" : " stale");
  }
  function refresh() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        // A redirect means the session ended (sign-in page): keep the figures, mark them stale.
        if (!response.ok || response.redirected) { throw new Error("figures " + response.status); }
        return response.text();
      })
      .then(function (html) { target.innerHTML = html; mark(true); })
      .catch(function () { mark(false); })
      .then(function () { busy = false; });
  }
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
})();
