// Checkout countdown: ticks down to the hold's expiresAt; same format as formatting.format_countdown.
(function () {
  "use strict";
  function format(seconds) {
    seconds = Math.max(0, seconds);
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }
  function expire() {
    document.querySelectorAll("[data-disable-on-expiry] button").forEach(function (b) { b.disabled = true; });
    document.querySelectorAll(".expired-note").forEach(function (n) { n.hidden = false; });
  }
  document.querySelectorAll("[data-expires-at]").forEach(function (el) {
    var deadline = Date.parse(el.getAttribute("data-expires-at"));
    if (isNaN(deadline)) { return; }
    function tick() {
      var left = Math.floor((deadline - Date.now()) / 1000);
      el.textContent = format(left);
      if (left <= 0) { expire(); clearInterval(timer); }
    }
    var timer = setInterval(tick, 1000);
    tick();
  });
  // After paying, the order completes asynchronously: reload a few times to show the tickets.
  if (document.querySelector("[data-awaiting-completion]")) {
    var tries = Number(sessionStorage.getItem("completionTries") || 0);
    if (tries < 10) {
      sessionStorage.setItem("completionTries", String(tries + 1));
      setTimeout(function () { location.reload(); }, 1500);
    }
  } else {
    sessionStorage.removeItem("completionTries");
  }
})();
