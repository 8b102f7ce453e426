// Choosing seats on the event page. Every seat is a toggle button (aria-pressed); the map
// is one Tab stop (roving tabindex, rendered by the server): arrow keys move between seats
// (left/right along a row, up/down to the nearest seat of the next row, Home/End to a
// row's ends), Enter or Space toggles as on any button. A seat that is not available is
// aria-disabled (still reachable, so its state is heard) and cannot be chosen.
// availability.js keeps states live; the chosen seats are posted as `seat` fields.
(function () {
  "use strict";
  var form = document.querySelector("[data-seat-form]");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll(".seat-row"));
  var inputs = form.querySelector("[data-seat-inputs]");

  function seatsOf(row) { return Array.prototype.slice.call(row.querySelectorAll("[data-seat-id]")); }
  function count() {
    var counter = form.querySelector("[data-selected-count]");
    if (counter) { counter.textContent = String(form.querySelectorAll('[data-seat-id][aria-pressed="true"]').length); }
  }
  function moveTo(from, to) {
    if (!to || to === from) { return; }
    from.setAttribute("tabindex", "-1");
    to.setAttribute("tabindex", "0");
    to.focus();
  }
  // The seat nearest to `seat`'s position in the row `step` rows away (across sections).
  function across(seat, step) {
    var row = seat.closest(".seat-row");
    var target = rows[rows.indexOf(row) + step];
    if (!target) { return null; }
    var seats = seatsOf(target);
    return seats[Math.min(seatsOf(row).indexOf(seat), seats.length - 1)] || null;
  }
  function along(seat, key) {
    var seats = seatsOf(seat.closest(".seat-row"));
    var at = seats.indexOf(seat);
    if (key === "ArrowLeft") { return seats[at - 1]; }
    if (key === "ArrowRight") { return seats[at + 1]; }
    return key === "Home" ? seats[0] : seats[seats.length - 1];
  }
  var KEYS = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: 0, ArrowRight: 0, Home: 0, End: 0 };

  form.addEventListener("keydown", function (event) {
    var seat = event.target.closest && event.target.closest("[data-seat-id]");
    if (!seat || !(event.key in KEYS)) { return; }
    event.preventDefault();
    moveTo(seat, KEYS[event.key] ? across(seat, KEYS[event.key]) : along(seat, event.key));
  });
  form.addEventListener("click", function (event) {
    var seat = event.target.closest && event.target.closest("[data-seat-id]");
    if (!seat) { return; }
    var current = form.querySelector('[data-seat-id][tabindex="0"]');
    if (current && current !== seat) { moveTo(current, seat); }
    if (seat.getAttribute("aria-disabled") === "true") { return; }
    seat.setAttribute("aria-pressed", String(seat.getAttribute("aria-pressed") !== "true"));
    count();
  });
  form.addEventListener("submit", function () {
    inputs.textContent = "";
    form.querySelectorAll('[data-seat-id][aria-pressed="true"]').forEach(function (seat) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "seat";
      input.value = seat.getAttribute("data-seat-id");
      inputs.appendChild(input);
    });
  });
})();
