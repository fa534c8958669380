/* One outbox for every write a device makes while the network may be down (roll call, quiz answers, home
   visits, guidance contacts). Each write is kept in the browser (localStorage) with its own id, the device's
   id and the device's time, and sent when the network allows, in batches per address:
     POST url  {"device": id, "items": [{"client_id", "device_time", ...fields, "waited"?: true}]}
   "waited" is true for a write made while the browser was offline or whose first send failed (the roll call
   records such marks as "sent when the network came back").
   The server answers which ids it stored and which it refused (with the reason); both leave the outbox, so a
   refusal is shown once and never resent. A network failure, a 5xx or a 401/408/429 keeps the writes and
   tries again later (backing off to a minute). The server ignores an id it has seen, so a batch sent twice
   stores each write once.

   Writes belong to whoever was signed in (<meta name="hvs-user"> or a [data-outbox-user] attribute): on a
   shared tablet a page sends only its user's writes (and writes made where no user was named).

   Elements with [data-outbox-count] show how many writes wait (only those for data-outbox-url, if set), with
   the templates data-msg-pending ("{n} mục chờ gửi"), and optionally data-msg-offline, data-msg-signed-out,
   data-msg-empty, data-msg-sent (something was sent since the page opened), data-msg-refused ("{n}" refused
   since the page opened); a page may put its own words in data-outbox-note, shown when nothing waits.

   HVS.outbox.add(url, fields, {replace: key}?) -> client id   (replace: drops an unsent write of the same key)
   HVS.outbox.flush() -> Promise (never rejects)   HVS.outbox.refresh(url) -> Promise (an empty batch if none waits)
   HVS.outbox.pending(url?) -> number              HVS.outbox.entries(url?) -> [{url, client_id, device_time, fields}]
   HVS.outbox.adopt(url, [{client_id, device_time, fields, key?}]) -> bool   (writes queued by older pages)
   HVS.outbox.show()                               HVS.outbox.on(function (result) {...})
     result: {url, stored: [entries], failed: [{entry, message}], answer} after each answered batch, or
             {url, stored: [], failed: [], answer: null, retry: true, status, signedOut} when a send failed. */
