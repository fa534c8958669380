/* Shared tablet: after a minute without a touch (or on "Xong") the learner is signed out and the class list
   comes back; pages are never shown again from the back/forward cache. Answers still waiting for the network
   are never thrown away: sign-out waits for them. */
(function () {
  "use strict";
  var box = document.querySelector("[data-kiosk]");
  if (!box) { return; }
  var idle = Number(box.getAttribute("data-idle") || 60) * 1000;
  var done = box.querySelector("form[data-kiosk-done]");
  var msg = box.querySelector("[data-kiosk-msg]");
  var last = Date.now();
  window.addEventListener("pageshow", function (event) { if (event.persisted) { location.reload(); } });
  function pending() {
    for (var i = 0; i < localStorage.length; i += 1) {
      if (localStorage.key(i).indexOf("hvs-quiz-") === 0) { return true; }
    }
    return false;
  }
  function finish() {
    if (!done) { if (location.pathname !== box.getAttribute("data-home")) { location.assign(box.getAttribute("data-home")); } return; }
    if (pending()) { msg.textContent = box.getAttribute("data-msg-pending"); return; }
    done.submit();
  }
  if (done) {
    done.addEventListener("submit", function (event) {
      if (pending()) { event.preventDefault(); msg.textContent = box.getAttribute("data-msg-pending"); }
    });
  }
  ["pointerdown", "keydown", "touchstart", "scroll", "input"].forEach(function (name) {
    window.addEventListener(name, function () { last = Date.now(); if (msg) { msg.textContent = ""; } }, { passive: true });
  });
  setInterval(function () {
    var quiet = Date.now() - last;
    if (quiet >= idle) { last = Date.now(); finish(); }
    else if (msg && done && quiet >= idle - 10000 && !msg.textContent) { msg.textContent = box.getAttribute("data-msg-idle"); }
  }, 1000);
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
