/* Roll call that survives a dropped network. Every tap is shown at once and queued in the browser
   (localStorage) with its own id and the device's time, then sent; when the network is down the queue
   waits and is sent when it returns (and from the dashboard, if the page was closed). The server treats
   an id it has seen as done, so a batch sent twice changes nothing.
   What the screen shows is the server's answer: a mark it refuses goes back to what the server has, with
   its reason next to the learner and in the alert region. Only a network failure or a server error (5xx)
   keeps marks waiting to be sent again; a refusal (4xx with a reason) is final and the marks are dropped. */
(function () {
  "use strict";
  var PREFIX = "hvs-att-";
  var RETRY = { 401: 1, 408: 1, 425: 1, 429: 1 }; // 4xx that are not a verdict on the marks

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
  function drop(key, url, ids) {
    write(key, url, read(key).marks.filter(function (m) { return !ids[m.client_id]; }));
  }
  // Resolves with the server's answer; rejects with {refused, message} (final) or {signedOut} / {status} (send again).
  function send(url, token, marks) {
    var body = marks.map(function (m) {
      return { client_id: m.client_id, enrolment_id: m.enrolment_id, status: m.status, device_time: m.device_time,
               source: m.source };
    });
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ device: deviceId(), marks: body })
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (response.redirected || response.status === 401) { throw { signedOut: true }; } // sent to the sign-in page
      if (response.ok && json) { return response.json(); }
      if (response.status >= 400 && response.status < 500 && !RETRY[response.status]) {
        return (json ? response.json() : Promise.resolve({})).catch(function () { return {}; })
          .then(function (answer) {
            // Every mark refused, each with its reason (a future session, a learner who left): an answer to settle.
            if (answer && answer.stored && answer.failed && answer.marks) { return answer; }
            throw { refused: true, message: answer.message || "" };
          });
      }
      throw { status: response.status };
    });
  }
  function settle(key, url, batch, data) {
    var done = {};
    data.stored.forEach(function (id) { done[id] = 1; });
    data.failed.forEach(function (f) { done[f.client_id] = 1; });
    drop(key, url, done);
  }

  function rollCall(root) {
    var key = root.getAttribute("data-key"), url = root.getAttribute("data-sync-url");
    var token = (document.querySelector("meta[name=csrf-token]") || {}).content || "";
    var syncEl = root.querySelector("[data-sync]"), errorEl = root.querySelector("[data-rc-error]");
    var clockEl = root.querySelector("[data-rc-clock]");
    var rows = {}, saved = {}, refused = 0, notice = "";
    root.querySelectorAll(".rc-row").forEach(function (row) {
      var id = row.getAttribute("data-enrolment");
      rows[id] = row;
      saved[id] = row.getAttribute("data-status") || ""; // as the server rendered the page
    });
    var sending = false, offline = !navigator.onLine, ticks = 0;

    function msg(name, values) {
      var text = root.getAttribute("data-msg-" + name) || "";
      Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", values[k]); });
      return text;
    }
    function pending() { return read(key).marks.length; }
    function waitingFor() {
      var waiting = {};
      read(key).marks.forEach(function (m) { waiting[m.enrolment_id] = 1; });
      return waiting;
    }
    function paint(row, status) {
      row.setAttribute("data-status", status);
      row.querySelectorAll("[data-set]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-set") === status));
      });
    }
    function rowError(row, text) {
      var el = row.querySelector("[data-row-error]");
      if (!el) { return; }
      el.textContent = text;
      el.hidden = !text;
      row.classList.toggle("rc-row-refused", Boolean(text));
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
      var n = pending(), text;
      if (n) { text = msg(offline ? "offline" : "pending", { n: n }); }
      else if (notice) { text = notice; }
      else if (refused) { text = msg("refused", { n: refused }); }
      else { text = msg("saved"); }
      root.setAttribute("data-pending", String(n));
      root.setAttribute("data-refused", String(refused));
      syncEl.classList.toggle("sync-pending", Boolean(n || refused || notice));
      syncEl.textContent = text;
    }
    function warn(text) { errorEl.textContent = text; errorEl.hidden = !text; }
    function make(id, status, source) {
      return { client_id: uuid(), enrolment_id: Number(id), status: status, device_time: new Date().toISOString(),
               source: offline ? "sync" : source };
    }
    function enqueue(items) {
      // A new tap starts afresh: earlier refusals have been read (they stay next to their learners until tapped).
      refused = 0;
      warn("");
      write(key, url, read(key).marks.concat(items));
      tally();
      showStatus();
      flush();
    }
    // Show what the server has for every learner this device has no news for.
    function follow(server) {
      var waiting = waitingFor();
      Object.keys(rows).forEach(function (id) {
        saved[id] = server[id] || "";
        if (!waiting[id]) { paint(rows[id], saved[id]); }
      });
    }
    // Marks the server will never take: drop them, put their learners back as saved, and say why.
    function refuse(marks, message) {
      var ids = {}, byId = {};
      marks.forEach(function (m) { ids[m.client_id] = 1; byId[m.enrolment_id] = 1; });
      drop(key, url, ids);
      var waiting = waitingFor(), text = msg("failed", { message: message || msg("refused-unknown") });
      Object.keys(byId).forEach(function (id) {
        if (!rows[id]) { return; }
        if (!waiting[id]) { paint(rows[id], saved[id] || ""); }
        rowError(rows[id], text);
      });
      refused += marks.length;
      return text;
    }
    function flush() {
      if (sending) { return; }
      var batch = read(key).marks.slice(0, 100);
      sending = true;
      var more = false;
      send(url, token, batch).then(function (data) {
        offline = false;
        notice = "";
        settle(key, url, batch, data);
        follow(data.marks);
        var byClient = {}, messages = [];
        batch.forEach(function (m) { byClient[m.client_id] = m; });
        data.stored.forEach(function (id) { if (byClient[id] && rows[byClient[id].enrolment_id]) { rowError(rows[byClient[id].enrolment_id], ""); } });
        data.failed.forEach(function (f) {
          var m = byClient[f.client_id] || { client_id: f.client_id, enrolment_id: -1 };
          var text = refuse([m], f.message);
          if (messages.indexOf(text) < 0) { messages.push(text); }
        });
        if (messages.length) { warn(messages.join(" ")); }
        var skew = Math.round((Date.now() - Date.parse(data.server_time)) / 60000);
        if (clockEl) { clockEl.textContent = Math.abs(skew) >= 5 ? msg("clock", { m: String(skew) }) : ""; clockEl.hidden = Math.abs(skew) < 5; }
        // Send at once what was tapped while this batch was on its way (or did not fit in it).
        var sent = {};
        batch.forEach(function (m) { sent[m.client_id] = 1; });
        more = read(key).marks.some(function (m) { return !sent[m.client_id]; });
      }).catch(function (failure) {
        if (failure && failure.refused) {
          warn(refuse(batch, failure.message));
          more = pending() > 0;
          return;
        }
        if (failure && failure.signedOut) { notice = msg("signed-out", { n: pending() }); }
        else { offline = true; notice = ""; }
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
          if (!rows[id].getAttribute("data-status")) { paint(rows[id], "present"); rowError(rows[id], ""); items.push(make(id, "present", "everyone")); }
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
      rowError(row, "");
      enqueue([make(row.getAttribute("data-enrolment"), status, "tap")]);
    });
    // Marks still waiting from before a reload show as made.
    read(key).marks.forEach(function (m) { if (rows[m.enrolment_id]) { paint(rows[m.enrolment_id], m.status); } });
    // A walk-in just added from this page: bring their row and the confirmation into view.
    var added = root.querySelector("[data-rc-added]");
    if (added) {
      var newRow = rows[added.getAttribute("data-rc-added")];
      if (newRow && newRow.scrollIntoView) { newRow.scrollIntoView({ block: "center" }); }
      added.focus({ preventScroll: true });
      if (window.history && history.replaceState) {
        history.replaceState(null, "", location.pathname + location.hash); // a reload does not confirm it again
      }
    }
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
    var lost = 0;
    function keys() {
      var found = [];
      try { for (var i = 0; i < localStorage.length; i += 1) { if (localStorage.key(i).indexOf(prefix) === 0) { found.push(localStorage.key(i)); } } }
      catch (e) { /* no storage */ }
      return found;
    }
    function count() { return keys().reduce(function (n, k) { return n + read(k).marks.length; }, 0); }
    function show(sent) {
      if (!statusEl) { return; }
      var n = count(), text = "";
      if (n) { text = statusEl.getAttribute("data-msg-pending").replace("{n}", n); }
      if (lost) { text = (text ? text + " " : "") + statusEl.getAttribute("data-msg-refused").replace("{n}", lost); }
      if (!text && sent) { text = statusEl.getAttribute("data-msg-sent"); }
      statusEl.classList.toggle("sync-pending", n > 0 || lost > 0);
      statusEl.textContent = text;
    }
    function drain() {
      var work = keys().map(function (k) {
        var box = read(k);
        if (!box.url || !box.marks.length) { return Promise.resolve(false); }
        var batch = box.marks.slice(0, 100);
        return send(box.url, token, batch).then(function (data) {
          lost += data.failed.length;
          settle(k, box.url, batch, data);
          return true;
        }).catch(function (failure) {
          if (failure && failure.refused) {
            // Refused for good (the session was cancelled, the class is no longer theirs): do not send again.
            var ids = {};
            batch.forEach(function (m) { ids[m.client_id] = 1; });
            drop(k, box.url, ids);
            lost += batch.length;
          }
          return false;
        });
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