(function () {
  "use strict";
  if (window.HVS && window.HVS.outbox) { return; }  // included twice (two panels of one page): still one outbox
  var KEY = "hvs-outbox", BATCH = 100, RETRY = { 408: 1, 425: 1, 429: 1 };
  var CLIENT_ID = /^[A-Za-z0-9._:-]{8,64}$/;
  var listeners = [], inflight = null, delay = 5000, timer = null, memory = [];
  var state = { offline: !navigator.onLine, signedOut: false, refused: 0, sent: false };

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }
  // The device's id, kept for good; a shared tablet in kiosk mode keeps it only for the tab, so that nothing
  // stays in its lasting storage once a learner's writes have gone.
  function deviceId() {
    try {
      var id = localStorage.getItem("hvs-device"), kiosk = document.querySelector("[data-kiosk]") !== null;
      var store = !id && kiosk ? sessionStorage : localStorage;
      id = id || store.getItem("hvs-device");
      if (!id) { id = uuid(); store.setItem("hvs-device", id); }
      return id;
    } catch (e) { return ""; }
  }
  function owner() {
    var meta = document.querySelector("meta[name=hvs-user]"), el = document.querySelector("[data-outbox-user]");
    return (meta && meta.content) || (el && el.getAttribute("data-outbox-user")) || "";
  }
  function mine(entry) { return !entry.owner || entry.owner === owner(); }
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return memory.slice(); }
  }
  // Returns whether the writes are kept across a reload (false: private browsing or storage full).
  function save(entries) {
    var kept = true;
    memory = entries.slice();  // without storage the writes still go, they just do not survive a reload
    try { if (entries.length) { localStorage.setItem(KEY, JSON.stringify(entries)); } else { localStorage.removeItem(KEY); } }
    catch (e) { kept = false; }
    show();
    return kept;
  }
  function waiting(url) {
    return load().filter(function (e) { return mine(e) && (!url || e.url === url); });
  }
  function pending(url) { return waiting(url).length; }
  function entries(url) {
    return waiting(url).map(function (e) {
      return { url: e.url, client_id: e.client_id, device_time: e.device_time, fields: e.fields };
    });
  }
  function token() {
    var meta = document.querySelector("meta[name=csrf-token]");
    var input = document.querySelector("input[name=csrf_token]");
    return (meta && meta.content) || (input && input.value) || "";
  }
  function fill(template, n) { return template.split("{n}").join(String(n)); }
  function show() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-outbox-count]"), function (el) {
      var n = pending(el.getAttribute("data-outbox-url") || ""), note = el.getAttribute("data-outbox-note") || "";
      var msg = function (name) { return el.getAttribute("data-msg-" + name) || ""; };
      var text;
      if (n) {
        text = fill((state.signedOut && msg("signed-out")) || (state.offline && msg("offline")) || msg("pending") || "{n}", n);
      } else {
        text = note || (!state.refused && state.sent && msg("sent")) || msg("empty");
      }
      if (state.refused && msg("refused")) { text = (text ? text + " " : "") + fill(msg("refused"), state.refused); }
      el.textContent = text;
      el.hidden = !text && !el.hasAttribute("data-outbox-note");  // a page's own status line stays in place
      el.classList.toggle("sync-pending", Boolean(n || note || (state.refused && msg("refused"))));
    });
  }
  function emit(result) {
    listeners.forEach(function (fn) { try { fn(result); } catch (e) { /* one listener never stops another */ } });
  }
  function add(url, fields, options) {
    var key = options && options.replace !== undefined ? String(options.replace) : null;
    var entry = { url: url, client_id: uuid(), device_time: new Date().toISOString(), fields: fields || {},
                  owner: owner() };
    if (key !== null) { entry.key = key; }
    if (!navigator.onLine) { entry.waited = true; }
    var list = load().filter(function (e) { return key === null || !(e.url === url && e.key === key && mine(e)); });
    list.push(entry);
    save(list);
    flushSoon(0);
    return entry.client_id;
  }
  // Take in writes an older page queued under its own key; an id the server could not read gets a fresh one.
  function adopt(url, list) {
    var all = load(), have = {}, who = owner();
    all.forEach(function (e) { have[e.client_id] = 1; });
    (list || []).forEach(function (w) {
      if (!w || typeof w !== "object") { return; }
      var id = typeof w.client_id === "string" && CLIENT_ID.test(w.client_id) ? w.client_id : uuid();
      if (have[id]) { return; }
      have[id] = 1;
      var entry = { url: url, client_id: id, device_time: typeof w.device_time === "string" ? w.device_time : "",
                    fields: w.fields || {}, owner: who, waited: true };
      if (w.key !== undefined) { entry.key = String(w.key); }
      all.push(entry);
    });
    var kept = save(all);
    flushSoon(0);
    return kept;
  }
  function settle(url, batch, answer) {
    var byId = {}, stored = [], failed = [], done = {};
    batch.forEach(function (e) { byId[e.client_id] = e; });
    (answer.stored || []).forEach(function (id) { if (byId[id]) { stored.push(byId[id]); done[id] = 1; } });
    (answer.failed || []).forEach(function (f) {
      if (f && byId[f.client_id]) { failed.push({ entry: byId[f.client_id], message: f.message || "" }); done[f.client_id] = 1; }
    });
    state.offline = state.signedOut = false;
    state.sent = state.sent || stored.length > 0;
    state.refused += failed.length;
    save(load().filter(function (e) { return !done[e.client_id]; }));
    return { url: url, stored: stored, failed: failed };
  }
  // Resolves with the result to emit; rejects with {retry, status, signedOut} when the writes must wait.
  function send(url, batch) {
    var items = batch.map(function (e) {
      var item = { client_id: e.client_id, device_time: e.device_time };
      Object.keys(e.fields).forEach(function (k) { item[k] = e.fields[k]; });
      if (e.waited) { item.waited = true; }
      return item;
    });
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token() },
      body: JSON.stringify({ device: deviceId(), items: items })
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (response.redirected || response.status === 401) { throw { retry: true, status: 401, signedOut: true }; }
      if (RETRY[response.status] || response.status >= 500 || !json) { throw { retry: true, status: response.status }; }
      return response.json().then(function (answer) {
        var settled = answer;
        if (!Array.isArray(answer.stored) && !Array.isArray(answer.failed)) {
          // A refusal of the whole batch (a malformed batch, a class no longer theirs): final for every write in it.
          settled = { stored: [], failed: batch.map(function (e) { return { client_id: e.client_id, message: answer.message || "" }; }) };
        }
        var result = settle(url, batch, settled);
        result.answer = answer;
        return result;
      });
    }, function () { throw { retry: true, status: 0 }; });
  }
  function failed(url, failure) {
    failure = failure && failure.retry ? failure : { retry: true, status: 0 };
    state.signedOut = Boolean(failure.signedOut);
    state.offline = !failure.signedOut;
    // These writes waited in the browser: the server may record that they were sent later.
    var ids = {};
    waiting(url).forEach(function (e) { ids[e.client_id] = 1; });
    save(load().map(function (e) { if (ids[e.client_id]) { e.waited = true; } return e; }));
    emit({ url: url, stored: [], failed: [], answer: null, retry: true, status: failure.status,
           signedOut: Boolean(failure.signedOut) });
  }
  function flush() {
    if (inflight) { return inflight; }
    var tried = {}, skip = {}, trouble = false;
    function next() {
      var rest = waiting().filter(function (e) { return !tried[e.client_id] && !skip[e.url]; });
      if (!rest.length) { show(); return Promise.resolve(); }
      var url = rest[0].url;
      var batch = rest.filter(function (e) { return e.url === url; }).slice(0, BATCH);
      batch.forEach(function (e) { tried[e.client_id] = 1; });
      return send(url, batch).then(function (result) { emit(result); }, function (failure) {
        skip[url] = 1;  // this address waits; the others still go
        trouble = true;
        failed(url, failure);
      }).then(next);  // the next address, or writes made while this batch travelled
    }
    inflight = next().then(function () {
      inflight = null;
      if (trouble) { delay = Math.min(delay * 2, 60000); flushSoon(delay); } else { delay = 5000; }
    });
    return inflight;
  }
  // Ask an address for its news (the roll call's marks made elsewhere) with an empty batch, or send what waits.
  function refresh(url) {
    if (inflight || pending(url)) { return flush(); }
    return send(url, []).then(emit, function (failure) { failed(url, failure); show(); });
  }
  function flushSoon(ms) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; flush(); }, ms);
  }

  window.HVS = window.HVS || {};
  window.HVS.outbox = {
    add: add, adopt: adopt, flush: flush, refresh: refresh, pending: pending, entries: entries, show: show,
    owner: owner, deviceId: deviceId, uuid: uuid,
    on: function (fn) { listeners.push(fn); }
  };
  window.addEventListener("online", function () { state.offline = false; delay = 5000; show(); flushSoon(0); });
  window.addEventListener("offline", function () { state.offline = true; show(); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { flushSoon(0); } });
  setInterval(function () { if (pending() && !inflight && !timer) { flush(); } }, 15000);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { show(); flushSoon(0); });
  } else { show(); flushSoon(0); }
}());
