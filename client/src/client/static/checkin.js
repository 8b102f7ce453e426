// Door check-in. A handheld scanner types the key and ends with Enter (the form submits),
// a person types it, or the camera reads a QR code (BarcodeDetector, where the browser
// has it). Each key is:
//   1. parsed: `<kid>.<payload b64url>.<signature b64url>` (Ed25519-signed, payload
//      compact JSON: {"v":1,"ticketId","orderId","eventId","listingId","ticketTypeId",
//      "seatId","endsAt"}), or an older HMAC key
//      `<ticket>.<event>.<nonce>.<mac>` that only the server can check;
//   2. verified here with WebCrypto Ed25519 against the public keys of
//      GET /api/orders/ticket-keys (cached in localStorage), and refused when it names
//      another event (a resale ticket names a listing, not this event) or its event
//      has ended;
//   3. recorded with POST /api/orders/verify (the server marks the ticket used, once).
// Without a connection the check waits in a localStorage queue (a locally verified key
// shows "VALID — will sync") and is sent when the browser is back online.
// The pure functions are exported for node's tests; in a page, `start` wires them up.
(function (factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; }
  else if (typeof document !== "undefined") { api.start(document, window); }
})(function () {
  "use strict";
  var KEYS_STORAGE = "ticketing.checkin.keys";
  var TICKET_FIELDS = ["ticketId", "tid", "ticket", "t"];
  var EVENT_FIELDS = ["eventId", "eid", "event", "e"];
  var END_FIELDS = ["endsAt", "eventEnd", "end"];

  function pick(obj, names) {
    for (var i = 0; i < names.length; i++) {
      if (obj && obj[names[i]] !== undefined && obj[names[i]] !== null) { return obj[names[i]]; }
    }
    return undefined;
  }
  function text(value) { return value === undefined ? "" : String(value); }

  function b64urlToBytes(segment) {
    if (typeof segment !== "string" || !/^[A-Za-z0-9_-]*$/.test(segment)) { return null; }
    var b64 = segment.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var binary;
    try { binary = atob(b64); } catch (err) { return null; }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  // A key's parts, or null when it is no ticket key at all.
  function parseKey(raw) {
    var key = String(raw === undefined || raw === null ? "" : raw).trim();
    if (!key || key.length > 2000) { return null; }
    var parts = key.split(".");
    if (!parts.every(Boolean)) { return null; }
    if (parts.length === 4) {
      return { format: "legacy", key: key, ticketId: parts[0], eventId: parts[1] };
    }
    if (parts.length !== 3) { return null; }
    var payloadBytes = b64urlToBytes(parts[1]);
    var signature = b64urlToBytes(parts[2]);
    if (!payloadBytes || !signature) { return null; }
    var payload;
    try { payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payloadBytes)); }
    catch (err) { return null; }
    if (!payload || typeof payload !== "object" || Array.isArray(payload)) { return null; }
    return {
      format: "ed25519", key: key, kid: parts[0], payloadBytes: payloadBytes,
      signature: signature, payload: payload,
      ticketId: text(pick(payload, TICKET_FIELDS)), eventId: text(pick(payload, EVENT_FIELDS)),
      endsAt: text(pick(payload, END_FIELDS)),
    };
  }

  // The Ed25519 keys of a GET /api/orders/ticket-keys body (or of the cache).
  function readKeys(body) {
    var keys = body && Array.isArray(body.keys) ? body.keys : [];
    return keys.filter(function (k) {
      return k && typeof k.kid === "string" && typeof k.publicKey === "string" &&
        (k.alg === undefined || k.alg === "Ed25519");
    }).map(function (k) { return { kid: k.kid, alg: "Ed25519", publicKey: k.publicKey }; });
  }

  function unknown(reason) { return { verdict: "unknown", reason: reason }; }
  function invalid(reason) { return { verdict: "invalid", reason: reason }; }

  // What this browser can tell alone: valid / invalid / unknown (only the server can say).
  async function verifyLocally(parsed, keys, eventId, subtle, now) {
    if (!parsed) { return invalid("Not a ticket key"); }
    var otherEvent = invalid("This ticket is for another event");
    if (parsed.format === "legacy") {
      return parsed.eventId !== eventId ? otherEvent : unknown("Older key: checked online");
    }
    var entry = (keys || []).filter(function (k) { return k.kid === parsed.kid; })[0];
    if (!entry) { return unknown("Unknown signing key: checked online"); }
    var publicKey = b64urlToBytes(entry.publicKey);
    if (!subtle || !publicKey || publicKey.length !== 32) { return unknown("Cannot verify here: checked online"); }
    var genuine;
    try {
      var imported = await subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
      genuine = await subtle.verify({ name: "Ed25519" }, imported, parsed.signature, parsed.payloadBytes);
    } catch (err) {
      return unknown("This browser cannot verify Ed25519: checked online");
    }
    if (!genuine) { return invalid("Forged or altered key"); }
    if (parsed.eventId !== eventId) { return otherEvent; }
    var ends = parsed.endsAt ? Date.parse(parsed.endsAt) : NaN;
    if (!isNaN(ends) && ends <= (now === undefined ? Date.now() : now)) {
      return invalid("This ticket's event has ended");
    }
    return { verdict: "valid", ticketId: parsed.ticketId };
  }

  // POST /api/orders/verify's answer: valid / used / invalid / offline (try again later).
  function serverVerdict(status, body) {
    var message = body && Array.isArray(body.errors) && body.errors[0] ? String(body.errors[0].message) : "";
    if (status >= 200 && status < 300) {
      var result = body && body.result;
      if (result === "valid") { return { verdict: "valid" }; }
      if (result === "already_used" || result === "already_checked_in" || result === "used") {
        return { verdict: "used", at: pick(body, ["usedAt", "checkedInAt", "at"]) };
      }
      return invalid("Not a valid ticket");
    }
    if (status === 409) { return { verdict: "used", at: pick(body, ["usedAt", "checkedInAt", "at"]) }; }
    if (status === 403) { return invalid(message || "Not a ticket of your event"); }
    if (status === 400 || status === 404 || status === 422) { return invalid(message || "Not a valid ticket"); }
    if (status === 401) { return { verdict: "offline", reason: "Signed out: sign in again to sync" }; }
    return { verdict: "offline", reason: "The server cannot be reached" };
  }

  function when(at) {
    var moment = at ? new Date(at) : null;
    if (!moment || isNaN(moment.getTime())) { return "earlier"; }
    return "at " + moment.toLocaleTimeString() + " on " + moment.toLocaleDateString();
  }

  // What the door sees: {state, title, detail}; state picks the colour.
  function outcome(local, server, seenAt) {
    if (local.verdict === "invalid") { return { state: "invalid", title: "INVALID", detail: local.reason }; }
    if (server.verdict === "valid") { return { state: "valid", title: "VALID", detail: "Checked in" }; }
    if (server.verdict === "used") {
      return { state: "used", title: "ALREADY CHECKED IN", detail: "Checked in " + when(server.at || seenAt) };
    }
    if (server.verdict === "invalid") { return { state: "invalid", title: "INVALID", detail: server.reason }; }
    if (seenAt) {
      return { state: "used", title: "ALREADY CHECKED IN", detail: "Checked in on this device " + when(seenAt) };
    }
    if (local.verdict === "valid") {
      return { state: "pending", title: "VALID — will sync", detail: server.reason || "Offline: recorded when back online" };
    }
    return { state: "pending", title: "QUEUED", detail: "Cannot verify offline: checked when back online" };
  }

  // The queue of checks not yet sent: one entry per key, oldest first.
  function enqueue(queue, entry) {
    var rest = (queue || []).filter(function (e) { return e.key !== entry.key; });
    return rest.concat([entry]);
  }

  // Sends queued checks in order until one cannot be sent; returns what is left to send
  // and each answer. `send(key)` resolves to a serverVerdict.
  async function syncQueue(queue, send) {
    var results = [];
    for (var i = 0; i < queue.length; i++) {
      var answer = await send(queue[i].key);
      if (answer.verdict === "offline") { return { remaining: queue.slice(i), results: results }; }
      results.push({ entry: queue[i], answer: answer });
    }
    return { remaining: [], results: results };
  }

  function load(storage, name, fallback) {
    try {
      var value = storage ? JSON.parse(storage.getItem(name)) : null;
      return value === null || value === undefined ? fallback : value;
    } catch (err) { return fallback; }
  }
  function save(storage, name, value) {
    try { if (storage) { storage.setItem(name, JSON.stringify(value)); } } catch (err) { /* full or blocked */ }
  }

  function start(doc, win) {
    var root = doc.querySelector("[data-checkin-event]");
    if (!root) { return; }
    win.checkinStation = createStation(doc, win, root);
  }

  function createStation(doc, win, root) {
    var eventId = root.getAttribute("data-checkin-event");
    var storage = null;
    try { storage = win.localStorage; } catch (err) { storage = null; }
    var queueName = "ticketing.checkin.queue." + eventId;
    var usedName = "ticketing.checkin.used." + eventId;
    var subtle = win.crypto && win.crypto.subtle;
    var keys = readKeys({ keys: load(storage, KEYS_STORAGE, []) });
    var queue = load(storage, queueName, []);
    var used = load(storage, usedName, {});
    var count = parseInt(root.getAttribute("data-checked-in"), 10) || 0;
    var el = function (name) { return doc.querySelector("[data-" + name + "]"); };
    var chain = Promise.resolve();
    var syncing = false;

    function render(result) {
      el("checkin-result").setAttribute("data-state", result.state);
      el("checkin-title").textContent = result.title;
      el("checkin-detail").textContent = result.detail || "";
      el("checkin-count").textContent = String(count);
      el("checkin-queue").textContent = String(queue.length);
    }
    function log(message) {
      var item = doc.createElement("li");
      item.textContent = new Date().toLocaleTimeString() + " — " + message;
      el("checkin-log").insertBefore(item, el("checkin-log").firstChild);
    }
    function setConnection(online) { el("connection").textContent = online ? "online" : "offline — checks are queued"; }
    function persist() { save(storage, queueName, queue); save(storage, usedName, used); }

    function refreshKeys() {
      return win.fetch(root.getAttribute("data-keys-url"), { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) { if (body) { keys = readKeys(body); save(storage, KEYS_STORAGE, keys); } })
        .catch(function () { /* offline: the cached keys stay */ });
    }
    function send(key) {
      return win.fetch(root.getAttribute("data-verify-url"), {
        method: "POST", credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ key: key, eventId: eventId }),
      }).then(function (r) {
        return r.json().catch(function () { return null; }).then(function (body) { return serverVerdict(r.status, body); });
      }).catch(function () { return { verdict: "offline", reason: "Offline: recorded when back online" }; });
    }

    async function check(raw) {
      var parsed = parseKey(raw);
      render({ state: "checking", title: "CHECKING…", detail: "" });
      var local = await verifyLocally(parsed, keys, eventId, subtle);
      if (local.verdict === "unknown" && parsed.format === "ed25519") {
        await refreshKeys();
        local = await verifyLocally(parsed, keys, eventId, subtle);
      }
      if (local.verdict === "invalid") { render(outcome(local, {})); return; }
      var ticket = parsed.ticketId || parsed.key;
      var seenAt = used[ticket];
      var server = await send(parsed.key);
      var now = new Date().toISOString();
      if (server.verdict === "offline") {
        setConnection(false);
        if (seenAt) { render(outcome(local, server, seenAt)); return; }
        var counted = local.verdict === "valid";
        queue = enqueue(queue, { key: parsed.key, at: now, counted: counted });
        if (counted) { used[ticket] = now; count += 1; }
      } else {
        setConnection(true);
        if (server.verdict === "valid") { used[ticket] = now; count += 1; }
      }
      persist();
      render(outcome(local, server, seenAt));
    }

    async function sync() {
      if (syncing || !queue.length) { return; }
      syncing = true;
      try {
        var done = await syncQueue(queue, send);
        done.results.forEach(function (r) {
          var shortKey = r.entry.key.slice(0, 18) + "…";
          if (r.answer.verdict === "valid") {
            if (!r.entry.counted) { count += 1; }
            log("Synced " + shortKey + ": checked in");
          } else {
            if (r.entry.counted) { count -= 1; }
            log("Synced " + shortKey + ": " + (r.answer.verdict === "used" ? "was ALREADY CHECKED IN " + when(r.answer.at) : "INVALID"));
          }
        });
        // Checks made while this sync ran were added to `queue`: drop only what was sent.
        var sent = done.results.map(function (r) { return r.entry; });
        queue = queue.filter(function (e) { return sent.indexOf(e) < 0; });
        setConnection(!done.remaining.length);
        persist();
        el("checkin-count").textContent = String(count);
        el("checkin-queue").textContent = String(queue.length);
      } finally { syncing = false; }
    }

    function submitKey(raw) {
      chain = chain.then(function () { return check(raw); }).catch(function (err) {
        render({ state: "invalid", title: "ERROR", detail: String(err && err.message || err) });
      });
      return chain;
    }
    var form = el("checkin-form");
    var input = el("checkin-input");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var raw = input.value;
      input.value = "";
      input.focus();
      if (raw.trim()) { submitKey(raw); }
    });
    startCamera(doc, win, submitKey);
    win.addEventListener("online", function () { setConnection(true); refreshKeys(); sync(); });
    win.addEventListener("offline", function () { setConnection(false); });
    win.setInterval(sync, 10000);
    render({ state: "idle", title: "READY", detail: "Scan a ticket." });
    refreshKeys().then(sync);
    return { check: submitKey, sync: sync };
  }

  // Camera scanning where the browser has BarcodeDetector; the button stays hidden elsewhere.
  function startCamera(doc, win, submitKey) {
    var button = doc.querySelector("[data-camera-start]");
    var video = doc.querySelector("[data-camera-video]");
    var media = win.navigator && win.navigator.mediaDevices;
    if (!button || !video || !("BarcodeDetector" in win) || !media || !media.getUserMedia) { return; }
    button.hidden = false;
    var last = { value: "", at: 0 };
    button.addEventListener("click", function () {
      var detector;
      try { detector = new win.BarcodeDetector({ formats: ["qr_code"] }); } catch (err) { button.hidden = true; return; }
      media.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        button.hidden = true;
        video.play();
        win.setInterval(function () {
          detector.detect(video).then(function (codes) {
            var value = codes && codes[0] && codes[0].rawValue;
            // The same code stays in view for a while: read it once per 3 seconds.
            if (!value || (value === last.value && Date.now() - last.at < 3000)) { return; }
            last = { value: value, at: Date.now() };
            submitKey(value);
          }).catch(function () { /* a frame that could not be read */ });
        }, 300);
      }).catch(function () { button.textContent = "Camera unavailable"; button.disabled = true; });
    });
  }

  return {
    b64urlToBytes: b64urlToBytes, parseKey: parseKey, readKeys: readKeys,
    verifyLocally: verifyLocally, serverVerdict: serverVerdict, outcome: outcome,
    enqueue: enqueue, syncQueue: syncQueue, load: load, save: save, start: start,
  };
});
