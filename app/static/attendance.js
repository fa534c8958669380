/* Roll call that survives a dropped network. Every tap is shown at once and queued in the browser
   (localStorage) with its own id and the device's time, then sent; when the network is down the queue
   waits and is sent when it returns (and from the dashboard, if the page was closed). The server treats
   an id it has seen as done, so a batch sent twice changes nothing. */
(function () {
  "use strict";
  var PREFIX = "hvs-att-";

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }
  function deviceId() {
    try {
      var id = localStorage.getItem("hvs-device");
      if (!id) { id = uuid(); localStorage.setItem("hvs-device", id); }
      return id;
    } catch (e) { return ""; }
  }
  function read(key) {
    try {
      var box = JSON.parse(localStorage.getItem(key) || "null");
      return box && box.marks ? box : { url: "", marks: [] };
    } catch (e) { return { url: "", marks: [] }; }
  }
  function write(key, url, marks) {
    try { if (marks.length) { localStorage.setItem(key, JSON.stringify({ url: url, marks: marks })); } else { localStorage.removeItem(key); } }
    catch (e) { /* private browsing: marks still go straight to the server */ }
  }
  function send(url, token, marks) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ device: deviceId(), marks: marks })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    });
  }
  function settle(key, url, data) {
    var done = {};
    data.stored.forEach(function (id) { done[id] = 1; });
    data.failed.forEach(function (f) { done[f.client_id] = 1; });
    write(key, url, read(key).marks.filter(function (m) { return !done[m.client_id]; }));
  }

  function rollCall(root) {
    var key = root.getAttribute("data-key"), url = root.getAttribute("data-sync-url");
    var token = (document.querySelector("meta[name=csrf-token]") || {}).content || "";
    var syncEl = root.querySelector("[data-sync]"), errorEl = root.querySelector("[data-rc-error]");
    var rows = {};
    root.querySelectorAll(".rc-row").forEach(function (row) { rows[row.getAttribute("data-enrolment")] = row; });
    var sending = false, offline = !navigator.onLine, ticks = 0;

    function pending() { return read(key).marks.length; }
    function paint(row, status) {
      row.setAttribute("data-status", status);
      row.querySelectorAll("[data-set]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-set") === status));
      });
    }
    function tally() {
      var n = { present: 0, late: 0, absent: 0, excused: 0, unmarked: 0 };
      Object.keys(rows).forEach(function (id) { n[rows[id].getAttribute("data-status") || "unmarked"] += 1; });
      Object.keys(n).forEach(function (k) {
        var el = root.querySelector("[data-count='" + k + "']");
        if (el) { el.textContent = n[k]; }
      });
    }
    function showStatus() {
      var n = pending();
      root.setAttribute("data-pending", String(n));
      syncEl.classList.toggle("sync-pending", n > 0);
      syncEl.textContent = n ? root.getAttribute(offline ? "data-msg-offline" : "data-msg-pending").replace("{n}", n)
        : root.getAttribute("data-msg-saved");
    }
    function make(id, status, source) {
      return { client_id: uuid(), enrolment_id: Number(id), status: status, device_time: new Date().toISOString(),
               source: offline ? "sync" : source };
    }
    function enqueue(items) {
      write(key, url, read(key).marks.concat(items));
      tally();
      showStatus();
      flush();
    }
    function warn(text) { errorEl.textContent = text; errorEl.hidden = !text; }
    function flush() {
      if (sending) { return; }
      var batch = read(key).marks.slice(0, 100);
      sending = true;
      var more = false;
      send(url, token, batch).then(function (data) {
        offline = false;
        settle(key, url, data);
        var waiting = {};
        read(key).marks.forEach(function (m) { waiting[m.enrolment_id] = 1; });
        // Marks from other devices and from learners' own check-ins, except where this device has news.
        Object.keys(data.marks).forEach(function (id) { if (rows[id] && !waiting[id]) { paint(rows[id], data.marks[id]); } });
        var messages = data.failed.map(function (f) { return root.getAttribute("data-msg-failed").replace("{message}", f.message); });
        var skew = Math.round((Date.now() - Date.parse(data.server_time)) / 60000);
        if (Math.abs(skew) >= 5) { messages.push(root.getAttribute("data-msg-clock").replace("{m}", String(skew))); }
        warn(messages.join(" "));
        // Send at once what was tapped while this batch was on its way (or did not fit in it).
        var sent = {};
        batch.forEach(function (m) { sent[m.client_id] = 1; });
        more = read(key).marks.some(function (m) { return !sent[m.client_id]; });
      }).catch(function () {
        offline = true;
        // These marks waited in the browser: say so in the history.
        write(key, url, read(key).marks.map(function (m) { m.source = "sync"; return m; }));
      }).then(function () {
        sending = false;
        tally();
        showStatus();
        if (more) { flush(); }
      });
    }

    root.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !root.contains(button)) { return; }
      if (button.hasAttribute("data-everyone")) {
        event.preventDefault();
        var items = [];
        Object.keys(rows).forEach(function (id) {
          if (!rows[id].getAttribute("data-status")) { paint(rows[id], "present"); items.push(make(id, "present", "everyone")); }
        });
        if (items.length) { enqueue(items); }
        return;
      }
      var status = button.getAttribute("data-set");
      if (!status) { return; }
      event.preventDefault();
      var row = button.closest(".rc-row");
      if (row.getAttribute("data-status") === status) { return; }
      paint(row, status);
      enqueue([make(row.getAttribute("data-enrolment"), status, "tap")]);
    });
    // Marks still waiting from before a reload show as made.
    read(key).marks.forEach(function (m) { if (rows[m.enrolment_id]) { paint(rows[m.enrolment_id], m.status); } });
    window.addEventListener("online", function () { offline = false; flush(); });
    window.addEventListener("offline", function () { offline = true; showStatus(); });
    window.addEventListener("beforeunload", function (event) {
      if (pending()) { event.preventDefault(); event.returnValue = ""; }
    });
    // Every 5 s while marks wait; every 15 s otherwise, to show check-ins and other devices' marks.
    setInterval(function () { ticks += 1; if (pending() || ticks % 3 === 0) { flush(); } }, 5000);
    tally();
    showStatus();
    flush();
  }

  function outbox(el) {
    var prefix = PREFIX + el.getAttribute("data-user") + "-";
    var token = el.getAttribute("data-csrf") || "";
    var statusEl = document.querySelector("[data-outbox-status]");
    function keys() {
      var found = [];
      try { for (var i = 0; i < localStorage.length; i += 1) { if (localStorage.key(i).indexOf(prefix) === 0) { found.push(localStorage.key(i)); } } }
      catch (e) { /* no storage */ }
      return found;
    }
    function count() { return keys().reduce(function (n, k) { return n + read(k).marks.length; }, 0); }
    function show(sent) {
      if (!statusEl) { return; }
      var n = count();
      statusEl.classList.toggle("sync-pending", n > 0);
      statusEl.textContent = n ? statusEl.getAttribute("data-msg-pending").replace("{n}", n)
        : (sent ? statusEl.getAttribute("data-msg-sent") : "");
    }
    function drain() {
      var work = keys().map(function (k) {
        var box = read(k);
        if (!box.url || !box.marks.length) { return Promise.resolve(false); }
        return send(box.url, token, box.marks.slice(0, 100)).then(function (data) { settle(k, box.url, data); return true; })
          .catch(function () { return false; });
      });
      Promise.all(work).then(function (done) { show(done.some(Boolean)); });
    }
    show(false);
    if (count()) { drain(); }
    window.addEventListener("online", drain);
  }

  var root = document.querySelector("[data-roll-call]");
  if (root) { rollCall(root); }
  var box = document.querySelector("[data-attendance-outbox]");
  if (box) { outbox(box); }
})();
