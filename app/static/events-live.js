/* The live board on a venue's television (events/live.html): keeps the figures current without ever reloading.

   Listens to the Server-Sent Events stream (the server ends each stream after a minute or so and the browser
   reconnects by itself). When the stream fails it polls live.json every 10 s and tries the stream again later.
   When both fail it shows "mất kết nối — đang thử lại" and keeps the last figures. Meant to run all day. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) { return; }
  var POLL_MS = 10000, STREAM_AGAIN_MS = 60000, WATCH_MS = 5000, FETCH_TIMEOUT_MS = 8000;
  var streamUrl = root.getAttribute("data-stream-url"), jsonUrl = root.getAttribute("data-json-url");
  // A healthy stream sends the figures at least at every (re)connection; silence longer than this means it hangs.
  var stallMs = ((Number(root.getAttribute("data-stream-seconds")) || 0) + 30) * 1000;
  var notice = root.querySelector("[data-live-notice]"), clock = root.querySelector("[data-live-time]");
  var version = root.getAttribute("data-version");
  var source = null, failures = 0, pollTimer = null, againTimer = null, fetching = false;
  var heardAt = Date.now(), openedAt = 0;

  function setText(el, value) {
    var text = String(value);
    if (el.textContent !== text) { el.textContent = text; }
  }

  function fillList(name, items) {
    var list = root.querySelector('[data-live-list="' + name + '"]');
    var template = root.querySelector('template[data-live-row="' + name + '"]');
    if (!list || !template || !items) { return; }
    var old = {};
    Array.prototype.forEach.call(list.children, function (row) { old[row.getAttribute("data-key")] = row; });
    items.forEach(function (item, index) {
      var row = old[item.key];
      if (row) {
        delete old[item.key];
      } else {
        row = template.content.firstElementChild.cloneNode(true);
        row.setAttribute("data-key", item.key);
      }
      Array.prototype.forEach.call(row.querySelectorAll("[data-f]"), function (cell) {
        setText(cell, item[cell.getAttribute("data-f")]);
      });
      if (list.children[index] !== row) { list.insertBefore(row, list.children[index] || null); }
    });
    Object.keys(old).forEach(function (key) { list.removeChild(old[key]); });
  }

  function heard() {
    heardAt = Date.now();
    notice.hidden = true;
  }

  function show(data) {
    heard();
    setText(clock, data.as_of_time);
    if (data.version === version) { return; }
    version = data.version;
    root.setAttribute("data-version", version);
    Object.keys(data.totals).forEach(function (key) {
      var el = root.querySelector('[data-live-total="' + key + '"]');
      if (el) { setText(el, data.totals[key]); }
    });
    ["stations", "villages", "audiences", "age_bands"].forEach(function (name) { fillList(name, data[name]); });
  }

  function poll() {
    if (fetching) { return; }
    fetching = true;
    var abort = window.AbortController ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, FETCH_TIMEOUT_MS) : null;
    fetch(jsonUrl, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" },
                     signal: abort ? abort.signal : undefined })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(show)
      .catch(function () { notice.hidden = false; })
      .then(function () { clearTimeout(timer); fetching = false; });
  }

  function startPolling() {
    if (pollTimer) { return; }
    poll();
    pollTimer = setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function closeStream() {
    if (source) { source.close(); }
    source = null;
  }

  function openStream() {
    clearTimeout(againTimer);
    againTimer = null;
    closeStream();
    if (!window.EventSource) { startPolling(); return; }
    failures = 0;
    openedAt = Date.now();
    var opened = new EventSource(streamUrl);
    source = opened;
    opened.onopen = function () { failures = 0; heard(); };
    opened.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      show(data);
      stopPolling();
    };
    opened.onerror = function () {
      if (source !== opened) { return; }
      failures += 1;
      if (opened.readyState === EventSource.CLOSED) {
        // Refused (an error page, the key replaced): poll, and try the stream again later.
        closeStream();
        startPolling();
        againTimer = setTimeout(openStream, STREAM_AGAIN_MS);
      } else if (failures > 1) {
        // Each stream ends after a while, so one error is normal; a failed reconnection is not. The browser
        // keeps trying; poll meanwhile.
        startPolling();
      }
    };
  }

  setInterval(function () {
    if (Date.now() - heardAt <= stallMs) { return; }
    notice.hidden = false;  // neither the stream nor polling has answered for too long
    startPolling();
    // A stream can hang without an error when the network drops under it: start it afresh now and then.
    if (!againTimer && Date.now() - openedAt > stallMs) { openStream(); }
  }, WATCH_MS);
  window.addEventListener("online", function () { openStream(); poll(); });
  openStream();

  var full = root.querySelector("[data-live-fullscreen]");
  if (full && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener("click", function () { document.documentElement.requestFullscreen().catch(function () {}); });
  }
  // Keep the screen on all day.
  if (navigator.wakeLock) {
    var wake = function () { navigator.wakeLock.request("screen").catch(function () {}); };
    wake();
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { wake(); } });
  }
})();
