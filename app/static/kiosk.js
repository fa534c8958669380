/* Shared tablet: after the commune's idle time without a touch the learner is signed out and the class list comes
   back. A page showing a lesson or a quiz question (data-kiosk-activity) waits longer, and speech being read aloud
   counts as activity. Before signing out, a dialog counts down with a big "Tôi vẫn đang học" button. Pages are
   never shown again from the back/forward cache. Answers still waiting for the network are never thrown away:
   sign-out waits for them. */
(function () {
  "use strict";
  var box = document.querySelector("[data-kiosk]");
  if (!box) { return; }
  var reading = document.querySelector("[data-kiosk-activity]") !== null;
  var idle = Number(box.getAttribute(reading ? "data-idle-lesson" : "data-idle") || 120) * 1000;
  var warn = Number(box.getAttribute(reading ? "data-countdown-lesson" : "data-countdown") || 0) * 1000;
  var done = box.querySelector("form[data-kiosk-done]");
  var msg = box.querySelector("[data-kiosk-msg]");
  var dialog = box.querySelector("[data-kiosk-dialog]");
  var count = dialog && dialog.querySelector("[data-kiosk-count]");
  var said = dialog && dialog.querySelector("[data-kiosk-said]");
  var stay = dialog && dialog.querySelector("[data-kiosk-stay]");
  var last = Date.now();
  var shown = false;
  var before = null;
  window.addEventListener("pageshow", function (event) { if (event.persisted) { location.reload(); } });

  function pending() {  // answers or marks this device has not sent yet (static/outbox.js keeps them)
    if (window.HVS && window.HVS.outbox) { return window.HVS.outbox.pending() > 0; }
    for (var i = 0; i < localStorage.length; i += 1) {
      var key = localStorage.key(i);
      if (key.indexOf("hvs-quiz-") === 0 || (key === "hvs-outbox" && localStorage.getItem(key) !== "[]")) { return true; }
    }
    return false;
  }
  function busy() {  // listening counts as learning: the voice reads on while nobody touches the screen
    if (window.speechSynthesis && window.speechSynthesis.speaking) { return true; }
    var media = document.querySelectorAll("audio, video");
    for (var i = 0; i < media.length; i += 1) { if (!media[i].paused && !media[i].ended) { return true; } }
    return false;
  }
  function left(ms) { return box.getAttribute("data-msg-left").replace("{n}", String(Math.max(1, Math.ceil(ms / 1000)))); }
  function show(ms) {
    var text = left(ms);
    if (!shown) {
      shown = true;
      before = document.activeElement;
      if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
      stay.focus();
      said.textContent = text;
    } else if (Math.ceil(ms / 1000) === 10) {
      said.textContent = text;  // one more spoken reminder, not one every second
    }
    count.textContent = text;
  }
  function hide() {
    if (!shown) { return; }
    shown = false;
    if (typeof dialog.close === "function") { dialog.close(); } else { dialog.removeAttribute("open"); }
    said.textContent = "";
    if (before && before !== document.body && typeof before.focus === "function") { before.focus({ preventScroll: true }); }
    before = null;
  }
  // A touch only restarts the clock; the dialog closes on the next tick, after the tap has finished, so the
  // second half of a tap never lands on the page under the dialog.
  function touch() { last = Date.now(); if (msg) { msg.textContent = ""; } }
  function finish() {
    if (!done) { if (location.pathname !== box.getAttribute("data-home")) { location.assign(box.getAttribute("data-home")); } return; }
    hide();
    if (pending()) { msg.textContent = box.getAttribute("data-msg-pending"); return; }
    done.submit();
  }
  if (done) {
    done.addEventListener("submit", function (event) {
      if (pending()) { event.preventDefault(); msg.textContent = box.getAttribute("data-msg-pending"); }
    });
  }
  if (dialog) {
    stay.addEventListener("click", function () { touch(); hide(); });
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); touch(); });  // Esc: still here
  }
  ["pointerdown", "keydown", "touchstart", "input", "wheel"].forEach(function (name) {
    window.addEventListener(name, touch, { passive: true });
  });
  // Scrolling is reading, but not while the dialog is open: focusing its button may scroll the page.
  window.addEventListener("scroll", function () { if (!shown) { touch(); } }, { passive: true });
  setInterval(function () {
    if (busy()) { touch(); }
    var quiet = Date.now() - last;
    if (quiet >= idle) { last = Date.now(); finish(); }
    else if (dialog && done && warn > 0 && quiet >= idle - warn) { show(idle - quiet); }
    else { hide(); }
  }, 250);

  var pad = document.querySelector("[data-pin-pad]");
  if (pad) {
    var input = document.querySelector(pad.getAttribute("data-pin-pad"));
    pad.hidden = false;
    pad.addEventListener("click", function (event) {
      var key = event.target.getAttribute("data-digit");
      if (!key) { return; }
      if (key === "clear") { input.value = ""; }
      else if (key === "back") { input.value = input.value.slice(0, -1); }
      else if (input.value.length < 6) { input.value += key; }
      input.focus();
    });
  }
})();
