/* One question per screen. Every answer is saved the moment it is chosen; when the network is down it waits
   in the browser (localStorage) and is sent when the network returns. Each save carries its own id, so a
   save sent twice changes nothing on the server. Choices are named by the attempt's opaque keys (strings that
   mean something only to the server), never by their place in the question bank. */
(function () {
  "use strict";
  var root = document.querySelector("[data-quiz]");
  if (!root) { return; }
  var key = "hvs-quiz-" + root.getAttribute("data-attempt");
  var saveUrl = root.getAttribute("data-save-url");
  var token = (document.querySelector("meta[name=csrf-token]") || {}).content || "";
  var sync = root.querySelector("[data-sync]");
  var sections = Array.prototype.slice.call(root.querySelectorAll("section.q"));
  var inflight = null, saved = false, problem = "";

  function load() { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function store(queue) {
    // Nothing of a learner stays on a shared tablet once it has reached the server.
    try { if (queue.length) { localStorage.setItem(key, JSON.stringify(queue)); } else { localStorage.removeItem(key); } }
    catch (e) { /* private browsing: answers still go straight to the server */ }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function status() {
    var pending = load().length;
    sync.classList.toggle("sync-pending", pending > 0);
    sync.textContent = pending ? root.getAttribute("data-msg-pending").replace("{n}", pending)
      : (problem || (saved ? root.getAttribute("data-msg-saved") : ""));
  }
  function flush() {
    if (inflight) { return inflight; }
    var queue = load();
    if (!queue.length) { status(); return Promise.resolve(); }
    var batch = queue.slice(0, 50), sent = {}, ok = false;
    batch.forEach(function (a) { sent[a.client_id] = 1; });
    inflight = fetch(saveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ answers: batch })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      var done = {};
      data.saved.concat(data.failed.map(function (f) { return f.client_id; })).forEach(function (id) { done[id] = 1; });
      store(load().filter(function (a) { return !done[a.client_id]; }));
      // A refused answer (e.g. nothing chosen) is not kept; say why rather than "saved".
      problem = data.failed.length ? data.failed[0].message : "";
      saved = ok = true;
    }).catch(function () { /* offline or server busy: keep the queue, try again later */ })
      .then(function () {
        inflight = null;
        status();
        // Answers chosen while this batch was on its way go at once, not on the next 5-second tick.
        if (ok && load().some(function (a) { return !sent[a.client_id]; })) { return flush(); }
      });
    return inflight;
  }
  function markAnswered(section) {
    section.setAttribute("data-answered", "");
    var dot = root.querySelector("[data-dot='" + section.getAttribute("data-question-id") + "']");
    if (dot) { dot.setAttribute("data-done", ""); }
  }
  function record(section, response) {
    var id = Number(section.getAttribute("data-question-id"));
    var queue = load().filter(function (a) { return a.question_id !== id; });
    queue.push({ client_id: uuid(), question_id: id, response: response, client_time: new Date().toISOString() });
    store(queue);
    markAnswered(section);
    status();
    flush();
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
    flush().then(function () {
      if (load().length) { sync.textContent = root.getAttribute("data-msg-submit-wait"); sync.classList.add("sync-pending"); }
      else { store([]); submit.submit(); }
    });
  });
  // Answers waiting from before a reload (or a dropped network) show as chosen.
  load().forEach(function (item) {
    var section = root.querySelector("section[data-question-id='" + item.question_id + "']");
    if (section) { apply(section, item.response); }
  });
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  status();
  flush();
})();
