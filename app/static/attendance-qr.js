/* The full-screen check-in screen: shows the session's QR code and short code, which change every few
   seconds, and who has checked in so far. Asks the server every 2 s; the code itself is never made here. */
(function () {
  "use strict";
  var root = document.querySelector("[data-qr]");
  if (!root) { return; }
  var url = root.getAttribute("data-state-url");
  var img = root.querySelector("[data-qr-image]"), codeEl = root.querySelector("[data-qr-code]");
  var messageEl = root.querySelector("[data-qr-message]"), timer = root.querySelector("[data-qr-timer]");
  var presentEl = root.querySelector("[data-qr-present]"), missingEl = root.querySelector("[data-qr-missing]");
  var countEl = root.querySelector("[data-qr-count]"), missingCountEl = root.querySelector("[data-qr-missing-count]");
  var step = null, deadline = 0, busy = false, state = "";

  function person(item) {
    var li = document.createElement("li");
    li.className = "qr-person qr-" + (item.status || "none");
    var avatar = document.createElement("span");
    avatar.className = "avatar";
    avatar.setAttribute("aria-hidden", "true");
    avatar.textContent = item.initials;
    var name = document.createElement("span");
    name.textContent = item.name + (item.label ? " · " + item.label : "");
    li.appendChild(avatar);
    li.appendChild(name);
    return li;
  }
  function fill(list, items) {
    list.textContent = "";
    items.forEach(function (item) { list.appendChild(person(item)); });
  }
  function show(data) {
    state = data.state;
    fill(presentEl, data.present);
    fill(missingEl, data.missing);
    countEl.textContent = root.getAttribute("data-msg-count").replace("{n}", data.present.length).replace("{total}", data.total);
    missingCountEl.textContent = String(data.missing.length);
    if (data.state === "open") {
      if (data.step !== step) {
        step = data.step;
        img.src = data.image;
        img.hidden = false;
        codeEl.textContent = data.code.slice(0, 3) + " " + data.code.slice(3);
      }
      deadline = Date.now() + data.refresh_in * 1000;
      messageEl.textContent = "";
    } else {
      step = null;
      img.hidden = true;
      img.removeAttribute("src");
      codeEl.textContent = "– – –";
      messageEl.textContent = root.getAttribute(data.state === "not_yet" ? "data-msg-not-yet" : "data-msg-closed");
    }
  }
  function poll() {
    if (busy) { return; }
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(show)
      .catch(function () { messageEl.textContent = root.getAttribute("data-msg-offline"); })
      .then(function () { busy = false; });
  }
  setInterval(function () {
    var left = Math.max(0, (deadline - Date.now()) / 1000);
    timer.value = state === "open" ? left : 0;
    if (state === "open" && left <= 0) { poll(); }
  }, 250);
  setInterval(poll, 2000);
  poll();

  var full = root.querySelector("[data-fullscreen]");
  if (document.fullscreenEnabled && full) {
    full.hidden = false;
    full.addEventListener("click", function () { document.documentElement.requestFullscreen().catch(function () {}); });
  }
  // Keep the tablet's screen on while the code is shown.
  if (navigator.wakeLock) {
    var wake = function () { navigator.wakeLock.request("screen").catch(function () {}); };
    wake();
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { wake(); } });
  }
})();
