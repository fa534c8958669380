/* Read a part of the page aloud with the browser's own speech synthesis, in Vietnamese when the device
   has a Vietnamese voice (and saying so when it has none). Markup: <div class="listen" data-speak="#id">.
   Listening follows the text: the block being read is marked and scrolled into view, and the sentence being
   read is highlighted too where the browser has the CSS Custom Highlight API. One utterance per sentence, so
   long paragraphs are not cut off and pausing stops at a sentence. Without speech the page reads as before. */
(function () {
  "use strict";
  var BLOCKS = "h1,h2,h3,h4,p,li,td,th,img,[data-say]";
  var HIGHLIGHT = "hvs-sentence";
  var highlights = window.CSS && CSS.highlights && typeof window.Highlight === "function" ? CSS.highlights : null;
  var smooth = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);

  // The block's own text nodes: nested blocks (a list inside a list item, say) are read as blocks of their own.
  function ownTextNodes(el) {
    var found = [];
    (function walk(node) {
      for (var child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) { found.push(child); } else if (child.nodeType === 1 && !child.matches(BLOCKS)) { walk(child); }
      }
    })(el);
    return found;
  }

  // Split a block into sentences, each with the text nodes and offsets it spans (for the highlight).
  function sentences(el) {
    if (el.tagName === "IMG") {
      var alt = (el.getAttribute("alt") || "").trim();
      return alt ? [{ el: el.parentElement, text: alt }] : [];
    }
    var label = el.getAttribute("aria-label");
    if (label) { return [{ el: el, text: label.trim() }]; }
    var nodes = ownTextNodes(el), text = "", starts = [];
    nodes.forEach(function (n) { starts.push(text.length); text += n.data; });
    var found = [], end = /[.!?…]+["”’)\]]*(?=\s|$)/g, last = 0, match;
    function add(from, to) {
      var piece = text.slice(from, to), said = piece.replace(/\s+/g, " ").trim();
      if (said) { found.push({ el: el, text: said, from: from + piece.search(/\S/), to: to, nodes: nodes, starts: starts }); }
    }
    while ((match = end.exec(text)) !== null) { add(last, end.lastIndex); last = end.lastIndex; }
    add(last, text.length);
    return found;
  }

  function locate(part, offset, isEnd) {
    for (var i = 0; i < part.nodes.length; i++) {
      var from = part.starts[i], to = from + part.nodes[i].data.length;
      if (isEnd ? offset > from && offset <= to : offset >= from && offset < to) { return [part.nodes[i], offset - from]; }
    }
    return null;
  }

  function rangeOf(part) {
    if (!part.nodes) { return null; }
    var start = locate(part, part.from, false), end = locate(part, part.to, true);
    if (!start || !end) { return null; }
    var range = document.createRange();
    range.setStart(start[0], start[1]);
    range.setEnd(end[0], end[1]);
    return range;
  }

  document.querySelectorAll(".listen[data-speak]").forEach(function (box) {
    var target = document.querySelector(box.getAttribute("data-speak"));
    var status = box.querySelector(".listen-status");
    var play = box.querySelector("[data-action=play]");
    var pause = box.querySelector("[data-action=pause]");
    var stop = box.querySelector("[data-action=stop]");
    var lang = box.getAttribute("data-lang") || "vi-VN";
    box.hidden = false;
    function say(key) { status.textContent = status.getAttribute("data-" + key) || ""; }
    if (!target || !("speechSynthesis" in window)) {
      play.disabled = true; say("unsupported");
      box.classList.remove("listen-sticky"); // nothing to keep in reach
      return;
    }
    var synth = window.speechSynthesis, parts = [], index = 0, current = null, running = false;
    function voice() {
      var prefix = lang.slice(0, 2).toLowerCase();
      return synth.getVoices().filter(function (v) {
        return v.lang && v.lang.replace("_", "-").toLowerCase().indexOf(prefix) === 0;
      })[0] || null;
    }
    function mark(el, part) {
      if (el !== current) {
        if (current) { current.classList.remove("speaking"); current.removeAttribute("data-speaking"); }
        current = el;
        if (el) {
          el.classList.add("speaking"); el.setAttribute("data-speaking", "");
          el.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
        }
      }
      if (highlights) {
        var range = part ? rangeOf(part) : null;
        if (range) { highlights.set(HIGHLIGHT, new window.Highlight(range)); } else { highlights.delete(HIGHLIGHT); }
      }
    }
    function buttons(playing) {
      pause.hidden = !playing; stop.hidden = !playing && !synth.paused; play.hidden = playing;
    }
    function finish(key) { running = false; mark(null, null); buttons(false); stop.hidden = true; say(key); }
    function next() {
      if (!running) { return; }
      if (index >= parts.length) { finish("done"); return; }
      var part = parts[index++];
      var utterance = new SpeechSynthesisUtterance(part.text);
      utterance.lang = lang; utterance.rate = 0.9;
      var v = voice(); if (v) { utterance.voice = v; }
      utterance.onend = next;
      utterance.onerror = function (event) { if (event.error !== "interrupted" && event.error !== "canceled") { next(); } };
      mark(part.el, part);
      synth.speak(utterance);
    }
    play.addEventListener("click", function () {
      if (synth.paused && running) { synth.resume(); buttons(true); say("speaking"); return; }
      if (!voice()) { say("no-voice"); return; }
      synth.cancel();
      var blocks = Array.prototype.slice.call(target.querySelectorAll(BLOCKS));
      if (target.matches("[data-say]") || !blocks.length) { blocks = [target]; }
      parts = [];
      blocks.forEach(function (el) { parts = parts.concat(sentences(el)); });
      index = 0; running = true; buttons(true); say("speaking"); next();
    });
    pause.addEventListener("click", function () { synth.pause(); pause.hidden = true; play.hidden = false; say("paused"); });
    stop.addEventListener("click", function () { synth.cancel(); finish("paused"); });
    if (synth.onvoiceschanged !== undefined) { synth.onvoiceschanged = function () {}; }
    window.addEventListener("pagehide", function () { synth.cancel(); });
  });
})();
