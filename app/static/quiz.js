/* One question per screen. Every answer is saved the moment it is chosen; when the network is down it waits
   in the browser (localStorage) and is sent when the network returns. Each save carries its own id, so a
   save sent twice changes nothing on the server. Choices are named by the attempt's opaque keys (strings that
   mean something only to the server), never by their place in the question bank. */
/* One question per screen. Every answer is saved the moment it is chosen, through the device's outbox
   (static/outbox.js): when the network is down it waits in the browser and is sent when the network returns;
   each save carries its own id, so a save sent twice changes nothing on the server, and a newer answer to the
   same question replaces one not yet sent. Nothing of a learner stays on a shared tablet once it has reached
   the server. Choices are named by the attempt's opaque keys (strings that mean something only to the server),
   never by their place in the question bank. Answers queued by earlier versions of this page (localStorage
   "hvs-quiz-<attempt>") move to the outbox. */
(function () {
  "use strict";
  var outbox = window.HVS && window.HVS.outbox;  // outbox.js comes first (deferred scripts run in order)
  var root = document.querySelector("[data-quiz]");
  if (!root || !outbox) { return; }
  var saveUrl = root.getAttribute("data-save-url");
  var sync = root.querySelector("[data-sync]"), alertEl = root.querySelector("[data-quiz-alert]");
  var sections = Array.prototype.slice.call(root.querySelectorAll("section.q"));

  (function adoptOldQueue() {
    var key = "hvs-quiz-" + root.getAttribute("data-attempt"), queue = null;
    try { queue = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return; }
    if (!Array.isArray(queue)) { return; }
    var kept = outbox.adopt(saveUrl, queue.filter(function (a) { return a && a.question_id !== undefined; })
      .map(function (a) {
        return { client_id: a.client_id, device_time: a.client_time, key: String(a.question_id),
                 fields: { question_id: a.question_id, response: a.response } };
      }));
    if (kept) { try { localStorage.removeItem(key); } catch (e) { /* moved again next time, by the same ids */ } }
  }());

  function note(text) { sync.setAttribute("data-outbox-note", text); outbox.show(); }
  function warn(text) { alertEl.textContent = text; alertEl.hidden = !text; }
  // A refused answer (e.g. nothing chosen) is not kept; say why rather than "saved".
  outbox.on(function (result) {
    if (result.url !== saveUrl || result.retry) { return; }
    if (result.failed.length) { note(result.failed[0].message); }
    else if (result.stored.length) { note(root.getAttribute("data-msg-saved")); }
    if (!outbox.pending(saveUrl)) { warn(""); }
  });
  function markAnswered(section) {
    section.setAttribute("data-answered", "");
    var dot = root.querySelector("[data-dot='" + section.getAttribute("data-question-id") + "']");
    if (dot) { dot.setAttribute("data-done", ""); }
  }
  function record(section, response) {
    var id = Number(section.getAttribute("data-question-id"));
    outbox.add(saveUrl, { question_id: id, response: response }, { replace: id });
    markAnswered(section);
  }
  function current() { return sections.filter(function (s) { return !s.hidden; })[0]; }
  function show(target) {
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    sections.forEach(function (s) { s.hidden = s.getAttribute("data-index") !== String(target); });
    var heading = current() && current().querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    window.scrollTo(0, 0);
    if (target !== "finish") { history.replaceState(null, "", "?q=" + target); }
  }
  function apply(section, response) {
    var type = section.getAttribute("data-type");
    if (type === "multichoice" || type === "truefalse") {
      section.querySelectorAll("button.choice").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-value") === response));
      });
    } else if (type === "multiresponse") {
      section.querySelectorAll("input[type=checkbox]").forEach(function (c) {
        c.checked = Array.isArray(response) && response.indexOf(c.value) >= 0;
      });
    } else if (type === "shortanswer") {
      section.querySelector("input[name=answer]").value = typeof response === "string" ? response : "";
    } else if (type === "matching") {
      section.querySelectorAll("select[data-pair]").forEach(function (s) {
        var v = (response || {})[s.getAttribute("data-pair")]; s.value = v === undefined ? "" : String(v);
      });
    }
    markAnswered(section);
  }
  function read(section) {
    var type = section.getAttribute("data-type");
    if (type === "multiresponse") {
      return Array.prototype.map.call(section.querySelectorAll("input[type=checkbox]:checked"), function (c) { return c.value; });
    }
    if (type === "shortanswer") { return section.querySelector("input[name=answer]").value; }
    var pairs = {};
    section.querySelectorAll("select[data-pair]").forEach(function (s) {
      if (s.value !== "") { pairs[s.getAttribute("data-pair")] = s.value; }
    });
    return pairs;
  }

  sections.forEach(function (section) {
    if (section.getAttribute("data-index") === "finish") { return; }
    var form = section.querySelector("form[data-answer]");
    section.querySelectorAll("button.choice").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var value = button.getAttribute("data-value");
        apply(section, value);
        record(section, value);
      });
    });
    form.addEventListener("change", function () {
      if (section.getAttribute("data-type") !== "shortanswer") { record(section, read(section)); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!section.querySelector("button.choice")) { record(section, read(section)); }
    });
  });
  root.querySelectorAll("[data-go]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); show(link.getAttribute("data-go")); });
  });
  var submit = root.querySelector("form[data-submit]");
  submit.addEventListener("submit", function (event) {
    event.preventDefault();
    outbox.flush().then(function () {
      if (outbox.pending(saveUrl)) { warn(root.getAttribute("data-msg-submit-wait")); }
      else { submit.submit(); }
    });
  });
  // Answers waiting from before a reload (or a dropped network) show as chosen.
  outbox.entries(saveUrl).forEach(function (item) {
    var section = root.querySelector("section[data-question-id='" + item.fields.question_id + "']");
    if (section) { apply(section, item.fields.response); }
  });
  outbox.show();
})();
