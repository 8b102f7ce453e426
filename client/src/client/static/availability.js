// Live availability on the event page: seat states and remaining counts follow the
// server-sent events of GET /api/availability/:eventId/stream (through the gateway):
// first `availability` (the whole snapshot), then `changes` frames naming only the seats
// and types that changed ({ticketTypes: [{id, sold, held, remaining}], seats: [{id, state}]}).
// Both are applied the same way: whatever a frame names is set, the rest stays.
(function () {
  "use strict";
  var root = document.querySelector("[data-event-id]");
  if (!root) { return; }
  var eventId = root.getAttribute("data-event-id");

  function pick(obj, keys) {
    for (var i = 0; i < keys.length; i++) {
      if (obj && obj[keys[i]] !== undefined && obj[keys[i]] !== null) { return obj[keys[i]]; }
    }
    return undefined;
  }
  // Accepts [{id, state}] or {id: state} or {id: {state}}; calls fn(key, value).
  function each(value, keyNames, valueNames, fn) {
    if (Array.isArray(value)) {
      value.forEach(function (e) { var k = pick(e, keyNames); if (k !== undefined) { fn(String(k), pick(e, valueNames)); } });
    } else if (value && typeof value === "object") {
      Object.keys(value).forEach(function (k) {
        var v = value[k];
        fn(k, v && typeof v === "object" ? pick(v, valueNames) : v);
      });
    }
  }
  // Seat elements by id, looked up once: a 50,000-seat snapshot must not query the page per seat.
  var seatsById = null;
  function seatElements(id) {
    if (!seatsById) {
      seatsById = {};
      document.querySelectorAll("[data-seat-id]").forEach(function (el) {
        var key = el.getAttribute("data-seat-id");
        (seatsById[key] = seatsById[key] || []).push(el);
      });
    }
    return seatsById[id] || [];
  }
  // A seat is a toggle button: its class and accessible name carry the state, and a
  // seat someone else took is unselected and marked unavailable (aria-disabled).
  function setSeat(id, state) {
    if (typeof state !== "string") { return; }
    seatElements(id).forEach(function (seat) {
      if (seat.className === "seat seat--" + state) { return; }
      seat.className = "seat seat--" + state;
      var name = seat.getAttribute("aria-label");
      if (name) { seat.setAttribute("aria-label", name.replace(/, \w+$/, ", " + state)); }
      if (state === "available") {
        seat.removeAttribute("aria-disabled");
      } else {
        seat.setAttribute("aria-disabled", "true");
        seat.setAttribute("aria-pressed", "false");
      }
    });
  }
  function setRemaining(id, remaining) {
    if (typeof remaining !== "number") { return; }
    document.querySelectorAll('[data-remaining-for="' + CSS.escape(id) + '"]').forEach(function (el) {
      el.textContent = String(remaining);
    });
  }
  function apply(payload) {
    if (!payload || typeof payload !== "object") { return; }
    each(pick(payload, ["ticketTypes", "types", "remaining"]), ["ticketTypeId", "id"], ["remaining", "available"], setRemaining);
    each(pick(payload, ["seats", "seatStates"]), ["seatId", "id"], ["state", "status"], setSeat);
    // A single change: {seatId, state} / {ticketTypeId, remaining} / {seatIds: [...], state}.
    if (payload.seatId) { setSeat(String(payload.seatId), pick(payload, ["state", "status"])); }
    (payload.seatIds || []).forEach(function (id) { setSeat(String(id), pick(payload, ["state", "status"])); });
    if (payload.ticketTypeId) { setRemaining(String(payload.ticketTypeId), payload.remaining); }
    countSelected();
  }
  function countSelected() {
    var counter = document.querySelector("[data-selected-count]");
    if (counter) { counter.textContent = String(document.querySelectorAll('[data-seat-id][aria-pressed="true"]').length); }
  }

  if (!window.EventSource) { return; }
  var source = new EventSource("/api/availability/" + encodeURIComponent(eventId) + "/stream");
  function onMessage(message) {
    try { apply(JSON.parse(message.data)); } catch (err) { /* not JSON: a keep-alive or comment */ }
  }
  source.onmessage = onMessage;
  // `availability` (whole snapshot) and `changes` (what changed); older names kept harmlessly.
  // On a reconnect the browser sends Last-Event-ID and the server answers with a snapshot.
  ["availability", "changes", "snapshot", "update", "change", "seat", "seats"].forEach(function (name) {
    source.addEventListener(name, onMessage);
  });
  window.addEventListener("beforeunload", function () { source.close(); });
})();
