/* One question per screen. Every answer is saved the moment it is chosen, through the device's outbox
   (static/outbox.js): when the network is down it waits in the browser and is sent when the network returns;
   each save carries its own id, so a save sent twice changes nothing on the server, and a newer answer to the
   same question replaces one not yet sent. Nothing of a learner stays on a shared tablet once it has reached
   the server. Choices are named by the attempt's opaque keys (strings that mean something only to the server),
   never by their place in the question bank. Answers queued by earlier versions of this page (localStorage
   "hvs-quiz-<attempt>") move to the outbox.
   Each question type's fields are handled by its widget, a small script loaded before this one
   (static/quiz-<widget>.js) that registers HVS.quizWidgets[<widget>] = {read, restore, live}:
     read(section, button)     the answer the fields hold now (button: the submit button pressed, if any);
                               undefined or null when there is nothing to save;
     restore(section, response) show a saved or queued answer;
     live                      true to save on every change, false to wait for the type's save button.
   A question whose widget is missing keeps its plain form, which saves through the server. */
(function () {
  "use strict";
  var outbox = window.HVS && window.HVS.outbox;  // outbox.js comes first (deferred scripts run in order)
  var widgets = (window.HVS && window.HVS.quizWidgets) || {};  // and so do the widgets
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
  function widgetOf(section) { return widgets[section.getAttribute("data-widget")]; }
  function apply(section, response) {
    widgetOf(section).restore(section, response);
    markAnswered(section);
  }
  function save(section, response) {
    if (response === undefined || response === null) { return; }
    apply(section, response);
    record(section, response);
  }

  sections.forEach(function (section) {
    var widget = widgetOf(section), form = section.querySelector("form[data-answer]");
    if (section.getAttribute("data-index") === "finish" || !widget || !form) { return; }
    var pressed = null;  // the button that submits, for browsers without SubmitEvent.submitter
    form.addEventListener("click", function (event) { pressed = event.target.closest ? event.target.closest("button") : null; });
    form.addEventListener("change", function () { if (widget.live) { save(section, widget.read(section, null)); } });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(section, widget.read(section, event.submitter || pressed));
      pressed = null;
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
    if (section && widgetOf(section)) { apply(section, item.fields.response); }
  });
  outbox.show();
})();
