/* Roll call that survives a dropped network. Every tap is shown at once and put in the device's outbox
   (static/outbox.js: its own id, the device's time, sent when the network allows, from any page that loads the
   outbox if this one was closed). The server treats an id it has seen as done, so a batch sent twice changes
   nothing. What the screen shows is the server's answer: a mark it refuses goes back to what the server has,
   with its reason next to the learner and in the alert region. Only a network failure or a server error (5xx)
   keeps marks waiting; a refusal (4xx with a reason) is final and the marks are dropped.
   Marks queued by earlier versions of this page (localStorage "hvs-att-<user>-<session>") move to the outbox. */
(function () {
  "use strict";
  var outbox = window.HVS && window.HVS.outbox;  // outbox.js comes first (deferred scripts run in order)
  if (!outbox) { return; }

  function adoptOldQueues(user) {
    var prefix = "hvs-att-" + user + "-", keys = [];
    try { for (var i = 0; i < localStorage.length; i += 1) { if (localStorage.key(i).indexOf(prefix) === 0) { keys.push(localStorage.key(i)); } } }
    catch (e) { return; }
    keys.forEach(function (key) {
      var box = null;
      try { box = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { box = null; }
      var marks = box && typeof box.url === "string" && Array.isArray(box.marks) ? box.marks : null;
      // Only marks the server can read: one unreadable mark would have the whole batch refused.
      var kept = !marks || outbox.adopt(box.url, marks.filter(function (m) {
        return m && typeof m.enrolment_id === "number" && typeof m.status === "string";
      }).map(function (m) {
        return { client_id: m.client_id, device_time: m.device_time,
                 fields: { enrolment_id: m.enrolment_id, status: m.status, source: typeof m.source === "string" ? m.source : "sync" } };
      }));
      if (kept) { try { localStorage.removeItem(key); } catch (e) { /* stays for the next page */ } }
    });
  }

  function rollCall(root) {
    var url = root.getAttribute("data-sync-url");
    var syncEl = root.querySelector("[data-sync]"), errorEl = root.querySelector("[data-rc-error]");
    var clockEl = root.querySelector("[data-rc-clock]");
    var rows = {}, saved = {}, refused = 0, ticks = 0;
    root.querySelectorAll(".rc-row").forEach(function (row) {
      var id = row.getAttribute("data-enrolment");
      rows[id] = row;
      saved[id] = row.getAttribute("data-status") || ""; // as the server rendered the page
    });

    function msg(name, values) {
      var text = root.getAttribute("data-msg-" + name) || "";
      Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", values[k]); });
      return text;
    }
    function waitingFor() {
      var waiting = {};
      outbox.entries(url).forEach(function (e) { waiting[e.fields.enrolment_id] = 1; });
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
    // The status line is the outbox's count for this page (waiting, offline, signed out, all saved); a refusal
    // is this page's own note, shown until the next tap.
    function showStatus() {
      syncEl.setAttribute("data-outbox-note", refused ? msg("refused", { n: refused }) : "");
      outbox.show();
      root.setAttribute("data-pending", String(outbox.pending(url)));
      root.setAttribute("data-refused", String(refused));
    }
    function warn(text) { errorEl.textContent = text; errorEl.hidden = !text; }
    function enqueue(marks) {
      // A new tap starts afresh: earlier refusals have been read (they stay next to their learners until tapped).
      refused = 0;
      warn("");
      marks.forEach(function (m) { outbox.add(url, m); });
      tally();
      showStatus();
    }
    function make(id, status, source) { return { enrolment_id: Number(id), status: status, source: source }; }
    // Show what the server has for every learner this device has no news for.
    function follow(server) {
      var waiting = waitingFor();
      Object.keys(rows).forEach(function (id) {
        saved[id] = server[id] || "";
        if (!waiting[id]) { paint(rows[id], saved[id]); }
      });
    }
    // Marks the server will never take (already out of the outbox): put their learners back as saved, say why.
    function refuse(entry, message) {
      var id = entry.fields.enrolment_id, text = msg("failed", { message: message || msg("refused-unknown") });
      refused += 1;
      if (!rows[id]) { return text; }
      if (!waitingFor()[id]) { paint(rows[id], saved[id] || ""); }
      rowError(rows[id], text);
      return text;
    }
    outbox.on(function (result) {
      if (result.url !== url) { return; }
      var answer = result.answer || {}, messages = [];
      if (answer.marks && typeof answer.marks === "object") { follow(answer.marks); }
      result.stored.forEach(function (e) { if (rows[e.fields.enrolment_id]) { rowError(rows[e.fields.enrolment_id], ""); } });
      result.failed.forEach(function (f) {
        var text = refuse(f.entry, f.message);
        if (messages.indexOf(text) < 0) { messages.push(text); }
      });
      if (messages.length) { warn(messages.join(" ")); }
      if (answer.server_time && clockEl) {
        var skew = Math.round((Date.now() - Date.parse(answer.server_time)) / 60000);
        clockEl.textContent = Math.abs(skew) >= 5 ? msg("clock", { m: String(skew) }) : "";
        clockEl.hidden = Math.abs(skew) < 5;
      }
      tally();
      showStatus();
    });

    root.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !root.contains(button)) { return; }
      if (button.hasAttribute("data-everyone")) {
        event.preventDefault();
        var marks = [];
        Object.keys(rows).forEach(function (id) {
          if (!rows[id].getAttribute("data-status")) { paint(rows[id], "present"); rowError(rows[id], ""); marks.push(make(id, "present", "everyone")); }
        });
        if (marks.length) { enqueue(marks); }
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
    outbox.entries(url).forEach(function (e) {
      if (rows[e.fields.enrolment_id]) { paint(rows[e.fields.enrolment_id], e.fields.status); }
    });
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
    window.addEventListener("online", showStatus);
    window.addEventListener("offline", showStatus);
    window.addEventListener("beforeunload", function (event) {
      if (outbox.pending(url)) { event.preventDefault(); event.returnValue = ""; }
    });
    // Every 5 s while marks wait; every 15 s otherwise, to show check-ins and other devices' marks.
    setInterval(function () {
      ticks += 1;
      if (outbox.pending(url)) { outbox.flush(); } else if (ticks % 3 === 0) { outbox.refresh(url); }
    }, 5000);
    tally();
    showStatus();
    outbox.refresh(url);
  }

  if (outbox.owner()) { adoptOldQueues(outbox.owner()); }
  var root = document.querySelector("[data-roll-call]");
  if (root) { rollCall(root); }
})();
