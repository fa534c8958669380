/* Read a part of the page aloud with the browser's own speech synthesis, in Vietnamese when the device
   has a Vietnamese voice (and saying so when it has none). Markup: <div class="listen" data-speak="#id">. */
(function () {
  "use strict";
  document.querySelectorAll(".listen[data-speak]").forEach(function (box) {
    var target = document.querySelector(box.getAttribute("data-speak"));
    var status = box.querySelector(".listen-status");
    var play = box.querySelector("[data-action=play]");
    var pause = box.querySelector("[data-action=pause]");
    var stop = box.querySelector("[data-action=stop]");
    var lang = box.getAttribute("data-lang") || "vi-VN";
    box.hidden = false;
    function say(key) { status.textContent = status.getAttribute("data-" + key) || ""; }
    if (!target || !("speechSynthesis" in window)) { play.disabled = true; say("unsupported"); return; }
    var synth = window.speechSynthesis, blocks = [], index = 0, current = null, running = false;
    function voice() {
      var prefix = lang.slice(0, 2).toLowerCase();
      return synth.getVoices().filter(function (v) {
        return v.lang && v.lang.replace("_", "-").toLowerCase().indexOf(prefix) === 0;
      })[0] || null;
    }
    function mark(el) {
      if (current) { current.classList.remove("speaking"); }
      current = el;
      if (el) { el.classList.add("speaking"); el.scrollIntoView({ block: "center", behavior: "smooth" }); }
    }
    function buttons(playing) {
      pause.hidden = !playing; stop.hidden = !playing && !synth.paused; play.hidden = playing;
    }
    function finish(key) { running = false; mark(null); buttons(false); stop.hidden = true; say(key); }
    function next() {
      if (!running) { return; }
      if (index >= blocks.length) { finish("done"); return; }
      var el = blocks[index++];
      var text = (el.getAttribute("aria-label") || el.textContent || "").trim();
      if (el.tagName === "IMG") { text = el.getAttribute("alt") || ""; }
      if (!text) { next(); return; }
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang; utterance.rate = 0.9;
      var v = voice(); if (v) { utterance.voice = v; }
      utterance.onend = next;
      utterance.onerror = function (event) { if (event.error !== "interrupted" && event.error !== "canceled") { next(); } };
      mark(el.tagName === "IMG" ? el.parentElement : el);
      synth.speak(utterance);
    }
    play.addEventListener("click", function () {
      if (synth.paused && running) { synth.resume(); buttons(true); say("speaking"); return; }
      if (!voice()) { say("no-voice"); return; }
      synth.cancel();
      blocks = Array.prototype.slice.call(target.querySelectorAll("h1,h2,h3,h4,p,li,td,th,img,[data-say]"))
        .filter(function (el) { return !el.querySelector("p,li"); });
      if (target.matches("[data-say]") || !blocks.length) { blocks = [target]; }
      index = 0; running = true; buttons(true); say("speaking"); next();
    });
    pause.addEventListener("click", function () { synth.pause(); pause.hidden = true; play.hidden = false; say("paused"); });
    stop.addEventListener("click", function () { synth.cancel(); finish("paused"); });
    if (synth.onvoiceschanged !== undefined) { synth.onvoiceschanged = function () {}; }
    window.addEventListener("pagehide", function () { synth.cancel(); });
  });
})();
